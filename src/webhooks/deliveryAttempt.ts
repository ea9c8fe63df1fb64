import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/connection.ts';
import { webhookAttempts, webhookDeliveries, webhookSubscriptions } from '../db/schema/index.ts';
import { queueDeliveryAttempt, type DeliveryJob } from './deliveryJobs.ts';
import { postToReceiver, type ReceiverOutcome } from './receiverRequest.ts';
import { retryDelayMs, type WebhookSettings } from './settings.ts';
import { signWebhook } from './signature.ts';

/** The notices of a data subject's erasure (src/privacy/erasure/subjectErasure.ts). */
const erasureNotices = new Set(['contact.deleted', 'visitor.deleted']);

export type AttemptResult = 'delivered' | 'retrying' | 'failed' | 'stale';

/**
 * Makes attempt `job.attempt` of a delivery: signs the stored thin payload, POSTs it, and
 * records the attempt. 2xx delivers; anything else, a timeout or a connection error is a
 * failed attempt, followed by the next one after an exponential backoff, until
 * `maxAttempts` have failed. No transaction is held during the HTTP call (PGlite has one
 * connection); the attempt is recorded only if the delivery is still at the attempt
 * before this one, so a duplicate job records nothing and queues nothing.
 */
export async function attemptDelivery(database: Database, settings: WebhookSettings, job: DeliveryJob): Promise<AttemptResult> {
  const [delivery] = await database.db
    .select({
      status: webhookDeliveries.status,
      attemptCount: webhookDeliveries.attemptCount,
      eventType: webhookDeliveries.eventType,
      payload: webhookDeliveries.payload,
      url: webhookSubscriptions.url,
      secret: webhookSubscriptions.secret,
    })
    .from(webhookDeliveries)
    .innerJoin(
      webhookSubscriptions,
      and(eq(webhookSubscriptions.tenantId, webhookDeliveries.tenantId), eq(webhookSubscriptions.id, webhookDeliveries.subscriptionId)),
    )
    .where(and(eq(webhookDeliveries.tenantId, job.tenantId), eq(webhookDeliveries.id, job.deliveryId)));
  if (delivery?.status !== 'pending' || delivery.attemptCount !== job.attempt - 1) return 'stale';

  const body = JSON.stringify(delivery.payload);
  const attemptedAt = new Date();
  const outcome = await postToReceiver(
    delivery.url,
    body,
    {
      'content-type': 'application/json',
      'user-agent': 'Candor-Webhooks/1',
      'candor-webhook-id': job.deliveryId,
      'candor-event-type': delivery.eventType,
      'candor-signature': signWebhook(delivery.secret, body, Math.floor(attemptedAt.getTime() / 1000)),
    },
    settings,
  );
  return recordAttempt(database, settings, job, attemptedAt, outcome, delivery.eventType);
}

async function recordAttempt(
  database: Database,
  settings: WebhookSettings,
  job: DeliveryJob,
  attemptedAt: Date,
  outcome: ReceiverOutcome,
  eventType: string,
): Promise<AttemptResult> {
  const delivered = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
  const result: AttemptResult = delivered ? 'delivered' : job.attempt >= settings.maxAttempts ? 'failed' : 'retrying';
  return database.db.transaction(async (tx) => {
    const claimed = await tx
      .update(webhookDeliveries)
      .set({
        attemptCount: job.attempt,
        status: result === 'retrying' ? 'pending' : result,
        deliveredAt: delivered ? new Date() : null,
        // An erasure's notice (Art. 19) names the erased subject only until it is delivered or given up.
        ...(result !== 'retrying' && erasureNotices.has(eventType) ? { payload: sql`jsonb_set(${webhookDeliveries.payload}, '{data,id}', 'null')` } : {}),
      })
      .where(
        and(
          eq(webhookDeliveries.tenantId, job.tenantId),
          eq(webhookDeliveries.id, job.deliveryId),
          eq(webhookDeliveries.status, 'pending'),
          eq(webhookDeliveries.attemptCount, job.attempt - 1),
        ),
      )
      .returning({ id: webhookDeliveries.id });
    if (claimed.length === 0) return 'stale';
    await tx.insert(webhookAttempts).values({
      tenantId: job.tenantId,
      deliveryId: job.deliveryId,
      attemptNumber: job.attempt,
      attemptedAt,
      statusCode: outcome.statusCode,
      error: outcome.error,
      durationMs: outcome.durationMs,
    });
    if (result === 'retrying') {
      const startAfter = new Date(Date.now() + retryDelayMs(job.attempt, settings));
      await queueDeliveryAttempt(tx, { ...job, attempt: job.attempt + 1 }, startAfter);
    }
    return result;
  });
}
