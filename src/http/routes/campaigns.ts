import { z } from 'zod';
import { auditedTransaction } from '../../kernel/index.ts';
import { campaignStatuses } from '../../db/schema/index.ts';
import {
  cancelCampaign,
  campaignSortNames,
  createCampaign,
  defaultRatePerSecond,
  deleteCampaign,
  deliveryCounts,
  getCampaign,
  listCampaigns,
  scheduleCampaign,
  updateCampaign,
  type Campaign,
  type DeliveryCounts,
} from '../../privacy/campaigns/campaigns.ts';
import type { Executor } from '../../db/connection.ts';
import { optionalIfMatchVersion, requiredIfMatchVersion, setEtag } from '../etag.ts';
import { nameComponent, uuid } from '../openapi/components.ts';
import { accessContext } from '../principal.ts';
import { createThenRead, idempotencyRequestOf, idParams, instant, isoOrNull, listEnvelope, pageQuery, singleEnvelope } from './recordRouteSupport.ts';
import { routePlugin } from './routePlugin.ts';

// E-mail campaigns to a segment (GET/POST/PATCH/DELETE /campaigns, schedule, cancel) and
// their delivery counts. Who receives is decided by the kernel as each batch is sent.

const content = {
  name: z.string().trim().min(1).max(200),
  segmentId: uuid.describe('The segment to send to (GET /segments)'),
  purposeKey: z.string().min(1).max(100).describe('An e-mail marketing purpose (data use marketing.communications.email), e.g. email_marketing'),
  subject: z.string().trim().min(1).max(200),
  textBody: z.string().min(1).max(100_000).describe('The plain-text body; every message ends with its one-click unsubscribe line'),
  htmlBody: z.string().max(200_000).nullable().describe('Optional simple HTML body (null for text only); an unsubscribe link is appended'),
  ratePerSecond: z.number().int().min(1).max(1000).describe(`Messages per second while sending; default ${defaultRatePerSecond}`),
};
const campaignCreate = z.strictObject({
  ...content,
  htmlBody: content.htmlBody.default(null),
  ratePerSecond: content.ratePerSecond.default(defaultRatePerSecond),
});
const campaignPatch = z
  .strictObject({
    name: content.name.optional(),
    segmentId: content.segmentId.optional(),
    purposeKey: content.purposeKey.optional(),
    subject: content.subject.optional(),
    textBody: content.textBody.optional(),
    htmlBody: content.htmlBody.optional(),
    ratePerSecond: content.ratePerSecond.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'name at least one thing to change');

const deliveriesSchema = z
  .object({ queued: z.number().int(), sending: z.number().int(), sent: z.number().int(), skipped: z.number().int(), failed: z.number().int() })
  .describe('Messages by state: skipped when the kernel left the person out at sending time (consent no longer live, objection, restriction) or no address');
const campaignSchema = z.object({
  id: uuid,
  name: z.string(),
  segmentId: uuid,
  purposeKey: z.string(),
  subject: z.string(),
  textBody: z.string(),
  htmlBody: z.string().nullable(),
  ratePerSecond: z.number().int(),
  status: z.enum(campaignStatuses),
  sendAt: z.string().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
  deliveries: deliveriesSchema,
});
nameComponent(campaignSchema, 'Campaign', 'An e-mail campaign to a segment under a marketing purpose, with its delivery counts');

const campaignBody = (campaign: Campaign, deliveries: DeliveryCounts) => ({
  ...campaign,
  sendAt: isoOrNull(campaign.sendAt),
  startedAt: isoOrNull(campaign.startedAt),
  finishedAt: isoOrNull(campaign.finishedAt),
  cancelledAt: isoOrNull(campaign.cancelledAt),
  createdAt: campaign.createdAt.toISOString(),
  updatedAt: campaign.updatedAt.toISOString(),
  deliveries,
});
async function readCampaign(executor: Executor, tenantId: string, id: string) {
  return campaignBody(await getCampaign(executor, tenantId, id), await deliveryCounts(executor, tenantId, id));
}

export const campaignRoutes = routePlugin(async (app, deps) => {
  const { database } = deps;

  app.get(
    '/campaigns',
    {
      schema: {
        operationId: 'listCampaigns',
        tags: ['campaigns'],
        summary: "The workspace's campaigns (of one status with status=), a page at a time, with delivery counts",
        querystring: z.object({ status: z.enum(campaignStatuses).optional(), ...pageQuery(campaignSortNames, 'createdAt') }),
        response: { 200: listEnvelope(campaignSchema) },
      },
    },
    async (request) => {
      const ctx = accessContext(request, 'campaign:read');
      const page = await listCampaigns(database.db, ctx.tenantId, request.query);
      const data = await Promise.all(page.data.map(async (campaign) => campaignBody(campaign, await deliveryCounts(database.db, ctx.tenantId, campaign.id))));
      return { data, withheld: [], nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/campaigns',
    {
      config: { idempotencyKey: true, etag: true },
      schema: {
        operationId: 'createCampaign',
        tags: ['campaigns'],
        summary: 'Write a campaign as a draft (honours Idempotency-Key); 422 names a purpose that is not for e-mail marketing or an unknown segment',
        body: campaignCreate,
        response: { 201: singleEnvelope(campaignSchema) },
      },
    },
    async (request, reply) => {
      const ctx = accessContext(request, 'campaign:write');
      const created = await createThenRead(
        database,
        idempotencyRequestOf(request, ctx),
        (tx) => createCampaign(tx, ctx, request.body),
        (executor, id) => readCampaign(executor, ctx.tenantId, id),
      );
      setEtag(reply, created.read.version);
      return reply.code(created.statusCode).header('location', `/api/v1/campaigns/${created.read.id}`).send({ data: created.read, withheld: [] });
    },
  );

  app.get(
    '/campaigns/:id',
    {
      config: { etag: true },
      schema: {
        operationId: 'getCampaign',
        tags: ['campaigns'],
        summary: 'One campaign with its delivery counts (poll it while sending)',
        params: idParams,
        response: { 200: singleEnvelope(campaignSchema) },
      },
    },
    async (request, reply) => {
      const campaign = await readCampaign(database.db, accessContext(request, 'campaign:read').tenantId, request.params.id);
      setEtag(reply, campaign.version);
      return { data: campaign, withheld: [] };
    },
  );

  app.patch(
    '/campaigns/:id',
    {
      config: { ifMatch: 'required', etag: true, problems: ['conflict'] },
      schema: {
        operationId: 'updateCampaign',
        tags: ['campaigns'],
        summary: 'Change a draft campaign (If-Match required; 409 once scheduled)',
        params: idParams,
        body: campaignPatch,
        response: { 200: singleEnvelope(campaignSchema) },
      },
    },
    async (request, reply) => {
      const ctx = accessContext(request, 'campaign:write');
      const expectedVersion = requiredIfMatchVersion(request);
      await auditedTransaction(database.db, (tx) => updateCampaign(tx, ctx, request.params.id, expectedVersion, request.body));
      const campaign = await readCampaign(database.db, ctx.tenantId, request.params.id);
      setEtag(reply, campaign.version);
      return { data: campaign, withheld: [] };
    },
  );

  app.post(
    '/campaigns/:id/schedule',
    {
      config: { ifMatch: 'required', etag: true, problems: ['conflict', 'jobs_unavailable'] },
      schema: {
        operationId: 'scheduleCampaign',
        tags: ['campaigns'],
        summary: 'Schedule a draft for sendAt (now when absent); If-Match required',
        description:
          'Sending starts at sendAt, a batch at a time at the campaign rate. Each batch asks the kernel then who may be mailed for the purpose: a person who withdrew after scheduling is skipped.',
        params: idParams,
        body: z.strictObject({ sendAt: instant.optional().describe('When to start; now when absent') }).default({}),
        response: { 200: singleEnvelope(campaignSchema) },
      },
    },
    async (request, reply) => {
      const ctx = accessContext(request, 'campaign:write');
      const expectedVersion = requiredIfMatchVersion(request);
      const sendAt = request.body.sendAt ? new Date(request.body.sendAt) : new Date();
      await auditedTransaction(database.db, (tx) => scheduleCampaign(tx, ctx, request.params.id, expectedVersion, sendAt));
      const campaign = await readCampaign(database.db, ctx.tenantId, request.params.id);
      setEtag(reply, campaign.version);
      return { data: campaign, withheld: [] };
    },
  );

  app.post(
    '/campaigns/:id/cancel',
    {
      config: { ifMatch: 'optional', etag: true, problems: ['conflict'] },
      schema: {
        operationId: 'cancelCampaign',
        tags: ['campaigns'],
        summary: 'Cancel a scheduled or sending campaign: no further batch is sent',
        params: idParams,
        response: { 200: singleEnvelope(campaignSchema) },
      },
    },
    async (request, reply) => {
      const ctx = accessContext(request, 'campaign:write');
      const expectedVersion = optionalIfMatchVersion(request);
      await auditedTransaction(database.db, (tx) => cancelCampaign(tx, ctx, request.params.id, expectedVersion));
      const campaign = await readCampaign(database.db, ctx.tenantId, request.params.id);
      setEtag(reply, campaign.version);
      return { data: campaign, withheld: [] };
    },
  );

  app.delete(
    '/campaigns/:id',
    {
      config: { ifMatch: 'optional', problems: ['conflict'] },
      schema: {
        operationId: 'deleteCampaign',
        tags: ['campaigns'],
        summary: 'Delete a draft, sent or cancelled campaign and its delivery records (409 while scheduled or sending)',
        params: idParams,
        response: { 204: z.null().describe('Deleted') },
      },
    },
    async (request, reply) => {
      const ctx = accessContext(request, 'campaign:delete');
      const expectedVersion = optionalIfMatchVersion(request);
      await auditedTransaction(database.db, (tx) => deleteCampaign(tx, ctx, request.params.id, expectedVersion));
      return reply.code(204).send(null);
    },
  );
});
