import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { acceptInvitation } from '../../accounts/invitations.ts';
import { logIn } from '../../accounts/login.ts';
import { completePasswordReset, issuePasswordReset } from '../../accounts/passwordResets.ts';
import { revokeSession, sessionCookieName } from '../../accounts/sessions.ts';
import { accountAttempt, clientAttempt, consumeAttempts, forgiveAttempts, throttleRules } from '../../accounts/throttles.ts';
import { passwordLength } from '../../accounts/passwords.ts';
import { assertAcceptablePassword, findUserById } from '../../accounts/users.ts';
import { appendAudit, grantedPurposeKeys } from '../../kernel/index.ts';
import { passwordResetMail } from '../../mail/templates.ts';
import { listPurposes } from '../../privacy/purposes.ts';
import { nameComponent, uuid } from '../openapi/components.ts';
import { requirePrincipal } from '../principal.ts';
import { actions, permissionsOf } from '../../shared/roles.ts';
import { roleSchema, userSchema, userView } from './users.ts';
import { routePlugin } from './routePlugin.ts';

/** HttpOnly (no script reads it), SameSite=Lax, Secure whenever Candor is served over https. */
export function sessionCookieOptions(publicUrl: string, expiresAt?: Date) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: new URL(publicUrl).protocol === 'https:',
    ...(expiresAt ? { expires: expiresAt } : {}),
  };
}

const sessionSchema = z.object({
  data: z.object({
    user: userSchema,
    csrfToken: z.string().describe('Send as X-CSRF-Token on every POST, PUT, PATCH and DELETE made with the session cookie'),
  }),
});
nameComponent(sessionSchema, 'Session');

// A new password is bounded here and checked by assertAcceptablePassword (422 naming
// password); the document shows the limits that check enforces.
const newPassword = z
  .string()
  .min(1)
  .max(1024)
  .meta({ minLength: passwordLength.min, maxLength: passwordLength.max, description: `${passwordLength.min} to ${passwordLength.max} characters` });

// Login fields are bounded but not validated further: a failed login says only that the
// credentials are wrong, whatever was wrong with them.
const loginBody = z.object({
  workspace: z.string().min(1).max(100),
  email: z.string().min(1).max(320),
  password: z.string().min(1).max(1024),
});

export const authRoutes = routePlugin(async (app, deps) => {
  const setSessionCookie = (reply: FastifyReply, cookie: string, expiresAt: Date) =>
    reply.setCookie(sessionCookieName, cookie, sessionCookieOptions(deps.config.publicUrl, expiresAt));

  app.post(
    '/auth/login',
    {
      config: { public: true, problems: ['rate_limited', 'unauthenticated'] },
      schema: {
        operationId: 'logIn',
        tags: ['auth'],
        summary:
          'Log in with workspace, e-mail and password; sets the candor_session cookie and returns the CSRF token. Failures slow the next try down (429 with Retry-After); an admin can unlock at once',
        security: [],
        body: loginBody,
        response: { 200: sessionSchema },
      },
    },
    async (request, reply) => {
      const session = await logIn(deps.database, { ...request.body, clientAddress: request.ip }, deps.clock?.() ?? new Date());
      setSessionCookie(reply, session.cookie, session.expiresAt);
      return { data: { user: userView(session.user), csrfToken: session.csrfToken } };
    },
  );

  app.post(
    '/auth/logout',
    {
      schema: {
        operationId: 'logOut',
        tags: ['auth'],
        summary: 'End the current session (send X-CSRF-Token); the cookie stops working at once',
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      if (principal.via === 'session' && principal.sessionId) {
        const { sessionId } = principal;
        await deps.database.db.transaction(async (tx) => {
          await revokeSession(tx, principal.tenantId, sessionId);
          await appendAudit(
            tx,
            { tenantId: principal.tenantId, actor: principal.actor, purpose: null },
            { action: 'session.revoked', object: 'user', recordIds: [principal.actor.id] },
          );
        });
      }
      reply.clearCookie(sessionCookieName, sessionCookieOptions(deps.config.publicUrl));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/auth/me',
    {
      schema: {
        operationId: 'getCurrentCaller',
        tags: ['auth'],
        summary:
          'Who is calling: the user (or API key), role, CSRF token, what its role may do (the role matrix, docs/roles.md) and the purposes it may act for (its own, granted to its role)',
        response: {
          200: z.object({
            data: z.object({
              user: userSchema.nullable(),
              apiKeyId: uuid.nullable(),
              role: roleSchema,
              permissions: z
                .array(z.enum(actions))
                .describe("The role's row of the role matrix (docs/roles.md) as resource:action; a request for anything else is refused with 403"),
              csrfToken: z.string().nullable(),
              purposes: z.array(z.string()),
              defaultPurpose: z.string().nullable(),
            }),
          }),
        },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const user = principal.actor.type === 'user' ? await findUserById(deps.database.db, principal.tenantId, principal.actor.id) : null;
      // The purposes the caller can really act for: the key's own set (a session: every purpose
      // of the workspace), narrowed to those the workspace grants the role.
      const candidates = principal.allowedPurposes ?? (await listPurposes(deps.database.db, principal.tenantId)).map((purpose) => purpose.key);
      const granted = await grantedPurposeKeys(deps.database.db, principal.tenantId, principal.actor.role);
      const purposes = candidates.filter((key) => granted.has(key));
      return {
        data: {
          user: user ? userView(user) : null,
          apiKeyId: principal.actor.type === 'api_key' ? principal.actor.id : null,
          role: principal.actor.role,
          permissions: permissionsOf(principal.actor.role),
          csrfToken: principal.csrfToken ?? null,
          purposes,
          defaultPurpose: principal.defaultPurpose,
        },
      };
    },
  );

  app.post(
    '/auth/accept-invitation',
    {
      config: { public: true, problems: ['rate_limited', 'conflict'] },
      schema: {
        operationId: 'acceptInvitation',
        tags: ['auth'],
        summary: 'Accept an invitation with its one-time token: creates the user and logs them in',
        security: [],
        body: z.object({ token: z.string().min(1).max(200), displayName: z.string().trim().min(1).max(200), password: newPassword }),
        response: { 201: sessionSchema },
      },
    },
    async (request, reply) => {
      assertAcceptablePassword(request.body.password);
      const attempts = [clientAttempt(throttleRules.oneTimeTokenPerClient, request.ip)];
      await consumeAttempts(deps.database.db, attempts, 'Too many invalid tokens from this address; wait before trying again.');
      const accepted = await acceptInvitation(deps.database, request.body);
      await forgiveAttempts(deps.database.db, attempts);
      setSessionCookie(reply, accepted.cookie, accepted.expiresAt);
      return reply.code(201).send({ data: { user: userView(accepted.user), csrfToken: accepted.csrfToken } });
    },
  );

  app.post(
    '/auth/password-reset',
    {
      config: { public: true, problems: ['rate_limited'] },
      schema: {
        operationId: 'requestPasswordReset',
        tags: ['auth'],
        summary: 'Ask for a password-reset e-mail; always 202, whether or not the account exists',
        security: [],
        body: z.object({ workspace: z.string().min(1).max(100), email: z.string().min(1).max(320) }),
        response: { 202: z.object({ data: z.object({ message: z.string() }) }) },
      },
    },
    async (request, reply) => {
      await consumeAttempts(
        deps.database.db,
        [
          accountAttempt(throttleRules.passwordResetPerAccount, request.body.workspace, request.body.email),
          clientAttempt(throttleRules.passwordResetPerClient, request.ip),
        ],
        'Too many password-reset requests; wait before asking again.',
      );
      const issued = await issuePasswordReset(deps.database, request.body);
      if (issued) {
        // Not awaited: waiting for SMTP only when the account exists would make the response
        // time tell who has an account.
        const mail = passwordResetMail({
          to: issued.to,
          token: issued.token,
          expiresAt: issued.expiresAt,
          workspaceName: issued.workspace.name,
          publicUrl: deps.config.publicUrl,
        });
        deps.mailer.send(mail).catch((error: unknown) => {
          request.log.error({ errorName: error instanceof Error ? error.name : 'unknown' }, 'password-reset mail could not be sent');
        });
      }
      return reply.code(202).send({ data: { message: 'If that account exists, a reset link is on its way; it expires in one hour.' } });
    },
  );

  app.post(
    '/auth/password-reset/complete',
    {
      config: { public: true, problems: ['rate_limited'] },
      schema: {
        operationId: 'completePasswordReset',
        tags: ['auth'],
        summary: 'Set a new password with a reset token; logs the user out everywhere',
        security: [],
        body: z.object({ token: z.string().min(1).max(200), password: newPassword }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      assertAcceptablePassword(request.body.password);
      const attempts = [clientAttempt(throttleRules.oneTimeTokenPerClient, request.ip)];
      await consumeAttempts(deps.database.db, attempts, 'Too many invalid tokens from this address; wait before trying again.');
      await completePasswordReset(deps.database, request.body);
      await forgiveAttempts(deps.database.db, attempts);
      return reply.code(204).send(null);
    },
  );
});
