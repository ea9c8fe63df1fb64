import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import { newId } from '../db/ids.ts';
import { webhookDeliveries, webhookSubscriptions } from '../db/schema/index.ts';
import type { Change } from '../platform/changes.ts';

/**
 * Creates one pending delivery per active subscription to this event type. Payloads are
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
  await tx.insert(webhookDeliveries).values(
    subscriptions.map((subscription) => {
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
    }),
  );
}
