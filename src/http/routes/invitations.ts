import { z } from 'zod';
import { listInvitations, resendInvitation, revokeInvitation } from '../../accounts/invitationAdministration.ts';
import { defaultPageSize, maxPageSize } from '../../shared/cursor.ts';
import { uuid } from '../openapi/components.ts';
import { accessContext } from '../principal.ts';
import { invitationSchema, invitationStateSchema, invitationView, sendInvitationMail } from './invitationViews.ts';
import { listEnvelope, singleEnvelope } from './recordRouteSupport.ts';
import { routePlugin } from './routePlugin.ts';

const idParams = z.object({ id: uuid });

// Invitations are created by POST /users/invitations; these routes manage them afterwards.
// All are admin-only, the same check as inviting (user:write): the list holds invitees' addresses.
export const invitationRoutes = routePlugin(async (app, deps) => {
  app.get(
    '/invitations',
    {
      schema: {
        operationId: 'listInvitations',
        tags: ['users'],
        summary: "The workspace's invitations (admin), oldest first; state filters pending, accepted, expired or revoked",
        querystring: z.object({
          cursor: z.string().max(500).optional(),
          limit: z.coerce.number().int().min(1).max(maxPageSize).default(defaultPageSize),
          sort: z.enum(['created_at', '-created_at']).optional(),
          state: invitationStateSchema.optional(),
        }),
        response: { 200: listEnvelope(invitationSchema) },
      },
    },
    async (request) => {
      const ctx = accessContext(request, 'user:write');
      const page = await listInvitations(deps.database.db, ctx, request.query);
      return { data: page.data.map(invitationView), withheld: [], nextCursor: page.nextCursor };
    },
  );

  app.delete(
    '/invitations/:id',
    {
      config: { problems: ['conflict'] },
      schema: {
        operationId: 'revokeInvitation',
        tags: ['users'],
        summary: 'Withdraw an invitation (admin): its link stops working at once; an accepted one answers 409',
        params: idParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const ctx = accessContext(request, 'user:write');
      await deps.database.db.transaction((tx) => revokeInvitation(tx, ctx, request.params.id));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/invitations/:id/resend',
    {
      config: { problems: ['conflict'] },
      schema: {
        operationId: 'resendInvitation',
        tags: ['users'],
        summary: 'Mail a pending or expired invitation again with a new link valid for 7 days (admin); the old link stops working',
        params: idParams,
        response: { 200: singleEnvelope(invitationSchema) },
      },
    },
    async (request) => {
      const ctx = accessContext(request, 'user:write');
      const resent = await deps.database.db.transaction((tx) => resendInvitation(tx, ctx, request.params.id));
      await sendInvitationMail(deps, ctx, resent.invitation, resent.token);
      return { data: invitationView(resent.invitation), withheld: [] };
    },
  );
});
