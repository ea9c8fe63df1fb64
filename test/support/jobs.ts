import type { Database } from '../../src/db/connection.ts';
import { startJobRunner, type JobFailure, type JobHandlers, type JobRunner } from '../../src/queue/jobRunner.ts';
import { candorJobHandlers } from '../../src/jobs/candorJobs.ts';
import type { WebhookSettings } from '../../src/webhooks/settings.ts';
import type { CampaignSendSettings } from '../../src/privacy/campaigns/campaignSending.ts';

export type TestJobRunner = JobRunner & { failures: JobFailure[] };

/**
 * Starts a job runner on a test database (e.g. `t.database` from createTestApp): Candor's
 * own handlers unless others are given, polling at pg-boss's fastest rate, webhook retries
 * 20 ms apart and loopback receivers allowed. Stop it before closing the app.
 */
export async function startTestJobRunner(
  database: Database,
  options: { handlers?: JobHandlers; webhooks?: Partial<WebhookSettings>; campaigns?: CampaignSendSettings } = {},
): Promise<TestJobRunner> {
  const failures: JobFailure[] = [];
  const handlers = options.handlers ?? candorJobHandlers(database, { retryBaseMs: 20, allowPrivateNetworks: true, ...options.webhooks }, options.campaigns);
  const runner = await startJobRunner(database, handlers, { pollingIntervalSeconds: 0.5, onError: (failure) => failures.push(failure) });
  return Object.assign(runner, { failures });
}

/** Polls `probe` until it returns something truthy, or fails after `timeoutMs`. */
export async function eventually<T>(
  probe: () => Promise<T | null | undefined | false>,
  { timeoutMs = 20_000, intervalMs = 50, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
