import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import { newId } from '../db/ids.ts';
import { webhookDeliveries, webhookSubscriptions } from '../db/schema/index.ts';
import type { ConsentEventState } from '../shared/consentVocabulary.ts';
import { queueFirstAttempts } from './deliveryJobs.ts';

// A consent ledger event is announced by its state: consent.given, consent.withdrawn, …
export type ChangeKind = 'created' | 'updated' | 'deleted' | 'merged' | ConsentEventState;

/** A change to one record, as subscribers hear of it (src/platform/changes.ts recordChange). */
export type Change = {
  object: string;
  recordId: string;
  kind: ChangeKind;
  /** Names of the fields that changed; never their values. */
  fields?: string[];
  /** Other records involved (e.g. the duplicate merged into this one). */
  relatedIds?: string[];
};

// Rows per INSERT of deliveries: keeps a statement's bound values well under PostgreSQL's limit.
const deliveryChunkRows = 2_000;

/**
 * Creates one pending delivery per change and active subscription to its event type, and
 * queues its first attempt as a pg-boss job in the same transaction: a rolled-back write
 * sends nothing, a committed one is delivered even if the process dies right after the
 * commit (no polling dispatcher, so no delay and no scan of the delivery table). Set-wise:
 * one query for the subscriptions, one INSERT per 2,000 deliveries and one of their jobs,
 * whatever the number of changes. Payloads are thin: ids, event type and changed field
 * names, never personal values; receivers fetch the record through the API under their
 * own purpose.
 */
export async function queueWebhookDeliveries(tx: Executor, tenantId: string, changes: readonly Change[]): Promise<void> {
  const eventTypes = [...new Set(changes.map((change) => `${change.object}.${change.kind}`))];
  if (eventTypes.length === 0) return;
  const subscriptions = await tx
    .select({ id: webhookSubscriptions.id, eventTypes: webhookSubscriptions.eventTypes })
    .from(webhookSubscriptions)
    .where(
      and(
        eq(webhookSubscriptions.tenantId, tenantId),
        eq(webhookSubscriptions.active, true),
        sql`(${webhookSubscriptions.eventTypes} && ${sql.param(eventTypes)}::text[] or '*' = any(${webhookSubscriptions.eventTypes}))`,
      ),
    );
  if (subscriptions.length === 0) return;
  const occurredAt = new Date().toISOString();
  const deliveries = changes.flatMap((change) => {
    const eventType = `${change.object}.${change.kind}`;
    const data = { object: change.object, id: change.recordId, changedFields: change.fields ?? [], relatedIds: change.relatedIds ?? [] };
    return subscriptions
      .filter((subscription) => subscription.eventTypes.includes(eventType) || subscription.eventTypes.includes('*'))
      .map((subscription) => {
        const id = newId();
        return { tenantId, id, subscriptionId: subscription.id, eventType, payload: { id, type: eventType, occurredAt, workspaceId: tenantId, data } };
      });
  });
  for (let start = 0; start < deliveries.length; start += deliveryChunkRows) {
    await tx.insert(webhookDeliveries).values(deliveries.slice(start, start + deliveryChunkRows));
  }
  await queueFirstAttempts(
    tx,
    tenantId,
    deliveries.map((delivery) => delivery.id),
  );
}
