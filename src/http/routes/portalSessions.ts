import { z } from 'zod';
import { accountAttempt, clientAttempt, consumeAttempts, forgiveAttempts, throttleRules } from '../../accounts/throttles.ts';
import { portalSignInMail } from '../../mail/portalTemplates.ts';
import { endPortalSession } from '../../privacy/portal/portalSessions.ts';
import { startPortalSignIn, verifyPortalSignIn } from '../../privacy/portal/portalSignIns.ts';
import { portalWorkspace, verificationRefusal } from '../../privacy/requests/requestPortal.ts';
import { uuid } from '../openapi/components.ts';
import { clearPortalCookie, portalCaller, portalSignedIn, setPortalCookie } from '../portalSessionAccess.ts';
import { sendQuietly } from './requests.ts';
import { routePlugin } from './routePlugin.ts';

/*
 * Signing in to the customer privacy portal, public and per workspace: a person types their
 * e-mail address and gets a 6-digit code by mail (the same answer, rows and mail whoever
 * holds the address); the right code sets the candor_portal cookie (HttpOnly, SameSite=Strict,
 * Path=/api/v1/portal/{workspace}) and answers the CSRF token to echo in X-CSRF-Token. The
 * session lasts 30 minutes without use, 2 hours at most. Sign-ins are limited per address
 * and per client, wrong codes per client; five wrong codes lock a sign-in.
 */

export const portalParams = z.object({ workspace: z.string().min(1).max(100).describe("The workspace's slug") });
const sessionView = z.object({
  expiresAt: z.string().describe('When the session ends unless used again (30 minutes after its last use, 2 hours at most)'),
  csrfToken: z.string().describe('Send as X-CSRF-Token on every POST, PUT and DELETE of the portal session'),
});
const tooMany = 'Too many wrong codes from this address; wait before trying again.';

export const portalSessionRoutes = routePlugin(async (app, deps) => {
  const { database } = deps;

  app.post(
    '/portal/:workspace/sign-in',
    {
      config: { public: true, problems: ['rate_limited', 'not_found'] },
      schema: {
        operationId: 'startPortalSignIn',
        tags: ['portal'],
        summary: 'Sign in to the privacy portal: a 6-digit code is mailed to the address (the answer is the same whoever holds it)',
        description: 'The code works once, for 15 minutes; 5 wrong codes lock the sign-in. At most 5 sign-ins per address an hour.',
        security: [],
        params: portalParams,
        body: z.strictObject({ email: z.string().trim().min(3).max(320).describe('Where the code is sent') }),
        response: {
          202: z.object({ data: z.object({ signInId: uuid, expiresAt: z.string().describe('When the code stops working (15 minutes)') }) }),
        },
      },
    },
    async (request, reply) => {
      const workspace = await portalWorkspace(database, request.params.workspace);
      const attempts = [
        accountAttempt(throttleRules.portalSignInPerIdentity, workspace.slug, request.body.email),
        clientAttempt(throttleRules.portalSignInPerClient, request.ip),
      ];
      await consumeAttempts(database.db, attempts, 'Too many sign-ins; wait before asking for another code.');
      const started = await startPortalSignIn(database, workspace, request.body.email);
      await sendQuietly(deps, portalSignInMail(started.mail), request.log);
      return reply.code(202).send({ data: { signInId: started.signInId, expiresAt: started.expiresAt.toISOString() } });
    },
  );

  app.post(
    '/portal/:workspace/sign-in/:signInId/verify',
    {
      config: { public: true, problems: ['rate_limited', 'not_found'] },
      schema: {
        operationId: 'verifyPortalSignIn',
        tags: ['portal'],
        summary: 'Enter the mailed code: sets the portal session cookie and answers its CSRF token; 422 naming code says why not',
        security: [],
        params: portalParams.extend({ signInId: uuid }),
        body: z.strictObject({ code: z.string().min(1).max(20).describe('The 6-digit code') }),
        response: { 200: z.object({ data: sessionView }) },
      },
    },
    async (request, reply) => {
      const workspace = await portalWorkspace(database, request.params.workspace);
      const attempts = [clientAttempt(throttleRules.portalVerificationPerClient, request.ip)];
      await consumeAttempts(database.db, attempts, tooMany);
      const result = await verifyPortalSignIn(database, workspace, request.params.signInId, request.body.code);
      if (result.outcome !== 'verified' || !result.session) throw verificationRefusal(result.outcome, 'code');
      await forgiveAttempts(database.db, attempts);
      setPortalCookie(reply, deps.config.publicUrl, workspace, result.session);
      return { data: { expiresAt: result.session.expiresAt.toISOString(), csrfToken: result.session.csrfToken } };
    },
  );

  app.get(
    '/portal/:workspace/me',
    {
      config: { public: true, portalSession: true, problems: ['not_found'] },
      schema: {
        operationId: 'readPortalSession',
        tags: ['portal'],
        summary: 'The portal session: the workspace, the signed-in address, whether any record is held for it, and the CSRF token',
        params: portalParams,
        response: {
          200: z.object({
            data: sessionView.extend({
              workspace: z.object({ name: z.string(), slug: z.string() }),
              email: z.string().describe('The address the session proved, shown back to its owner'),
              known: z.boolean().describe('Whether the workspace holds a record for the address'),
            }),
          }),
        },
      },
    },
    async (request) => {
      const { workspace, session, person } = await portalSignedIn(database, request);
      return {
        data: {
          workspace: { name: workspace.name, slug: workspace.slug },
          email: person.email,
          known: person.contactId !== null,
          expiresAt: session.expiresAt.toISOString(),
          csrfToken: session.csrfToken,
        },
      };
    },
  );

  app.post(
    '/portal/:workspace/sign-out',
    {
      config: { public: true, portalSession: true, problems: ['not_found'] },
      schema: {
        operationId: 'signOutOfPortal',
        tags: ['portal'],
        summary: 'End the portal session (send X-CSRF-Token): the cookie stops working at once and the sign-in is forgotten',
        params: portalParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const { workspace, session } = await portalCaller(database, request);
      await endPortalSession(database, session);
      clearPortalCookie(reply, deps.config.publicUrl, workspace);
      return reply.code(204).send(null);
    },
  );
});
