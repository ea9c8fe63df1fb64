import { z } from 'zod';
import { runIdempotent } from '../../platform/idempotency.ts';
import { notFound, staleVersion } from '../../shared/domainError.ts';
import { deliveryStatuses, listDeliveries, queuePing } from '../../webhooks/deliveryLog.ts';
import { loadWebhookSettings } from '../../webhooks/settings.ts';
import {
  createSubscription,
  deleteSubscription,
  getSubscription,
  listSubscriptions,
  updateSubscription,
  type WebhookSubscription,
} from '../../webhooks/subscriptions.ts';
import { requiredIfMatchVersion, setEtag } from '../etag.ts';
import { nameComponent, uuid } from '../openapi/components.ts';
import { accessContext } from '../principal.ts';
import { createdStatus, idempotencyRequestOf, idParams, isoOrNull, listEnvelope, singleEnvelope } from './recordRouteSupport.ts';
import { routePlugin } from './routePlugin.ts';

const eventTypes = z
  .array(z.string().max(100))
  .min(1)
  .max(100)
  .describe(
    'Events to receive, e.g. "contact.created", "deal.updated" (created, updated, deleted or merged), a consent event ("consent.given", "consent.refused", "consent.withdrawn", "consent.expired", "consent.renewed", "consent.opted_out"), or "*" for all',
  );

const subscriptionSchema = z.object({
  id: uuid,
  url: z.string(),
  eventTypes: z.array(z.string()),
  active: z.boolean(),
  createdAt: z.string(),
  version: z.number().int(),
});

nameComponent(subscriptionSchema, 'WebhookSubscription');

const createdSubscriptionSchema = subscriptionSchema.extend({
  secret: z.string().optional().describe('whsec_… signing secret: shown only in the response that created the webhook (not on an Idempotency-Key replay)'),
});

nameComponent(createdSubscriptionSchema, 'CreatedWebhookSubscription');

const attemptSchema = z.object({
  number: z.number().int(),
  attemptedAt: z.string(),
  statusCode: z.number().int().nullable().describe("the receiver's HTTP status; null when none arrived"),
  error: z.string().nullable().describe('why no status arrived: timeout, ECONNREFUSED, non_public_address, …'),
  durationMs: z.number().int(),
});

const deliverySchema = z.object({
  id: uuid.describe('sent as Candor-Webhook-Id; the same on every attempt'),
  eventType: z.string(),
  status: z.string().describe('pending, delivered or failed'),
  attemptCount: z.number().int(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()).describe('the thin body that was signed and sent: ids, event type, changed field names'),
  attempts: z.array(attemptSchema),
});

nameComponent(deliverySchema, 'WebhookDelivery');

const view = (subscription: WebhookSubscription): z.infer<typeof subscriptionSchema> => ({
  id: subscription.id,
  url: subscription.url,
  eventTypes: subscription.eventTypes,
  active: subscription.active,
  createdAt: subscription.createdAt.toISOString(),
  version: subscription.version,
});

const pageParams = {
  cursor: z.string().max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
};

const tags = ['webhooks'];

export const webhookRoutes = routePlugin(async (app, deps) => {
  // Read once: whether receivers may be on loopback or private networks (tests, local development).
  const urlPolicy = { allowPrivateNetworks: loadWebhookSettings().allowPrivateNetworks };

  app.post(
    '/webhooks',
    {
      config: { idempotencyKey: true, etag: true },
      schema: {
        operationId: 'createWebhook',
        tags,
        summary: 'Subscribe a URL to events (admin); the signing secret is returned once',
        description:
          'Deliveries are POSTed with Candor-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>, Candor-Webhook-Id and Candor-Event-Type. Bodies carry ids, the event type and changed field names, never personal values.',
        body: z.object({ url: z.string().max(2048), eventTypes, active: z.boolean().optional() }),
        response: { 201: singleEnvelope(createdSubscriptionSchema) },
      },
    },
    async (request, reply) => {
      const ctx = accessContext(request, 'webhook:write');
      let secret: string | undefined;
      const outcome = await runIdempotent(deps.database, idempotencyRequestOf(request, ctx), async (tx) => {
        const created = await createSubscription(tx, ctx, request.body, urlPolicy);
        secret = created.secret;
        return { statusCode: 201, recordId: created.id };
      });
      if (!outcome.recordId) throw notFound('webhook');
      const subscription = await getSubscription(deps.database.db, ctx, outcome.recordId);
      setEtag(reply, subscription.version);
      reply.code(createdStatus(outcome));
      return { data: { ...view(subscription), ...(outcome.replayed ? {} : { secret }) }, withheld: [] };
    },
  );

  app.get(
    '/webhooks',
    {
      schema: {
        operationId: 'listWebhooks',
        tags,
        summary: "The workspace's webhook subscriptions, oldest first",
        querystring: z.object(pageParams),
        response: { 200: listEnvelope(subscriptionSchema) },
      },
    },
    async (request) => {
      const ctx = accessContext(request, 'webhook:read');
      const page = await listSubscriptions(deps.database.db, ctx, request.query);
      return { data: page.data.map(view), withheld: [], nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/webhooks/:id',
    {
      config: { etag: true },
      schema: {
        operationId: 'getWebhook',
        tags,
        summary: 'One webhook subscription (without its secret)',
        params: idParams,
        response: { 200: singleEnvelope(subscriptionSchema) },
      },
    },
    async (request, reply) => {
      const ctx = accessContext(request, 'webhook:read');
      const subscription = await getSubscription(deps.database.db, ctx, request.params.id);
      setEtag(reply, subscription.version);
      return { data: view(subscription), withheld: [] };
    },
  );

  app.patch(
    '/webhooks/:id',
    {
      config: { ifMatch: 'required', etag: true },
      schema: {
        operationId: 'updateWebhook',
        tags,
        summary: 'Change the URL, events or active flag of a webhook (If-Match required)',
        params: idParams,
        body: z.object({ url: z.string().max(2048).optional(), eventTypes: eventTypes.optional(), active: z.boolean().optional() }),
        response: { 200: singleEnvelope(subscriptionSchema) },
      },
    },
    async (request, reply) => {
      const ctx = accessContext(request, 'webhook:write');
      const expectedVersion = requiredIfMatchVersion(request);
      const result = await deps.database.db.transaction((tx) => updateSubscription(tx, ctx, request.params.id, expectedVersion, request.body, urlPolicy));
      if ('staleVersion' in result) throw staleVersion(result.staleVersion);
      setEtag(reply, result.version);
      return { data: view(result), withheld: [] };
    },
  );

  app.delete(
    '/webhooks/:id',
    {
      schema: {
        operationId: 'deleteWebhook',
        tags,
        summary: 'Delete a webhook with its delivery log; pending deliveries are dropped',
        params: idParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const ctx = accessContext(request, 'webhook:delete');
      await deps.database.db.transaction((tx) => deleteSubscription(tx, ctx, request.params.id));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/webhooks/:id/deliveries',
    {
      schema: {
        operationId: 'listWebhookDeliveries',
        tags,
        summary: "A webhook's delivery log, newest first: each delivery with its attempts (time, status code, error, duration)",
        params: idParams,
        querystring: z.object({ ...pageParams, status: z.enum(deliveryStatuses).optional() }),
        response: { 200: listEnvelope(deliverySchema) },
      },
    },
    async (request) => {
      const ctx = accessContext(request, 'webhook:read');
      const page = await listDeliveries(deps.database.db, ctx, request.params.id, request.query);
      return {
        data: page.data.map((delivery) => ({
          ...delivery,
          createdAt: delivery.createdAt.toISOString(),
          deliveredAt: isoOrNull(delivery.deliveredAt),
          attempts: delivery.attempts.map((attempt) => ({ ...attempt, attemptedAt: attempt.attemptedAt.toISOString() })),
        })),
        withheld: [],
        nextCursor: page.nextCursor,
      };
    },
  );

  app.post(
    '/webhooks/:id/test',
    {
      schema: {
        operationId: 'testWebhook',
        tags,
        summary: 'Send a signed webhook.ping delivery to the URL; follow it in the delivery log',
        params: idParams,
        response: { 202: singleEnvelope(z.object({ deliveryId: uuid, eventType: z.literal('webhook.ping') })) },
      },
    },
    async (request, reply) => {
      const ctx = accessContext(request, 'webhook:write');
      const { deliveryId } = await deps.database.db.transaction((tx) => queuePing(tx, ctx, request.params.id));
      reply.code(202);
      return { data: { deliveryId, eventType: 'webhook.ping' as const }, withheld: [] };
    },
  );
});
