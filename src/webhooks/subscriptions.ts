import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import { newId } from '../db/ids.ts';
import { webhookSubscriptions } from '../db/schema/index.ts';
import { appendAudit, type AccessContext } from '../kernel/index.ts';
import { keysetCondition, keysetOrderBy, pageByCreationOf, parseSort } from '../shared/keyset.ts';
import { invalid, notFound } from '../shared/domainError.ts';
import { checkCallbackTarget } from '../shared/httpUrl.ts';
import { namesNonPublicHost } from './addressPolicy.ts';
import { consentEventStates } from '../shared/consentVocabulary.ts';

export type WebhookSubscription = {
  id: string;
  url: string;
  eventTypes: string[];
  active: boolean;
  createdAt: Date;
  version: number;
};

export type SubscriptionInput = { url: string; eventTypes: string[]; active?: boolean };
export type SubscriptionPatch = Partial<SubscriptionInput>;
export type UrlPolicy = { allowPrivateNetworks: boolean };

/** `<object>.<created|updated|deleted|merged>`, a consent ledger event by its state (`consent.withdrawn`), or `*` for every event. */
export const eventTypePattern = new RegExp(`^(\\*|[a-z][a-z_]{0,62}\\.(created|updated|deleted|merged)|consent\\.(${consentEventStates.join('|')}))$`);

const columns = {
  id: webhookSubscriptions.id,
  url: webhookSubscriptions.url,
  eventTypes: webhookSubscriptions.eventTypes,
  active: webhookSubscriptions.active,
  createdAt: webhookSubscriptions.createdAt,
  version: webhookSubscriptions.version,
};

/** A signing secret, shown once when the subscription is created. */
export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

export function checkWebhookUrl(value: string, policy: UrlPolicy): string {
  const url = checkCallbackTarget(value, 'url');
  if (!policy.allowPrivateNetworks && namesNonPublicHost(url)) throw invalid('url', 'must be on a public address');
  return url.toString();
}

export function checkEventTypes(eventTypes: string[]): string[] {
  const unique = [...new Set(eventTypes)];
  if (unique.length === 0) throw invalid('eventTypes', 'name at least one event type, or "*"');
  const bad = unique.findIndex((eventType) => !eventTypePattern.test(eventType));
  if (bad >= 0)
    throw invalid(
      `eventTypes.${bad}`,
      'must look like "contact.created" (created, updated, deleted or merged), be a consent event such as "consent.withdrawn", or be "*"',
    );
  return unique;
}

export async function createSubscription(
  tx: Executor,
  ctx: AccessContext,
  input: SubscriptionInput,
  policy: UrlPolicy,
): Promise<WebhookSubscription & { secret: string }> {
  const values = {
    tenantId: ctx.tenantId,
    id: newId(),
    url: checkWebhookUrl(input.url, policy),
    eventTypes: checkEventTypes(input.eventTypes),
    active: input.active ?? true,
    secret: newWebhookSecret(),
  };
  const [row] = await tx
    .insert(webhookSubscriptions)
    .values(values)
    .returning({ ...columns, secret: webhookSubscriptions.secret });
  await auditSubscription(tx, ctx, 'created', row.id, ['url', 'eventTypes', 'active', 'secret']);
  return row;
}

export async function getSubscription(executor: Executor, ctx: AccessContext, id: string): Promise<WebhookSubscription> {
  const [row] = await executor
    .select(columns)
    .from(webhookSubscriptions)
    .where(and(eq(webhookSubscriptions.tenantId, ctx.tenantId), eq(webhookSubscriptions.id, id)));
  if (!row) throw notFound('webhook');
  return row;
}

/** The subscription with its secret: only for replaying the create response to its own idempotent retry. */
export async function getSubscriptionWithSecret(executor: Executor, ctx: AccessContext, id: string): Promise<WebhookSubscription & { secret: string }> {
  const [row] = await executor
    .select({ ...columns, secret: webhookSubscriptions.secret })
    .from(webhookSubscriptions)
    .where(and(eq(webhookSubscriptions.tenantId, ctx.tenantId), eq(webhookSubscriptions.id, id)));
  if (!row) throw notFound('webhook');
  return row;
}

const sortable = { created_at: { column: webhookSubscriptions.createdAt, kind: 'timestamp' as const } };

export async function listSubscriptions(executor: Executor, ctx: AccessContext, page: { cursor?: string; limit: number }) {
  const order = parseSort(undefined, sortable, 'created_at');
  const rows = await executor
    .select(columns)
    .from(webhookSubscriptions)
    .where(and(eq(webhookSubscriptions.tenantId, ctx.tenantId), keysetCondition(order, webhookSubscriptions.id, page.cursor)))
    .orderBy(...keysetOrderBy(order, webhookSubscriptions.id))
    .limit(page.limit + 1);
  return pageByCreationOf(rows, page.limit, order);
}

/** Applies `patch` if the subscription is still at `expectedVersion`; returns it, or throws. */
export async function updateSubscription(
  tx: Executor,
  ctx: AccessContext,
  id: string,
  expectedVersion: number,
  patch: SubscriptionPatch,
  policy: UrlPolicy,
): Promise<WebhookSubscription | { staleVersion: number }> {
  const current = await getSubscription(tx, ctx, id);
  if (current.version !== expectedVersion) return { staleVersion: current.version };
  const changes = {
    ...(patch.url !== undefined ? { url: checkWebhookUrl(patch.url, policy) } : {}),
    ...(patch.eventTypes !== undefined ? { eventTypes: checkEventTypes(patch.eventTypes) } : {}),
    ...(patch.active !== undefined ? { active: patch.active } : {}),
  };
  const [row] = await tx
    .update(webhookSubscriptions)
    .set({ ...changes, version: current.version + 1 })
    .where(and(eq(webhookSubscriptions.tenantId, ctx.tenantId), eq(webhookSubscriptions.id, id), eq(webhookSubscriptions.version, expectedVersion)))
    .returning(columns);
  if (!row) return { staleVersion: (await getSubscription(tx, ctx, id)).version };
  await auditSubscription(tx, ctx, 'updated', id, Object.keys(changes));
  return row;
}

/** Deletes the subscription with its delivery log (cascade); pending deliveries are dropped. */
export async function deleteSubscription(tx: Executor, ctx: AccessContext, id: string): Promise<void> {
  const deleted = await tx
    .delete(webhookSubscriptions)
    .where(and(eq(webhookSubscriptions.tenantId, ctx.tenantId), eq(webhookSubscriptions.id, id)))
    .returning({ id: webhookSubscriptions.id });
  if (deleted.length === 0) throw notFound('webhook');
  await auditSubscription(tx, ctx, 'deleted', id, []);
}

// Subscriptions are workspace configuration, not CRM records: they are audited but not
// fanned out to webhooks themselves (a subscription would otherwise announce its own birth).
function auditSubscription(tx: Executor, ctx: AccessContext, kind: 'created' | 'updated' | 'deleted', id: string, fields: string[]) {
  return appendAudit(tx, ctx, { action: `webhook.${kind}`, object: 'webhook', recordIds: [id], fields });
}
