import type { Database } from '../db/connection.ts';
import { pendingStatusCallbacks, recordStatusCallback, statusCallbackOf } from '../privacy/drp/drpCallbacks.ts';
import { drpCallbackQueue } from '../privacy/drp/drpCallbackQueue.ts';
import type { JobHandler } from '../queue/jobRunner.ts';
import { postToReceiver } from '../webhooks/receiverRequest.ts';
import type { WebhookSettings } from '../webhooks/settings.ts';

export { drpCallbackQueue };

/** Thrown to have pg-boss retry a callback the agent did not accept; names a status or an error code only. */
class CallbackNotAccepted extends Error {
  readonly code: string;
  constructor(code: string) {
    super(`The agent did not accept the status callback (${code}).`);
    this.name = 'CallbackNotAccepted';
    this.code = code;
  }
}

/**
 * Sends a Data Rights Protocol status callback (src/privacy/drp/drpCallbacks.ts) with the
 * webhooks' receiver rules: no redirects, a timeout, public addresses only unless private
 * networks are allowed (tests, local development). A callback the agent does not answer with
 * 2xx is retried with backoff, five times; the answer is noted on the request's link either way.
 * When the runner starts it sends the callbacks that changed before its queue existed.
 * `publicUrl` is where the privacy portal's pages are, for user_verification_url.
 */
export function drpCallbackHandler(
  database: Database,
  settings: Pick<WebhookSettings, 'timeoutMs' | 'allowPrivateNetworks'> & { publicUrl: string },
): JobHandler {
  return {
    // One at a time, so two jobs about one request do not both send the same status.
    batchSize: 1,
    retryLimit: 5,
    retryDelaySeconds: 30,
    async run(payload) {
      const tenantId = String(payload.tenantId);
      const requestId = String(payload.requestId);
      const callback = await statusCallbackOf(database.db, tenantId, requestId, settings.publicUrl);
      if (!callback) return;
      const outcome = await postToReceiver(callback.url, callback.body, { 'content-type': 'application/json' }, settings);
      await recordStatusCallback(database.db, tenantId, requestId, callback, outcome.statusCode);
      if (outcome.statusCode === null || outcome.statusCode < 200 || outcome.statusCode >= 300) {
        throw new CallbackNotAccepted(outcome.error ?? String(outcome.statusCode));
      }
    },
    async onStart(runner) {
      for (const pending of await pendingStatusCallbacks(database.db)) await runner.send(drpCallbackQueue, pending);
    },
  };
}
