import { createHash } from 'node:crypto';
import type { Executor } from '../db/connection.ts';
import { jobQueueReady, sendJob, sendJobs } from '../queue/sendJob.ts';

/** One pg-boss job per delivery attempt, on this queue. */
export const webhookDeliveryQueue = 'webhook-delivery';

export type DeliveryJob = { tenantId: string; deliveryId: string; attempt: number };

/**
 * The job id of attempt `attempt` of a delivery. Deterministic, so queueing the same
 * attempt twice (the writer's transaction and the runner's start-up sweep) runs it once.
 */
export function deliveryJobId(deliveryId: string, attempt: number): string {
  const hex = createHash('sha256').update(`${webhookDeliveryQueue}:${deliveryId}:${attempt}`).digest('hex');
  // Shaped as an RFC 9562 version-8 (custom) UUID.
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Queues one attempt in the caller's transaction: it runs only if the transaction commits. */
export async function queueDeliveryAttempt(tx: Executor, job: DeliveryJob, startAfter?: Date): Promise<void> {
  await sendJob(tx, webhookDeliveryQueue, job, { id: deliveryJobId(job.deliveryId, job.attempt), ...(startAfter ? { startAfter } : {}) });
}

/**
 * Queues the first attempt of new deliveries in the writer's transaction, in one INSERT.
 * Until a job runner has started once on this database the queue does not exist; the
 * deliveries then stay pending and the runner queues them when it starts.
 */
export async function queueFirstAttempts(tx: Executor, tenantId: string, deliveryIds: string[]): Promise<void> {
  if (deliveryIds.length === 0 || !(await jobQueueReady(tx, webhookDeliveryQueue))) return;
  await sendJobs(
    tx,
    webhookDeliveryQueue,
    deliveryIds.map((deliveryId) => ({ payload: { tenantId, deliveryId, attempt: 1 }, id: deliveryJobId(deliveryId, 1) })),
  );
}
