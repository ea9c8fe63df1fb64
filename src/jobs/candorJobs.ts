import type { Database } from '../db/connection.ts';
import { webhookDeliveryHandler } from '../webhooks/deliveryHandler.ts';
import { webhookDeliveryQueue } from '../webhooks/deliveryJobs.ts';
import { loadWebhookSettings, type WebhookSettings } from '../webhooks/settings.ts';
import {
  abandonedImportsHandler,
  abandonedImportsQueue,
  consentExpiryHandler,
  consentExpiryQueue,
  portalSignInPruneQueue,
  portalSignInPruneHandler,
  epochAdvanceHandler,
  epochAdvanceQueue,
  idempotencyPruneHandler,
  idempotencyPruneQueue,
  rateLimitPruneHandler,
  rateLimitPruneQueue,
} from './maintenanceJobs.ts';
import { importJobQueue } from '../crm/import/importJob.ts';
import { importJobHandler } from './importJobs.ts';
import { campaignSendHandler } from './campaignJobs.ts';
import { campaignSendQueue } from '../privacy/campaigns/campaigns.ts';
import type { CampaignSendSettings } from '../privacy/campaigns/campaignSending.ts';
import { accessExportQueue } from '../privacy/accessExports/accessExports.ts';
import { accessExportHandler } from './accessExportJobs.ts';
import type { DeadlineNotifier } from '../privacy/requests/requestDeadlineReminders.ts';
import { requestDeadlineHandler, requestDeadlineQueue } from './requestJobs.ts';
import { retentionSweepHandler, retentionSweepQueue } from './retentionJobs.ts';
import { drpCallbackHandler, drpCallbackQueue } from './drpJobs.ts';
import { startJobRunner, type JobHandlers, type JobRunner, type JobRunnerOptions } from '../queue/jobRunner.ts';

/**
 * Every queue Candor works on, with its handler. Add new background work here. Campaigns
 * are sent through `campaigns` (the server's mailer and public URL); without it their jobs fail.
 */
export function candorJobHandlers(
  database: Database,
  webhooks: Partial<WebhookSettings> = {},
  campaigns?: CampaignSendSettings,
  requestDeadlines?: DeadlineNotifier,
): JobHandlers {
  const webhookSettings = loadWebhookSettings(process.env, webhooks);
  const publicUrl = campaigns?.publicUrl ?? process.env.CANDOR_PUBLIC_URL ?? 'http://localhost:3000';
  return {
    [webhookDeliveryQueue]: webhookDeliveryHandler(database, webhookSettings),
    [importJobQueue]: importJobHandler(database),
    [abandonedImportsQueue]: abandonedImportsHandler(database),
    [epochAdvanceQueue]: epochAdvanceHandler(database),
    [rateLimitPruneQueue]: rateLimitPruneHandler(database),
    [idempotencyPruneQueue]: idempotencyPruneHandler(database),
    [consentExpiryQueue]: consentExpiryHandler(database),
    [portalSignInPruneQueue]: portalSignInPruneHandler(database),
    [campaignSendQueue]: campaignSendHandler(database, campaigns),
    // Consent receipts in an export name the workspace's public URL (the campaigns' one, the server's).
    [accessExportQueue]: accessExportHandler(database, { publicUrl }),
    [requestDeadlineQueue]: requestDeadlineHandler(database, requestDeadlines),
    [retentionSweepQueue]: retentionSweepHandler(database),
    // Status callbacks to authorised agents, under the webhooks' receiver rules (user_verification_url on the public URL).
    [drpCallbackQueue]: drpCallbackHandler(database, { ...webhookSettings, publicUrl }),
  };
}

/** Starts Candor's job runner on `database` (what `candor serve` runs beside the API). */
export function startCandorJobs(
  database: Database,
  options: JobRunnerOptions & { webhooks?: Partial<WebhookSettings>; campaigns?: CampaignSendSettings; requestDeadlines?: DeadlineNotifier } = {},
): Promise<JobRunner> {
  const { webhooks, campaigns, requestDeadlines, ...runnerOptions } = options;
  return startJobRunner(database, candorJobHandlers(database, webhooks, campaigns, requestDeadlines), runnerOptions);
}
