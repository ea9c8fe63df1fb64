import { z } from 'zod';
import { companySources, companyView } from '../../crm/companies/companyFields.ts';
import { createCompany, deleteCompany, getCompany, listCompanies, updateCompany } from '../../crm/companies/companyService.ts';
import { auditedTransaction } from '../../kernel/index.ts';
import { runCompanyBatch } from '../../crm/companies/companyBatch.ts';
import { batchBodyLimit, batchItemsSchema, batchModeSchema, batchResponseSchema, runBatchRoute } from './batchRouteSupport.ts';
import { optionalIfMatchVersion, requiredIfMatchVersion, setEtag } from '../etag.ts';
import { nameComponent, uuid } from '../openapi/components.ts';
import { purposeContext } from '../principal.ts';
import {
  createThenRead,
  currencyCode,
  idempotencyRequestOf,
  idParams,
  instant,
  countCapFor,
  countQuery,
  countedListEnvelope,
  minorUnits,
  pageQuery,
  singleEnvelope,
} from './recordRouteSupport.ts';
import { routePlugin } from './routePlugin.ts';

export const companySchema = z.object({
  id: uuid,
  name: z.string(),
  domain: z.string().nullable().describe('Host name, e.g. example.com'),
  industry: z.string().nullable(),
  phone: z.string().nullable().describe("Switchboard number (an organisation's, not a person's)"),
  city: z.string().nullable(),
  country: z.string().nullable(),
  employeeCount: z.number().int().nullable(),
  annualRevenueMinor: z.number().int().nullable(),
  currency: z.string().nullable(),
  ownerId: uuid.nullable(),
  source: z.string().describe('How Candor got the data: form, import, api or staff'),
  externalId: z.string().nullable(),
  importBatchId: uuid.nullable(),
  customFields: z.record(z.string(), z.unknown()),
  createdAt: instant,
  updatedAt: instant,
  version: z.number().int(),
});
nameComponent(companySchema, 'Company');

const optionalText = (max: number) => z.string().max(max).nullable().optional();
const companyChange = {
  domain: optionalText(300).describe('A domain or website; stored as its host name'),
  industry: optionalText(100),
  phone: optionalText(50),
  city: optionalText(200),
  country: optionalText(100),
  employeeCount: z.number().int().min(0).max(10_000_000).nullable().optional(),
  annualRevenueMinor: minorUnits.nullable().optional().describe('Annual revenue in minor units; needs currency'),
  currency: currencyCode.nullable().optional(),
  ownerId: uuid.nullable().optional().describe("A user of the workspace; defaults to the acting user (or the API key's creator)"),
  externalId: optionalText(200),
  customFields: z.record(z.string(), z.unknown()).optional().describe('Values by custom field key; on update keys merge and null removes one'),
};
const companyCreate = z.strictObject({ name: z.string().min(1).max(300), ...companyChange, source: z.enum(companySources).optional().describe('Default api') });
const companyPatch = z.strictObject({ name: z.string().min(1).max(300).optional(), ...companyChange });
nameComponent(companyCreate, 'CompanyCreate');
nameComponent(companyPatch, 'CompanyChange');
const companyBatch = z.strictObject({
  mode: batchModeSchema,
  matchOn: z.enum(['externalId', 'domain']).optional().describe('What an upsert finds its company by; default externalId'),
  items: batchItemsSchema(companyCreate, companyPatch),
});
export const companyListQuery = z.object({
  industry: z.string().max(100).optional(),
  ownerId: uuid.optional(),
  domain: z.string().max(300).optional().describe('Exact domain (normalised: "https://www.Example.com" matches example.com)'),
  namePrefix: z.string().min(1).max(300).optional().describe('Case-insensitive prefix of the company name'),
  ...pageQuery(['createdAt', 'updatedAt', 'name'], 'createdAt'),
  ...countQuery,
});

export const companyRoutes = routePlugin(async (app, deps) => {
  const { database } = deps;

  app.get(
    '/companies',
    {
      schema: {
        operationId: 'listCompanies',
        tags: ['companies'],
        summary: 'List companies, filtered by industry, owner, domain or name prefix',
        querystring: companyListQuery,
        response: { 200: countedListEnvelope(companySchema) },
      },
    },
    async (request) => {
      const ctx = purposeContext(request, 'company:read');
      const { count, ...query } = request.query;
      const page = await listCompanies(database.db, ctx, { ...query, countCap: countCapFor(count, deps.config.countCap) });
      return { data: page.data.map(companyView), withheld: page.withheld, nextCursor: page.nextCursor, ...page.count };
    },
  );

  app.post(
    '/companies',
    {
      config: { idempotencyKey: true, etag: true },
      schema: {
        operationId: 'createCompany',
        tags: ['companies'],
        summary: 'Create a company (honours Idempotency-Key)',
        body: companyCreate,
        response: { 200: singleEnvelope(companySchema), 201: singleEnvelope(companySchema) },
      },
    },
    async (request, reply) => {
      const ctx = purposeContext(request, 'company:write');
      const created = await createThenRead(
        database,
        idempotencyRequestOf(request, ctx),
        async (tx) => (await createCompany(tx, ctx, request.body)).id,
        (executor, id) => getCompany(executor, ctx, id),
      );
      const { data: company, withheld } = created.read;
      setEtag(reply, company.version);
      return reply.code(created.statusCode).send({ data: companyView(company), withheld });
    },
  );

  app.post(
    '/companies/batch',
    {
      bodyLimit: batchBodyLimit,
      config: { idempotencyKey: true, problems: ['conflict', 'not_found', 'precondition_failed'] },
      schema: {
        operationId: 'batchCompanies',
        tags: ['companies'],
        summary: 'Create, update or upsert up to 1,000 companies (honours Idempotency-Key)',
        description:
          'Each item passes the same checks as POST and PATCH /companies and is audited and sent to webhooks on its own. An upsert finds its company by external id or domain (matchOn). ' +
          'mode atomic: one transaction, the first refused item refuses the request naming items.<index>.<field>, nothing written; mode perItem: each item answers its own status or problem.',
        body: companyBatch,
        response: { 200: batchResponseSchema },
      },
    },
    async (request) => {
      const ctx = purposeContext(request, 'company:write');
      return runBatchRoute(database, request, ctx, (tx) => runCompanyBatch(tx, ctx, request.body));
    },
  );

  app.get(
    '/companies/:id',
    {
      config: { etag: true },
      schema: { operationId: 'getCompany', tags: ['companies'], summary: 'Get a company', params: idParams, response: { 200: singleEnvelope(companySchema) } },
    },
    async (request, reply) => {
      const ctx = purposeContext(request, 'company:read');
      const { data: company, withheld } = await getCompany(database.db, ctx, request.params.id);
      setEtag(reply, company.version);
      return { data: companyView(company), withheld };
    },
  );

  app.patch(
    '/companies/:id',
    {
      config: { ifMatch: 'required', etag: true },
      schema: {
        operationId: 'updateCompany',
        tags: ['companies'],
        summary: 'Change a company (If-Match required; null clears a value)',
        params: idParams,
        body: companyPatch,
        response: { 200: singleEnvelope(companySchema) },
      },
    },
    async (request, reply) => {
      const ctx = purposeContext(request, 'company:write');
      const expectedVersion = requiredIfMatchVersion(request);
      await auditedTransaction(database.db, (tx) => updateCompany(tx, ctx, request.params.id, expectedVersion, request.body));
      const { data: company, withheld } = await getCompany(database.db, ctx, request.params.id);
      setEtag(reply, company.version);
      return { data: companyView(company), withheld };
    },
  );

  app.delete(
    '/companies/:id',
    {
      config: { ifMatch: 'optional' },
      schema: {
        operationId: 'deleteCompany',
        tags: ['companies'],
        summary: 'Delete a company for good; its contacts, deals and purchases are unlinked (audited)',
        params: idParams,
        response: { 204: z.null().describe('Deleted') },
      },
    },
    async (request, reply) => {
      const ctx = purposeContext(request, 'company:delete');
      const expectedVersion = optionalIfMatchVersion(request);
      await auditedTransaction(database.db, (tx) => deleteCompany(tx, ctx, request.params.id, expectedVersion));
      return reply.code(204).send(null);
    },
  );
});
