import type { Executor } from '../../db/connection.ts';
import { jobQueueReady, sendJob } from '../../queue/sendJob.ts';

/*
 * The queue of status callbacks to authorised agents (Data Rights Protocol §2.03): a job per
 * change of state of an agent's request, sent in the transaction that changed it, so the
 * agent hears of a change only once it is committed. The job reads the request as it is when
 * it runs (src/jobs/drpJobs.ts). Before the job runner has ever started on this database the
 * queue does not exist yet: the runner then sends, when it starts, every callback the agents
 * have not had (drpCallbacks.ts pendingStatusCallbacks).
 */

export const drpCallbackQueue = 'drp-status-callbacks';

export async function queueAgentStatusCallback(tx: Executor, tenantId: string, requestId: string): Promise<void> {
  if (!(await jobQueueReady(tx, drpCallbackQueue))) return;
  await sendJob(tx, drpCallbackQueue, { tenantId, requestId });
}
