import { z } from 'zod';
import { createPurchase, deletePurchase, updatePurchase, type PurchasePatch } from '../../crm/purchases/purchaseWrites.ts';
import { defaultPurchaseSort, getPurchase, listPurchases, purchaseSorts, purchaseStatuses, type Purchase } from '../../crm/purchases/purchases.ts';
import { runIdempotent } from '../../platform/idempotency.ts';
import { auditedTransaction } from '../../kernel/index.ts';
import { optionalIfMatchVersion, requiredIfMatchVersion, setEtag } from '../etag.ts';
import { nameComponent, uuid } from '../openapi/components.ts';
import { purposeContext } from '../principal.ts';
import {
  createdStatus,
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
  subjectRulesNote,
} from './recordRouteSupport.ts';
import { routePlugin } from './routePlugin.ts';

const lineSchema = z.object({ sku: z.string().nullable(), name: z.string(), quantity: z.number().int(), unitPriceMinor: z.number().int() });
export const purchaseSchema = z.object({
  id: uuid,
  orderNumber: z.string(),
  status: z.enum(purchaseStatuses),
  currency: z.string(),
  totalMinor: z.number().int().describe('Sum of quantity × unitPriceMinor over the lines'),
  purchasedAt: instant,
  contactId: uuid.nullable().optional().describe('The buyer; absent when the purpose may not process them (see withheld)'),
  companyId: uuid.nullable(),
  lines: z.array(lineSchema),
  createdAt: instant,
  updatedAt: instant,
  version: z.number().int(),
});
nameComponent(lineSchema, 'PurchaseLine');
nameComponent(purchaseSchema, 'Purchase');

const lineInput = z.strictObject({
  sku: z.string().max(100).nullable().optional(),
  name: z.string().min(1).max(500).describe('Product name (not personal data)'),
  quantity: z.number().int().min(1).max(1_000_000),
  unitPriceMinor: minorUnits,
});
const purchaseFields = {
  orderNumber: z.string().min(1).max(100).describe('Unique per workspace'),
  status: z.enum(purchaseStatuses).describe('Defaults to completed'),
  currency: currencyCode,
  lines: z.array(lineInput).min(1).max(1000).describe('On update the array replaces the lines'),
  totalMinor: minorUnits.describe('Optional check: refused with 422 when it differs from the total of the lines'),
  purchasedAt: instant.describe('Defaults to now'),
  contactId: uuid.nullable(),
  companyId: uuid.nullable(),
};
const purchaseCreate = z.strictObject({
  orderNumber: purchaseFields.orderNumber,
  status: purchaseFields.status.optional(),
  currency: purchaseFields.currency,
  lines: purchaseFields.lines,
  totalMinor: purchaseFields.totalMinor.optional(),
  purchasedAt: purchaseFields.purchasedAt.optional(),
  contactId: purchaseFields.contactId.optional(),
  companyId: purchaseFields.companyId.optional(),
});
const purchasePatch = purchaseCreate.partial();
nameComponent(purchaseCreate, 'PurchaseCreate');
nameComponent(purchasePatch, 'PurchaseChange');

export const purchaseListQuery = z.object({
  contactId: uuid.optional(),
  companyId: uuid.optional(),
  status: z.enum(purchaseStatuses).optional(),
  ...pageQuery(Object.keys(purchaseSorts), defaultPurchaseSort),
  ...countQuery,
});

const toPatch = ({ purchasedAt, ...rest }: z.infer<typeof purchasePatch>): PurchasePatch => ({
  ...rest,
  ...(purchasedAt !== undefined ? { purchasedAt: new Date(purchasedAt) } : {}),
});

const purchaseView = (purchase: Purchase): z.infer<typeof purchaseSchema> => ({
  ...purchase,
  purchasedAt: purchase.purchasedAt.toISOString(),
  createdAt: purchase.createdAt.toISOString(),
  updatedAt: purchase.updatedAt.toISOString(),
});

export const purchaseRoutes = routePlugin(async (app, deps) => {
  const { database } = deps;

  app.get(
    '/purchases',
    {
      schema: {
        operationId: 'listPurchases',
        tags: ['purchases'],
        summary: 'List purchases, filtered by contact, company or status',
        querystring: purchaseListQuery,
        response: { 200: countedListEnvelope(purchaseSchema) },
      },
    },
    async (request) => {
      const ctx = purposeContext(request, 'purchase:read');
      const { count, ...query } = request.query;
      const page = await listPurchases(database.db, ctx, { ...query, countCap: countCapFor(count, deps.config.countCap) });
      return { data: page.data.map(purchaseView), withheld: page.withheld, nextCursor: page.nextCursor, ...page.count };
    },
  );

  app.post(
    '/purchases',
    {
      config: { idempotencyKey: true, etag: true, problems: ['duplicate'] },
      schema: {
        operationId: 'createPurchase',
        tags: ['purchases'],
        summary: 'Record an order with its lines; the total is computed (honours Idempotency-Key)',
        description: subjectRulesNote,
        body: purchaseCreate,
        response: { 200: singleEnvelope(purchaseSchema), 201: singleEnvelope(purchaseSchema) },
      },
    },
    async (request, reply) => {
      const ctx = purposeContext(request, 'purchase:write');
      const { orderNumber, currency, lines, ...rest } = request.body;
      const outcome = await runIdempotent(database, idempotencyRequestOf(request, ctx), async (tx) => ({
        statusCode: 201,
        recordId: await createPurchase(tx, ctx, { orderNumber, currency, lines, ...toPatch(rest) }),
      }));
      const { data: purchase, withheld } = await getPurchase(database.db, ctx, outcome.recordId ?? '');
      setEtag(reply, purchase.version);
      return reply.code(createdStatus(outcome)).send({ data: purchaseView(purchase), withheld });
    },
  );

  app.get(
    '/purchases/:id',
    {
      config: { etag: true },
      schema: {
        operationId: 'getPurchase',
        tags: ['purchases'],
        summary: 'Get a purchase with its lines',
        params: idParams,
        response: { 200: singleEnvelope(purchaseSchema) },
      },
    },
    async (request, reply) => {
      const ctx = purposeContext(request, 'purchase:read');
      const { data: purchase, withheld } = await getPurchase(database.db, ctx, request.params.id);
      setEtag(reply, purchase.version);
      return { data: purchaseView(purchase), withheld };
    },
  );

  app.patch(
    '/purchases/:id',
    {
      config: { ifMatch: 'required', etag: true, problems: ['duplicate'] },
      schema: {
        operationId: 'updatePurchase',
        tags: ['purchases'],
        summary: 'Change a purchase (If-Match required)',
        description: subjectRulesNote,
        params: idParams,
        body: purchasePatch,
        response: { 200: singleEnvelope(purchaseSchema) },
      },
    },
    async (request, reply) => {
      const ctx = purposeContext(request, 'purchase:write');
      const expectedVersion = requiredIfMatchVersion(request);
      await auditedTransaction(database.db, (tx) => updatePurchase(tx, ctx, request.params.id, expectedVersion, toPatch(request.body)));
      const { data: purchase, withheld } = await getPurchase(database.db, ctx, request.params.id);
      setEtag(reply, purchase.version);
      return { data: purchaseView(purchase), withheld };
    },
  );

  app.delete(
    '/purchases/:id',
    {
      config: { ifMatch: 'optional' },
      schema: {
        operationId: 'deletePurchase',
        tags: ['purchases'],
        summary: 'Delete a purchase for good (audited)',
        params: idParams,
        response: { 204: z.null().describe('Deleted') },
      },
    },
    async (request, reply) => {
      const ctx = purposeContext(request, 'purchase:delete');
      const expectedVersion = optionalIfMatchVersion(request);
      await auditedTransaction(database.db, (tx) => deletePurchase(tx, ctx, request.params.id, expectedVersion));
      return reply.code(204).send(null);
    },
  );
});
