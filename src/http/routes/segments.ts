import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { apiWithheld, contactSources, contactView, lifecycleStages } from '../../crm/contacts/contactFields.ts';
import { auditedTransaction } from '../../kernel/index.ts';
import {
  createSegment,
  deleteSegment,
  getSegment,
  guardSegmentName,
  listSegments,
  previewSegment,
  segmentSortNames,
  updateSegment,
  type Segment,
} from '../../privacy/campaigns/segments.ts';
import type { SegmentFilters } from '../../privacy/campaigns/segmentFilters.ts';
import { optionalIfMatchVersion, requiredIfMatchVersion, setEtag } from '../etag.ts';
import { nameComponent, uuid } from '../openapi/components.ts';
import { accessContext, purposeContext } from '../principal.ts';
import { contactResponse } from './contactSchemas.ts';
import { createThenRead, idempotencyRequestOf, idParams, instant, listEnvelope, pageQuery, singleEnvelope, withheldSchema } from './recordRouteSupport.ts';
import { routePlugin } from './routePlugin.ts';

// Saved segments of contacts (GET/POST/PATCH/DELETE /segments) and their previews: how many
// contacts a segment selects now, and the first of them as the request's purpose sees them.

const segmentFilters = z
  .strictObject({
    lifecycleStage: z.array(z.enum(lifecycleStages)).min(1).max(20).optional().describe('Any of these lifecycle stages'),
    ownerId: z.array(uuid).min(1).max(50).optional().describe('Owned by any of these users'),
    companyId: z.array(uuid).min(1).max(50).optional().describe('At any of these companies'),
    source: z.array(z.enum(contactSources)).min(1).max(4).optional().describe('Came through any of these sources'),
    createdAfter: instant.optional().describe('Created at or after this instant'),
    createdBefore: instant.optional().describe('Created before this instant'),
    consent: z
      .array(
        z.strictObject({ purposeKey: z.string().min(1).max(100), live: z.boolean().describe('true: consent to the purpose is live now; false: it is not') }),
      )
      .max(10)
      .optional()
      .describe('Consent states, each judged by the consent ledger at the moment the segment is counted, read or sent to'),
  })
  .refine((filters) => !(filters.createdAfter && filters.createdBefore && filters.createdAfter >= filters.createdBefore), {
    path: ['createdBefore'],
    message: 'must be after createdAfter',
  })
  .describe('All of these filters (each list: any of its values); {} selects every contact');
nameComponent(segmentFilters, 'SegmentFilters');

// As stored (and checked when saved): the same keys, read back as plain strings.
const savedFilters = z.object({
  lifecycleStage: z.array(z.string()).optional(),
  ownerId: z.array(z.string()).optional(),
  companyId: z.array(z.string()).optional(),
  source: z.array(z.string()).optional(),
  createdAfter: z.string().optional(),
  createdBefore: z.string().optional(),
  consent: z.array(z.object({ purposeKey: z.string(), live: z.boolean() })).optional(),
});
const segmentName = z.string().trim().min(1).max(100).describe('Unique in the workspace');
const segmentSchema = z.object({
  id: uuid,
  name: z.string(),
  filters: savedFilters,
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
nameComponent(segmentSchema, 'Segment', 'A saved filter over contacts: non-personal keys and consent states');

const previewSchema = z.object({
  total: z.number().int().describe('Contacts the filters select now, up to the cap'),
  totalIsLowerBound: z.boolean(),
  members: z.array(contactResponse).describe("The first members as the request's purpose sees them; people it may not process are absent"),
});
nameComponent(previewSchema, 'SegmentPreview');
const previewEnvelope = z.object({ data: previewSchema, withheld: withheldSchema });
const previewQuery = z.object({ limit: z.coerce.number().int().min(0).max(50).default(20).describe('Members to show, 0 to 50') });

const segmentBody = (segment: Segment) => ({ ...segment, createdAt: segment.createdAt.toISOString(), updatedAt: segment.updatedAt.toISOString() });
const filtersOf = (filters: z.infer<typeof segmentFilters>): SegmentFilters => filters;

export const segmentRoutes = routePlugin(async (app, deps) => {
  const { database } = deps;

  async function preview(request: FastifyRequest, filters: SegmentFilters, limit: number) {
    accessContext(request, 'segment:read');
    const ctx = purposeContext(request, 'contact:read');
    const result = await previewSegment(database.db, ctx, filters, { cap: deps.config.countCap, limit });
    return {
      data: { ...result.count, members: result.members.rows.map(contactView) },
      withheld: apiWithheld(result.members.withheld),
    };
  }

  app.get(
    '/segments',
    {
      schema: {
        operationId: 'listSegments',
        tags: ['segments'],
        summary: "The workspace's segments, a page at a time",
        querystring: z.object(pageQuery(segmentSortNames, 'createdAt')),
        response: { 200: listEnvelope(segmentSchema) },
      },
    },
    async (request) => {
      const ctx = accessContext(request, 'segment:read');
      const page = await listSegments(database.db, ctx.tenantId, request.query);
      return { data: page.data.map(segmentBody), withheld: [], nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/segments',
    {
      config: { idempotencyKey: true, etag: true, problems: ['duplicate'] },
      schema: {
        operationId: 'createSegment',
        tags: ['segments'],
        summary: 'Save a segment (honours Idempotency-Key); 422 names each filter that is not valid',
        body: z.strictObject({ name: segmentName, filters: segmentFilters.default({}) }),
        response: { 201: singleEnvelope(segmentSchema) },
      },
    },
    async (request, reply) => {
      const ctx = accessContext(request, 'segment:write');
      const input = { name: request.body.name, filters: filtersOf(request.body.filters) };
      const created = await guardSegmentName(() =>
        createThenRead(
          database,
          idempotencyRequestOf(request, ctx),
          (tx) => createSegment(tx, ctx, input),
          (executor, id) => getSegment(executor, ctx.tenantId, id),
        ),
      );
      setEtag(reply, created.read.version);
      return reply
        .code(created.statusCode)
        .header('location', `/api/v1/segments/${created.read.id}`)
        .send({ data: segmentBody(created.read), withheld: [] });
    },
  );

  app.post(
    '/segments/preview',
    {
      schema: {
        operationId: 'previewSegmentFilters',
        tags: ['segments'],
        summary: "Count the contacts filters select now and show the first of them under the request's purpose (nothing saved)",
        querystring: previewQuery,
        body: z.strictObject({ filters: segmentFilters }),
        response: { 200: previewEnvelope },
      },
    },
    (request) => preview(request, filtersOf(request.body.filters), request.query.limit),
  );

  app.get(
    '/segments/:id',
    {
      config: { etag: true },
      schema: { operationId: 'getSegment', tags: ['segments'], summary: 'One segment', params: idParams, response: { 200: singleEnvelope(segmentSchema) } },
    },
    async (request, reply) => {
      const segment = await getSegment(database.db, accessContext(request, 'segment:read').tenantId, request.params.id);
      setEtag(reply, segment.version);
      return { data: segmentBody(segment), withheld: [] };
    },
  );

  app.get(
    '/segments/:id/preview',
    {
      schema: {
        operationId: 'previewSegment',
        tags: ['segments'],
        summary: "How many contacts the segment selects now, and the first of them under the request's purpose",
        params: idParams,
        querystring: previewQuery,
        response: { 200: previewEnvelope },
      },
    },
    async (request) => {
      const segment = await getSegment(database.db, accessContext(request, 'segment:read').tenantId, request.params.id);
      return preview(request, segment.filters, request.query.limit);
    },
  );

  app.patch(
    '/segments/:id',
    {
      config: { ifMatch: 'required', etag: true, problems: ['duplicate'] },
      schema: {
        operationId: 'updateSegment',
        tags: ['segments'],
        summary: 'Rename a segment or change its filters (If-Match required)',
        params: idParams,
        body: z
          .strictObject({ name: segmentName.optional(), filters: segmentFilters.optional() })
          .refine((body) => Object.keys(body).length > 0, 'name at least one thing to change'),
        response: { 200: singleEnvelope(segmentSchema) },
      },
    },
    async (request, reply) => {
      const ctx = accessContext(request, 'segment:write');
      const expectedVersion = requiredIfMatchVersion(request);
      const { name, filters } = request.body;
      const change = { ...(name !== undefined ? { name } : {}), ...(filters !== undefined ? { filters: filtersOf(filters) } : {}) };
      await guardSegmentName(() => auditedTransaction(database.db, (tx) => updateSegment(tx, ctx, request.params.id, expectedVersion, change)));
      const segment = await getSegment(database.db, ctx.tenantId, request.params.id);
      setEtag(reply, segment.version);
      return { data: segmentBody(segment), withheld: [] };
    },
  );

  app.delete(
    '/segments/:id',
    {
      config: { ifMatch: 'optional', problems: ['conflict'] },
      schema: {
        operationId: 'deleteSegment',
        tags: ['segments'],
        summary: 'Delete a segment no campaign is addressed to (409 otherwise)',
        params: idParams,
        response: { 204: z.null().describe('Deleted') },
      },
    },
    async (request, reply) => {
      const ctx = accessContext(request, 'segment:delete');
      const expectedVersion = optionalIfMatchVersion(request);
      await auditedTransaction(database.db, (tx) => deleteSegment(tx, ctx, request.params.id, expectedVersion));
      return reply.code(204).send(null);
    },
  );
});
