import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import { newId } from '../db/ids.ts';
import { webhookAttempts, webhookDeliveries } from '../db/schema/index.ts';
import type { AccessContext } from '../kernel/index.ts';
import { keysetCondition, keysetOrderBy, pageByCreationOf, parseSort } from '../shared/keyset.ts';
import { queueFirstAttempts } from './deliveryJobs.ts';
import { getSubscription } from './subscriptions.ts';

export const deliveryStatuses = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

export type DeliveryAttempt = { number: number; attemptedAt: Date; statusCode: number | null; error: string | null; durationMs: number };
export type DeliveryWithAttempts = {
  id: string;
  eventType: string;
  status: string;
  attemptCount: number;
  createdAt: Date;
  deliveredAt: Date | null;
  payload: Record<string, unknown>;
  attempts: DeliveryAttempt[];
};

const sortable = { created_at: { column: webhookDeliveries.createdAt, kind: 'timestamp' as const } };

/** A subscription's deliveries, newest first, each with its attempts in order. */
export async function listDeliveries(
  executor: Executor,
  ctx: AccessContext,
  subscriptionId: string,
  page: { cursor?: string; limit: number; status?: DeliveryStatus },
): Promise<{ data: DeliveryWithAttempts[]; nextCursor: string | null }> {
  await getSubscription(executor, ctx, subscriptionId);
  const order = parseSort(undefined, sortable, '-created_at');
  const rows = await executor
    .select({
      id: webhookDeliveries.id,
      eventType: webhookDeliveries.eventType,
      status: webhookDeliveries.status,
      attemptCount: webhookDeliveries.attemptCount,
      createdAt: webhookDeliveries.createdAt,
      deliveredAt: webhookDeliveries.deliveredAt,
      payload: webhookDeliveries.payload,
    })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.tenantId, ctx.tenantId),
        eq(webhookDeliveries.subscriptionId, subscriptionId),
        page.status ? eq(webhookDeliveries.status, page.status) : undefined,
        keysetCondition(order, webhookDeliveries.id, page.cursor),
      ),
    )
    .orderBy(...keysetOrderBy(order, webhookDeliveries.id))
    .limit(page.limit + 1);
  const { data, nextCursor } = pageByCreationOf(rows, page.limit, order);
  const attempts =
    data.length === 0
      ? []
      : await executor
          .select()
          .from(webhookAttempts)
          .where(
            and(
              eq(webhookAttempts.tenantId, ctx.tenantId),
              inArray(
                webhookAttempts.deliveryId,
                data.map((row) => row.id),
              ),
            ),
          )
          .orderBy(asc(webhookAttempts.deliveryId), asc(webhookAttempts.attemptNumber));
  const byDelivery = new Map<string, DeliveryAttempt[]>();
  for (const attempt of attempts) {
    const list = byDelivery.get(attempt.deliveryId) ?? [];
    list.push({
      number: attempt.attemptNumber,
      attemptedAt: attempt.attemptedAt,
      statusCode: attempt.statusCode,
      error: attempt.error,
      durationMs: attempt.durationMs,
    });
    byDelivery.set(attempt.deliveryId, list);
  }
  return { data: data.map((row) => ({ ...row, attempts: byDelivery.get(row.id) ?? [] })), nextCursor };
}

/** Queues a `webhook.ping` delivery to the subscription (whether or not it is active). */
export async function queuePing(tx: Executor, ctx: AccessContext, subscriptionId: string): Promise<{ deliveryId: string }> {
  await getSubscription(tx, ctx, subscriptionId);
  const id = newId();
  await tx.insert(webhookDeliveries).values({
    tenantId: ctx.tenantId,
    id,
    subscriptionId,
    eventType: 'webhook.ping',
    payload: { id, type: 'webhook.ping', occurredAt: new Date().toISOString(), workspaceId: ctx.tenantId, data: { object: 'webhook', id: subscriptionId } },
  });
  await queueFirstAttempts(tx, ctx.tenantId, [id]);
  return { deliveryId: id };
}
