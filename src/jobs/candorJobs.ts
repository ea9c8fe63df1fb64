import type { Database } from '../db/connection.ts';
import { webhookDeliveryHandler } from '../webhooks/deliveryHandler.ts';
import { webhookDeliveryQueue } from '../webhooks/deliveryJobs.ts';
import { loadWebhookSettings, type WebhookSettings } from '../webhooks/settings.ts';
import {
  abandonedImportsHandler,
  abandonedImportsQueue,
  consentExpiryHandler,
  consentExpiryQueue,
  epochAdvanceHandler,
  epochAdvanceQueue,
  idempotencyPruneHandler,
  idempotencyPruneQueue,
  rateLimitPruneHandler,
  rateLimitPruneQueue,
} from './maintenanceJobs.ts';
import { importJobQueue } from '../crm/import/importJob.ts';
import { importJobHandler } from './importJobs.ts';
import { startJobRunner, type JobHandlers, type JobRunner, type JobRunnerOptions } from '../queue/jobRunner.ts';

/** Every queue Candor works on, with its handler. Add new background work here. */
export function candorJobHandlers(database: Database, webhooks: Partial<WebhookSettings> = {}): JobHandlers {
  return {
    [webhookDeliveryQueue]: webhookDeliveryHandler(database, loadWebhookSettings(process.env, webhooks)),
    [importJobQueue]: importJobHandler(database),
    [abandonedImportsQueue]: abandonedImportsHandler(database),
    [epochAdvanceQueue]: epochAdvanceHandler(database),
    [rateLimitPruneQueue]: rateLimitPruneHandler(database),
    [idempotencyPruneQueue]: idempotencyPruneHandler(database),
    [consentExpiryQueue]: consentExpiryHandler(database),
  };
}

/** Starts Candor's job runner on `database` (what `candor serve` runs beside the API). */
export function startCandorJobs(database: Database, options: JobRunnerOptions & { webhooks?: Partial<WebhookSettings> } = {}): Promise<JobRunner> {
  const { webhooks, ...runnerOptions } = options;
  return startJobRunner(database, candorJobHandlers(database, webhooks), runnerOptions);
}
