import { createHash } from 'node:crypto';
import type { Database } from '../db/connection.ts';
import { campaignSendQueue } from '../privacy/campaigns/campaigns.ts';
import { sendCampaignBatch, type CampaignSendSettings } from '../privacy/campaigns/campaignSending.ts';
import type { JobHandler } from '../queue/jobRunner.ts';
import { sendJob } from '../queue/sendJob.ts';

/** A UUID-shaped id fixed by the campaign and its progress: a retried batch queues its follower once. */
function followerJobId(campaignId: string, progress: number): string {
  const hex = createHash('sha256').update(`candor-campaign-batch\u0000${campaignId}\u0000${progress}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Sends campaigns (src/privacy/campaigns/campaignSending.ts), one batch per job: each job
 * sends a batch and queues the next for when the campaign's rate allows. Retried on a crash
 * or database error: the deliveries table makes a retried batch mail no one twice.
 */
export function campaignSendHandler(database: Database, settings: CampaignSendSettings | undefined): JobHandler {
  return {
    batchSize: 1,
    retryLimit: 3,
    expireInSeconds: 10 * 60,
    async run(payload) {
      if (!settings) throw new Error('Campaigns need a mailer: the job runner was started without one.');
      const tenantId = String(payload.tenantId);
      const campaignId = String(payload.campaignId);
      const outcome = await sendCampaignBatch(database, settings, tenantId, campaignId);
      if (outcome.done) return;
      await sendJob(database.db, campaignSendQueue, { tenantId, campaignId }, { startAfter: outcome.nextAt, id: followerJobId(campaignId, outcome.progress) });
    },
  };
}
