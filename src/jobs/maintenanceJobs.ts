import { abandonedAfterMs, discardAbandonedImports } from '../crm/import/importService.ts';
import type { Database } from '../db/connection.ts';
import { knownLoginAddress, loginBackoffRules, throttleRules } from '../accounts/throttles.ts';
import {
  advanceDueEpochs,
  forgetEndedPortalSignIns,
  kernelKeyStore,
  recordConsentExpiries,
  workspacesDueForEpochAdvance,
  type KeyStore,
} from '../kernel/index.ts';
import { idempotencyWindowMs, pruneIdempotencyKeys } from '../platform/idempotency.ts';
import { pruneRateLimitBuckets } from '../platform/rateLimit.ts';
import type { JobHandler } from '../queue/jobRunner.ts';

/*
 * Recurring upkeep, run by the job runner on a cron schedule (pg-boss inserts one job per
 * tick, so several Candor processes on one database still run each tick once).
 */

export const epochAdvanceQueue = 'vault-epoch-advance';
export const rateLimitPruneQueue = 'rate-limit-prune';
export const idempotencyPruneQueue = 'idempotency-prune';
export const abandonedImportsQueue = 'import-cleanup';
export const consentExpiryQueue = 'consent-expiry';
export const portalSignInPruneQueue = 'portal-sign-in-prune';

/** Upkeep every 15 minutes, one run at a time across processes; a failed run waits for the next tick. */
const everyQuarterHour = (run: () => Promise<void>): JobHandler => ({ schedule: '*/15 * * * *', singleton: true, batchSize: 1, retryLimit: 0, run });

/**
 * Every minute: advance the key epoch of each workspace whose erasures are due
 * (epochAdvancePolicy: 15 minutes after the first, or at 100), so an erasure holds against
 * old database copies within the stated window. The key store is looked up per run, so the
 * one `startKernel` opened is used. One run at a time (singleton queue): an advance over a
 * large workspace may outlast the minute, and a second run would only contend for the locks.
 */
export function epochAdvanceHandler(database: Database, keyStore: () => KeyStore = kernelKeyStore): JobHandler {
  return {
    schedule: '* * * * *',
    singleton: true,
    batchSize: 1,
    // The next tick retries anyway; an advance left half-way is finished by the next run.
    retryLimit: 0,
    expireInSeconds: 15 * 60,
    async run() {
      // Most minutes nothing is due; then no key store is needed (a test process may have none).
      if ((await workspacesDueForEpochAdvance(database.db)).length === 0) return;
      await advanceDueEpochs(database, keyStore());
    },
  };
}

/**
 * The longest throttle window: a bucket whose window opened (or, for a login back-off, whose
 * last failure happened) longer ago than this can neither refuse nor count toward anything.
 */
export const longestThrottleWindowMs = Math.max(
  ...Object.values(throttleRules).map((rule) => rule.windowMs),
  ...Object.values(loginBackoffRules).map((rule) => rule.forgetAfterMs),
);

/** Every 15 minutes: delete rate-limit buckets that no longer count (known login addresses after their own time). */
export function rateLimitPruneHandler(database: Database, windowMs = longestThrottleWindowMs): JobHandler {
  return everyQuarterHour(async () => {
    const now = Date.now();
    await pruneRateLimitBuckets(database.db, new Date(now - windowMs), {
      [knownLoginAddress.scope]: new Date(now - Math.max(windowMs, knownLoginAddress.forgetAfterMs)),
    });
  });
}

/**
 * Every 15 minutes: delete idempotency records older than their window, so a request's
 * fingerprint is kept no longer than a retry can need it.
 */
export function idempotencyPruneHandler(database: Database, windowMs = idempotencyWindowMs): JobHandler {
  return everyQuarterHour(async () => {
    await pruneIdempotencyKeys(database.db, new Date(Date.now() - windowMs));
  });
}

/**
 * Every 15 minutes: fail the imports a stopped process left running (no progress for 15
 * minutes) and those whose job never ran within a day, dropping what they staged and their
 * files, so no personal value waits in staging for the next import to notice it.
 */
export function abandonedImportsHandler(database: Database): JobHandler {
  return everyQuarterHour(async () => {
    await discardAbandonedImports(database, { idleMs: abandonedAfterMs });
  });
}

/**
 * Every 15 minutes: write an `expired` event into the consent ledger for each consent past
 * its expiry. The policy already stopped counting it at the expiry time; this keeps the
 * ledger (and the history people see) saying so. Idempotent.
 */
export function consentExpiryHandler(database: Database): JobHandler {
  return everyQuarterHour(async () => {
    await recordConsentExpiries(database);
  });
}

/**
 * Every 15 minutes: forget the privacy portal's sign-ins that ended (a code never used, a
 * session past its end or idle), with their sealed addresses and keys.
 */
export function portalSignInPruneHandler(database: Database): JobHandler {
  return everyQuarterHour(async () => {
    await database.db.transaction((tx) => forgetEndedPortalSignIns(tx, new Date()));
  });
}
