import { z } from 'zod';
import {
  eventBatchBodyLimitBytes,
  eventBatchInputSchema,
  eventInputSchema,
  eventPropertyValueSchema,
  eventTypes,
  maxEventsPerBatch,
} from '../../crm/events/eventInput.ts';
import { listContactEvents, type EventPage } from '../../crm/events/eventQueries.ts';
import { ingestEvent, ingestEventBatch, notStoredReason, type SubjectSignal } from '../../crm/events/ingestEvents.ts';
import { requirePurpose, type EventRecord } from '../../kernel/index.ts';
import { gpcOptsOut, recordGpcOptOut } from '../../privacy/gpc.ts';
import { maxPageSize } from '../../shared/cursor.ts';
import { accessContext } from '../principal.ts';
import { idempotencyRequestOf, listEnvelope, singleEnvelope } from './recordRouteSupport.ts';
import { nameComponent, uuid, uuidLookup } from '../openapi/components.ts';
import { routePlugin } from './routePlugin.ts';

export const eventSchema = z.object({
  id: uuid,
  type: z.enum(eventTypes),
  occurredAt: z.string(),
  receivedAt: z.string(),
  contactId: uuid.nullable(),
  visitorId: uuid.nullable().describe('The pseudonymous visitor profile, until it is merged into a contact'),
  properties: z.record(z.string(), eventPropertyValueSchema).optional().describe('Personal data of the subject; may be withheld'),
});

nameComponent(eventSchema, 'Event', 'A behavioural event of a contact or a pseudonymous visitor');

export const eventListQuerySchema = z.object({
  sort: z.enum(['occurred_at', '-occurred_at']).optional().describe('Default -occurred_at (newest first)'),
  cursor: z.string().max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(maxPageSize).optional(),
  type: z.enum(eventTypes).optional(),
});

export const eventPageSchema = listEnvelope(eventSchema);

export function eventResponse(event: EventRecord): z.infer<typeof eventSchema> {
  return {
    id: event.id,
    type: event.type as z.infer<typeof eventSchema>['type'],
    occurredAt: event.occurredAt.toISOString(),
    receivedAt: event.receivedAt.toISOString(),
    contactId: event.contactId,
    visitorId: event.visitorId,
    ...(event.properties === null ? {} : { properties: event.properties }),
  };
}

export const eventPageResponse = (page: EventPage) => ({ data: page.data.map(eventResponse), withheld: page.withheld, nextCursor: page.nextCursor });

/*
 * Event bodies are validated by the service, not by Fastify, so that a batch gets every
 * per-item error at once as 422 with fields such as "events[12].occurredAt". The zod
 * schemas stay on the routes for the OpenAPI document.
 */
const validatedByService = () => (data: unknown) => ({ value: data });

const problemNote = `A batch is accepted or refused whole: any invalid item (including a contactId that is not a contact of this workspace) gives 422 with errors [{ index, field, reason }] and nothing is stored. Events about a person who is erased, restricted or who objected to the request's purpose refuse the batch with 403 forbidden, errors [{ index, field, reason }] naming each such item's contactId or anonymousId and the rule. Bodies over ${eventBatchBodyLimitBytes / 1024 / 1024} MiB get 413.`;

export const eventRoutes = routePlugin(async (app, deps) => {
  app.post(
    '/events/batch',
    {
      bodyLimit: eventBatchBodyLimitBytes,
      validatorCompiler: validatedByService,
      config: { idempotencyKey: true },
      schema: {
        operationId: 'ingestEventBatch',
        tags: ['events'],
        summary: `Ingest up to ${maxEventsPerBatch.toLocaleString('en')} behavioural events (at most ${eventBatchBodyLimitBytes / 1024 / 1024} MiB)`,
        description: problemNote,
        body: eventBatchInputSchema,
        response: {
          201: singleEnvelope(
            z.object({
              batchId: z.string(),
              accepted: z.number().int(),
              visitorsCreated: z.number().int(),
              notStored: z.number().int().describe('Events received but not stored: their subject has no live consent to the purpose'),
              notStoredReason: z.enum([notStoredReason]).optional().describe('Present when notStored > 0'),
            }),
          ),
        },
      },
    },
    async (request, reply) => {
      const ctx = requirePurpose(accessContext(request, 'event:write'));
      const body: unknown = request.body;
      const { batchId, accepted, visitorsCreated, notStored } = await ingestEventBatch(ctx, deps.database, body, idempotencyRequestOf(request, ctx));
      const reason = notStored > 0 ? { notStoredReason } : {};
      return reply.code(201).send({ data: { batchId, accepted, visitorsCreated, notStored, ...reason }, withheld: [] });
    },
  );

  app.post(
    '/events',
    {
      validatorCompiler: validatedByService,
      config: { idempotencyKey: true },
      schema: {
        operationId: 'ingestEvent',
        tags: ['events'],
        summary: 'Ingest one behavioural event from a contact or an anonymous visitor',
        description:
          "An event about a person who is erased, restricted or who objected to the request's purpose is refused with 403 forbidden naming contactId (or anonymousId) and the rule. For a purpose on the consent basis, an event about a subject without a live consent (an anonymous id never seen included) is not stored at all: 202 with notStored 1. A request with the Global Privacy Control header `Sec-GPC: 1` opts the event's visitor or contact out of sale, sharing and targeted advertising, recorded in the consent ledger with channel gpc (for a known contact even when the event is not stored); any other value is ignored.",
        body: eventInputSchema,
        response: {
          201: singleEnvelope(eventSchema),
          202: z.object({
            data: z.null(),
            notStored: z.literal(1),
            notStoredReason: z.enum([notStoredReason]),
            withheld: z.array(z.object({ field: z.string(), reason: z.string() })),
          }),
        },
      },
    },
    async (request, reply) => {
      const ctx = requirePurpose(accessContext(request, 'event:write'));
      const body: unknown = request.body;
      // Global Privacy Control: the browser's opt-out, recorded before the event is stored.
      const gpc: SubjectSignal | undefined = gpcOptsOut(request.headers['sec-gpc']) ? (tx, subject) => recordGpcOptOut(tx, ctx, subject) : undefined;
      const ingested = await ingestEvent(ctx, deps.database, body, idempotencyRequestOf(request, ctx), gpc);
      if (ingested.event === null) return reply.code(202).send({ data: null, notStored: 1, notStoredReason, withheld: [] });
      return reply.code(201).send({ data: eventResponse(ingested.event), withheld: ingested.withheld });
    },
  );

  app.get(
    '/contacts/:id/events',
    {
      schema: {
        operationId: 'listContactEvents',
        tags: ['events'],
        summary: "A contact's behavioural events, newest first, with a cursor over occurredAt",
        params: z.object({ id: uuidLookup }),
        querystring: eventListQuerySchema,
        response: { 200: eventPageSchema },
      },
    },
    async (request) => {
      const ctx = requirePurpose(accessContext(request, 'event:read'));
      return eventPageResponse(await listContactEvents(ctx, deps.database.db, request.params.id, request.query));
    },
  );
});
