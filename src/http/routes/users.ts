import { z } from 'zod';
import { createInvitation, getInvitation } from '../../accounts/invitations.ts';
import { roles } from '../../shared/roles.ts';
import { revokingTransaction } from '../../accounts/credentialCache.ts';
import { unlockUser } from '../../accounts/accountUnlock.ts';
import { deactivateUser, getUser, listUsers, reactivateUser, updateUser } from '../../accounts/userAdministration.ts';
import type { PublicUser } from '../../accounts/users.ts';
import { defaultPageSize, maxPageSize } from '../../shared/cursor.ts';
import { runIdempotent } from '../../platform/idempotency.ts';
import { invalid } from '../../shared/domainError.ts';
import { requiredIfMatchVersion, setEtag } from '../etag.ts';
import { nameComponent, uuid } from '../openapi/components.ts';
import { accessContext, type Principal } from '../principal.ts';
import { invitationSchema, invitationView, sendInvitationMail } from './invitationViews.ts';
import { idempotencyRequestOf, listEnvelope, singleEnvelope } from './recordRouteSupport.ts';
import { routePlugin } from './routePlugin.ts';

export const roleSchema = z.enum(roles);

// Staff accounts, not CRM subjects: their e-mail is login data kept in plain columns.
export const userSchema = z.object({
  id: uuid,
  email: z.string(),
  displayName: z.string(),
  role: roleSchema,
  status: z.enum(['active', 'invited', 'deactivated']),
  createdAt: z.date(),
  updatedAt: z.date(),
  deactivatedAt: z.date().nullable(),
  version: z.number().int(),
});

nameComponent(userSchema, 'User', 'A staff account of the workspace (not a CRM contact)');

export const userView = (user: PublicUser): z.infer<typeof userSchema> => ({
  id: user.id,
  email: user.email,
  displayName: user.displayName,
  role: user.role as z.infer<typeof roleSchema>,
  status: user.status as z.infer<typeof userSchema>['status'],
  createdAt: user.createdAt,
  updatedAt: user.updatedAt,
  deactivatedAt: user.deactivatedAt,
  version: user.version,
});

const idParams = z.object({ id: uuid });

export const userRoutes = routePlugin(async (app, deps) => {
  app.get(
    '/users',
    {
      schema: {
        operationId: 'listUsers',
        tags: ['users'],
        summary: "The workspace's staff accounts, oldest first",
        querystring: z.object({
          cursor: z.string().max(500).optional(),
          limit: z.coerce.number().int().min(1).max(maxPageSize).default(defaultPageSize),
          sort: z.enum(['created_at', '-created_at', 'updated_at', '-updated_at']).optional(),
          status: z.enum(['active', 'invited', 'deactivated']).optional(),
          role: roleSchema.optional(),
        }),
        response: { 200: listEnvelope(userSchema) },
      },
    },
    async (request) => {
      const ctx = accessContext(request, 'user:read');
      const page = await listUsers(deps.database.db, ctx, request.query);
      return { data: page.data.map(userView), withheld: [], nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/users/:id',
    {
      config: { etag: true },
      schema: { operationId: 'getUser', tags: ['users'], summary: 'One staff account', params: idParams, response: { 200: singleEnvelope(userSchema) } },
    },
    async (request, reply) => {
      const ctx = accessContext(request, 'user:read');
      const user = await getUser(deps.database.db, ctx, request.params.id);
      setEtag(reply, user.version);
      return { data: userView(user), withheld: [] };
    },
  );

  app.post(
    '/users/invitations',
    {
      config: { idempotencyKey: true, problems: ['conflict'] },
      schema: {
        operationId: 'inviteUser',
        tags: ['users'],
        summary: 'Invite someone by e-mail (admin); the e-mail carries a one-time link valid for 7 days',
        body: z.object({ email: z.string().min(3).max(254), role: roleSchema }),
        response: { 201: singleEnvelope(invitationSchema) },
      },
    },
    async (request, reply) => {
      const ctx = accessContext(request, 'user:write');
      const principal = request.principal as Principal;
      // The token exists only in this request and the e-mail; runIdempotent stores the id alone.
      const issued: { token: string | null } = { token: null };
      const outcome = await runIdempotent(deps.database, idempotencyRequestOf(request, principal), async (tx) => {
        const created = await createInvitation(tx, ctx, request.body);
        issued.token = created.token;
        return { statusCode: 201, recordId: created.invitation.id };
      });
      const invitation = await getInvitation(deps.database.db, ctx, outcome.recordId as string);
      if (issued.token !== null && !outcome.replayed) await sendInvitationMail(deps, ctx, invitation, issued.token);
      reply.code(201); // the only status this work stores, so a replay answers the same
      return { data: invitationView(invitation), withheld: [] };
    },
  );

  app.patch(
    '/users/:id',
    {
      config: { ifMatch: 'required', etag: true, problems: ['conflict'] },
      schema: {
        operationId: 'updateUser',
        tags: ['users'],
        summary: "Change a user's role or display name (admin; If-Match required)",
        params: idParams,
        body: z.object({ role: roleSchema.optional(), displayName: z.string().trim().min(1).max(200).optional() }),
        response: { 200: singleEnvelope(userSchema) },
      },
    },
    async (request, reply) => {
      const ctx = accessContext(request, 'user:write');
      const expectedVersion = requiredIfMatchVersion(request);
      if (request.body.role === undefined && request.body.displayName === undefined) throw invalid('body', 'name at least one of role, displayName');
      const user = await revokingTransaction(deps.database.db, (tx) => updateUser(tx, ctx, request.params.id, expectedVersion, request.body));
      setEtag(reply, user.version);
      return { data: userView(user), withheld: [] };
    },
  );

  app.post(
    '/users/:id/deactivate',
    {
      config: { etag: true, problems: ['conflict'] },
      schema: {
        operationId: 'deactivateUser',
        tags: ['users'],
        summary: 'Deactivate a user (admin): their sessions and the API keys they created stop working at once',
        params: idParams,
        response: { 200: singleEnvelope(userSchema) },
      },
    },
    async (request, reply) => {
      const ctx = accessContext(request, 'user:write');
      const user = await revokingTransaction(deps.database.db, (tx) => deactivateUser(tx, ctx, request.params.id));
      setEtag(reply, user.version);
      return { data: userView(user), withheld: [] };
    },
  );

  app.post(
    '/users/:id/reactivate',
    {
      config: { etag: true },
      schema: {
        operationId: 'reactivateUser',
        tags: ['users'],
        summary: 'Let a deactivated user log in again (admin); revoked sessions and keys stay revoked',
        params: idParams,
        response: { 200: singleEnvelope(userSchema) },
      },
    },
    async (request, reply) => {
      const ctx = accessContext(request, 'user:write');
      const user = await deps.database.db.transaction((tx) => reactivateUser(tx, ctx, request.params.id));
      setEtag(reply, user.version);
      return { data: userView(user), withheld: [] };
    },
  );

  app.post(
    '/users/:id/unlock',
    {
      config: { etag: true },
      schema: {
        operationId: 'unlockUser',
        tags: ['users'],
        summary: "Forget a user's failed logins from every address (admin), so the right password gets in at once",
        params: idParams,
        response: { 200: singleEnvelope(userSchema) },
      },
    },
    async (request, reply) => {
      const ctx = accessContext(request, 'user:write');
      const user = await unlockUser(deps.database.db, ctx, request.params.id);
      setEtag(reply, user.version);
      return { data: userView(user), withheld: [] };
    },
  );
});
