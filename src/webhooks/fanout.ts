import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import { newId } from '../db/ids.ts';
import { webhookDeliveries, webhookSubscriptions } from '../db/schema/index.ts';
import { queueFirstAttempts } from './deliveryJobs.ts';

export type ChangeKind = 'created' | 'updated' | 'deleted' | 'merged';

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

/**
 * Creates one pending delivery per active subscription to this event type, and queues its
 * first attempt as a pg-boss job in the same transaction: a rolled-back write sends
 * nothing, a committed one is delivered even if the process dies right after the commit
 * (no polling dispatcher, so no delay and no scan of the delivery table). Payloads are
 * thin: ids, event type and changed field names, never personal values; receivers fetch
 * the record through the API under their own purpose.
 */
export async function queueWebhookDeliveries(tx: Executor, tenantId: string, change: Change): Promise<void> {
  const eventType = `${change.object}.${change.kind}`;
  const subscriptions = await tx
    .select({ id: webhookSubscriptions.id })
    .from(webhookSubscriptions)
    .where(
      and(
        eq(webhookSubscriptions.tenantId, tenantId),
        eq(webhookSubscriptions.active, true),
        sql`(${eventType} = any(${webhookSubscriptions.eventTypes}) or '*' = any(${webhookSubscriptions.eventTypes}))`,
      ),
    );
  if (subscriptions.length === 0) return;
  const occurredAt = new Date().toISOString();
  const deliveries = subscriptions.map((subscription) => {
    const id = newId();
    return {
      tenantId,
      id,
      subscriptionId: subscription.id,
      eventType,
      payload: {
        id,
        type: eventType,
        occurredAt,
        workspaceId: tenantId,
        data: { object: change.object, id: change.recordId, changedFields: change.fields ?? [], relatedIds: change.relatedIds ?? [] },
      },
    };
  });
  await tx.insert(webhookDeliveries).values(deliveries);
  await queueFirstAttempts(
    tx,
    tenantId,
    deliveries.map((delivery) => delivery.id),
  );
}
