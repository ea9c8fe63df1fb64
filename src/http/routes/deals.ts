import { z } from 'zod';
import { createDeal, deleteDeal, updateDeal } from '../../crm/deals/dealWrites.ts';
import { dealSorts, defaultDealSort, getDeal, listDeals, type Deal } from '../../crm/deals/deals.ts';
import { dealStageTotals } from '../../crm/deals/dealStageTotals.ts';
import { auditedTransaction } from '../../kernel/index.ts';
import { optionalIfMatchVersion, requiredIfMatchVersion, setEtag } from '../etag.ts';
import { nameComponent, uuid } from '../openapi/components.ts';
import { purposeContext } from '../principal.ts';
import {
  calendarDate,
  createThenRead,
  currencyCode,
  idempotencyRequestOf,
  idParams,
  instant,
  isoOrNull,
  countCapFor,
  countQuery,
  countedListEnvelope,
  minorUnits,
  pageQuery,
  singleEnvelope,
  subjectRulesNote,
  uuidList,
} from './recordRouteSupport.ts';
import { routePlugin } from './routePlugin.ts';

export const dealSchema = z.object({
  id: uuid,
  pipelineId: uuid,
  stageId: uuid,
  name: z.string(),
  amountMinor: z.number().int().nullable(),
  currency: z.string().nullable(),
  companyId: uuid.nullable(),
  ownerId: uuid.nullable(),
  expectedCloseDate: z.iso.date().nullable(),
  closedAt: instant.nullable().describe('Set when the deal reaches a won or lost stage'),
  customFields: z.record(z.string(), z.unknown()),
  contactIds: z.array(uuid).describe('The people in the deal whom the purpose may process; the others are left out and named in withheld'),
  createdAt: instant,
  updatedAt: instant,
  version: z.number().int(),
});
nameComponent(dealSchema, 'Deal');

const dealFields = {
  name: z.string().min(1).max(200),
  pipelineId: uuid.describe('Defaults to the default pipeline'),
  stageId: uuid.describe("A stage of the deal's pipeline; defaults to its first stage"),
  amountMinor: minorUnits.nullable(),
  currency: currencyCode.nullable().describe('Required with amountMinor'),
  companyId: uuid.nullable(),
  ownerId: uuid.nullable().describe('A user of the workspace'),
  expectedCloseDate: calendarDate.nullable(),
  contactIds: uuidList(100).describe('Contacts involved in the deal; on update the list replaces the links'),
  customFields: z.record(z.string(), z.unknown()).describe("Values of the workspace's deal custom fields; on update keys merge and null removes one"),
};
const dealCreate = z.strictObject({
  name: dealFields.name,
  pipelineId: dealFields.pipelineId.optional(),
  stageId: dealFields.stageId.optional(),
  amountMinor: dealFields.amountMinor.optional(),
  currency: dealFields.currency.optional(),
  companyId: dealFields.companyId.optional(),
  ownerId: dealFields.ownerId.optional(),
  expectedCloseDate: dealFields.expectedCloseDate.optional(),
  contactIds: dealFields.contactIds.optional(),
  customFields: dealFields.customFields.optional(),
});
const dealPatch = dealCreate.partial();
nameComponent(dealCreate, 'DealCreate');
nameComponent(dealPatch, 'DealChange');

const dealSortNames = Object.keys(dealSorts);
export const dealListQuery = z.object({
  pipelineId: uuid.optional(),
  stageId: uuid.optional(),
  ownerId: uuid.optional(),
  companyId: uuid.optional(),
  contactId: uuid.optional(),
  ...pageQuery(dealSortNames, defaultDealSort),
  ...countQuery,
});

const stageTotalSchema = z.object({
  stageId: uuid,
  count: z.number().int().describe('How many deals are in the stage'),
  amounts: z
    .array(z.object({ currency: z.string(), amountMinor: z.number().int().describe('Sum of the amounts in this currency, in minor units') }))
    .describe('One sum per currency; deals without an amount are counted but add nothing'),
});
nameComponent(stageTotalSchema, 'DealStageTotal');
const stageTotalsQuery = z.object({ pipelineId: uuid });

const dealView = (deal: Deal): z.infer<typeof dealSchema> => ({
  ...deal,
  closedAt: isoOrNull(deal.closedAt),
  createdAt: deal.createdAt.toISOString(),
  updatedAt: deal.updatedAt.toISOString(),
});

export const dealRoutes = routePlugin(async (app, deps) => {
  const { database } = deps;

  app.get(
    '/deals',
    {
      schema: {
        operationId: 'listDeals',
        tags: ['deals'],
        summary: 'List deals, filtered by pipeline, stage, owner, company or contact',
        querystring: dealListQuery,
        response: { 200: countedListEnvelope(dealSchema) },
      },
    },
    async (request) => {
      const ctx = purposeContext(request, 'deal:read');
      const { count, ...query } = request.query;
      const page = await listDeals(database.db, ctx, { ...query, countCap: countCapFor(count, deps.config.countCap) });
      return { data: page.data.map(dealView), withheld: page.withheld, nextCursor: page.nextCursor, ...page.count };
    },
  );

  app.get(
    '/deals/stage-totals',
    {
      schema: {
        operationId: 'getDealStageTotals',
        tags: ['deals'],
        summary: "Count and sum per currency the deals of each of a pipeline's stages",
        description: 'Only stages that hold deals are listed; an unknown pipeline has none. Amounts are summed exactly up to 2^53 − 1 minor units.',
        querystring: stageTotalsQuery,
        response: { 200: z.object({ data: z.array(stageTotalSchema) }) },
      },
    },
    async (request) => {
      const ctx = purposeContext(request, 'deal:read');
      return { data: await dealStageTotals(database.db, ctx, request.query.pipelineId) };
    },
  );

  app.post(
    '/deals',
    {
      config: { idempotencyKey: true, etag: true },
      schema: {
        operationId: 'createDeal',
        tags: ['deals'],
        summary: 'Create a deal (honours Idempotency-Key)',
        description: subjectRulesNote,
        body: dealCreate,
        response: { 200: singleEnvelope(dealSchema), 201: singleEnvelope(dealSchema) },
      },
    },
    async (request, reply) => {
      const ctx = purposeContext(request, 'deal:write');
      const created = await createThenRead(
        database,
        idempotencyRequestOf(request, ctx),
        (tx) => createDeal(tx, ctx, request.body),
        (executor, id) => getDeal(executor, ctx, id),
      );
      const { data: deal, withheld } = created.read;
      setEtag(reply, deal.version);
      return reply.code(created.statusCode).send({ data: dealView(deal), withheld });
    },
  );

  app.get(
    '/deals/:id',
    {
      config: { etag: true },
      schema: { operationId: 'getDeal', tags: ['deals'], summary: 'Get a deal', params: idParams, response: { 200: singleEnvelope(dealSchema) } },
    },
    async (request, reply) => {
      const ctx = purposeContext(request, 'deal:read');
      const { data: deal, withheld } = await getDeal(database.db, ctx, request.params.id);
      setEtag(reply, deal.version);
      return { data: dealView(deal), withheld };
    },
  );

  app.patch(
    '/deals/:id',
    {
      config: { ifMatch: 'required', etag: true },
      schema: {
        operationId: 'updateDeal',
        tags: ['deals'],
        summary: 'Change a deal (If-Match required); moving to a won or lost stage closes it',
        description: subjectRulesNote,
        params: idParams,
        body: dealPatch,
        response: { 200: singleEnvelope(dealSchema) },
      },
    },
    async (request, reply) => {
      const ctx = purposeContext(request, 'deal:write');
      const expectedVersion = requiredIfMatchVersion(request);
      await auditedTransaction(database.db, (tx) => updateDeal(tx, ctx, request.params.id, expectedVersion, request.body));
      const { data: deal, withheld } = await getDeal(database.db, ctx, request.params.id);
      setEtag(reply, deal.version);
      return { data: dealView(deal), withheld };
    },
  );

  app.delete(
    '/deals/:id',
    {
      config: { ifMatch: 'optional' },
      schema: {
        operationId: 'deleteDeal',
        tags: ['deals'],
        summary: 'Delete a deal for good (audited)',
        params: idParams,
        response: { 204: z.null().describe('Deleted') },
      },
    },
    async (request, reply) => {
      const ctx = purposeContext(request, 'deal:delete');
      const expectedVersion = optionalIfMatchVersion(request);
      await auditedTransaction(database.db, (tx) => deleteDeal(tx, ctx, request.params.id, expectedVersion));
      return reply.code(204).send(null);
    },
  );
});
