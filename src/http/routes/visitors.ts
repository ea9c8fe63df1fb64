import { z } from 'zod';
import { listVisitorEvents } from '../../crm/events/eventQueries.ts';
import { getVisitor, mergeVisitor, requireVisitorForErasure } from '../../crm/visitors/visitors.ts';
import { assertCan } from '../../shared/roles.ts';
import { isUuid } from '../../db/ids.ts';
import { auditedTransaction, requirePurpose, type VisitorRead } from '../../kernel/index.ts';
import { eraseSubject } from '../../privacy/erasure/subjectErasure.ts';
import { accessContext } from '../principal.ts';
import { eventListQuerySchema, eventPageResponse, eventPageSchema } from './events.ts';
import { idempotencyRequestOf, singleEnvelope } from './recordRouteSupport.ts';
import { nameComponent, uuid, uuidLookup } from '../openapi/components.ts';
import { routePlugin } from './routePlugin.ts';

export const visitorSchema = z.object({
  id: uuid,
  anonymousId: z.string().optional().describe('Personal (a pseudonymous browser id); may be withheld'),
  mergedIntoContactId: uuid.nullable(),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  createdAt: z.string(),
});

nameComponent(visitorSchema, 'Visitor', 'A pseudonymous visitor profile, until it is merged into a contact');

/** The envelope of one visitor: a withheld anonymous id is absent from data and listed in withheld. */
function visitorEnvelopeOf({ visitor, withheld }: VisitorRead) {
  const data: z.infer<typeof visitorSchema> = {
    id: visitor.id,
    ...(visitor.anonymousId === null ? {} : { anonymousId: visitor.anonymousId }),
    mergedIntoContactId: visitor.mergedIntoContactId,
    firstSeenAt: visitor.firstSeenAt.toISOString(),
    lastSeenAt: visitor.lastSeenAt.toISOString(),
    createdAt: visitor.createdAt.toISOString(),
  };
  return { data, withheld: withheld.map((entry) => ({ field: entry.field === 'anonymous_id' ? 'anonymousId' : entry.field, reason: entry.reason })) };
}

const visitorEnvelope = singleEnvelope(visitorSchema);
const idParams = z.object({ id: uuidLookup });

export const visitorRoutes = routePlugin(async (app, deps) => {
  app.get(
    '/visitors/:id',
    {
      schema: {
        operationId: 'getVisitor',
        tags: ['visitors'],
        summary: 'A pseudonymous visitor profile',
        params: idParams,
        response: { 200: visitorEnvelope },
      },
    },
    async (request) => {
      const ctx = requirePurpose(accessContext(request, 'visitor:read'));
      return visitorEnvelopeOf(await getVisitor(ctx, deps.database.db, request.params.id));
    },
  );

  app.get(
    '/visitors/:id/events',
    {
      schema: {
        operationId: 'listVisitorEvents',
        tags: ['visitors'],
        summary: "A visitor's behavioural events, newest first, with a cursor over occurredAt (empty once merged: they moved to the contact)",
        params: idParams,
        querystring: eventListQuerySchema,
        response: { 200: eventPageSchema },
      },
    },
    async (request) => {
      const ctx = requirePurpose(accessContext(request, 'event:read'));
      return eventPageResponse(await listVisitorEvents(ctx, deps.database.db, request.params.id, request.query));
    },
  );

  app.post(
    '/visitors/:id/merge',
    {
      config: { idempotencyKey: true, problems: ['conflict'] },
      schema: {
        operationId: 'mergeVisitor',
        tags: ['visitors'],
        summary: "Merge a visitor into a contact: its events and future events for its anonymous id become the contact's",
        params: idParams,
        body: z.object({ contactId: z.string().refine(isUuid, { message: 'must be a uuid' }).meta({ format: 'uuid' }) }),
        response: { 200: visitorEnvelope },
      },
    },
    async (request) => {
      const ctx = requirePurpose(accessContext(request, 'visitor:write'));
      // The contact gains the visitor's events, so the caller must also be allowed to change contacts.
      assertCan(ctx.actor.role, 'contact:write');
      const visitor = await mergeVisitor(ctx, deps.database, request.params.id, request.body.contactId, idempotencyRequestOf(request, ctx));
      return visitorEnvelopeOf(visitor);
    },
  );

  app.delete(
    '/visitors/:id',
    {
      schema: {
        operationId: 'deleteVisitor',
        tags: ['visitors'],
        summary: 'Erase a visitor profile for good, with its events and anonymous id; its key is shredded (audited)',
        params: idParams,
        response: { 204: z.null().describe('Deleted') },
      },
    },
    async (request, reply) => {
      const ctx = requirePurpose(accessContext(request, 'visitor:delete'));
      // The one path of every erasure (src/privacy/erasure/subjectErasure.ts).
      await auditedTransaction(deps.database.db, async (tx) => {
        const visitorId = await requireVisitorForErasure(tx, ctx, request.params.id);
        await eraseSubject(tx, ctx.tenantId, visitorId, { reason: 'staff_deletion', actor: ctx });
      });
      return reply.code(204).send(null);
    },
  );
});
