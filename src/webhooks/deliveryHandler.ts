import { eq } from 'drizzle-orm';
import type { Database } from '../db/connection.ts';
import { webhookDeliveries } from '../db/schema/index.ts';
import type { JobHandler } from '../queue/jobRunner.ts';
import { attemptDelivery } from './deliveryAttempt.ts';
import { queueDeliveryAttempt } from './deliveryJobs.ts';
import type { WebhookSettings } from './settings.ts';

/** The job handler that makes delivery attempts; register it on `webhookDeliveryQueue`. */
export function webhookDeliveryHandler(database: Database, settings: WebhookSettings): JobHandler {
  return {
    async run(payload) {
      const { tenantId, deliveryId, attempt } = payload;
      if (typeof tenantId !== 'string' || typeof deliveryId !== 'string' || typeof attempt !== 'number') {
        throw new TypeError('A webhook delivery job needs tenantId, deliveryId and attempt.');
      }
      await attemptDelivery(database, settings, { tenantId, deliveryId, attempt });
    },
    // A crash between the HTTP call and recording it re-runs the attempt (receivers
    // de-duplicate by Candor-Webhook-Id); the receiver's own failures are retried by
    // queueing the next attempt, not by pg-boss.
    retryLimit: 3,
    retryDelaySeconds: 5,
    expireInSeconds: Math.ceil(settings.timeoutMs / 1000) + 50,
    batchSize: 10,
    async onStart() {
      await queuePendingDeliveries(database);
    },
  };
}

/**
 * Queues the next attempt of every pending delivery. Covers deliveries written before the
 * queue existed (no runner had started on this database yet); for the others the
 * deterministic job id makes this a no-op.
 */
export async function queuePendingDeliveries(database: Database): Promise<number> {
  const pending = await database.db
    .select({ tenantId: webhookDeliveries.tenantId, deliveryId: webhookDeliveries.id, attemptCount: webhookDeliveries.attemptCount })
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.status, 'pending'));
  for (const delivery of pending) {
    await queueDeliveryAttempt(database.db, { tenantId: delivery.tenantId, deliveryId: delivery.deliveryId, attempt: delivery.attemptCount + 1 });
  }
  return pending.length;
}
