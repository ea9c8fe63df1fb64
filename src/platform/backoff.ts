import { eq, or } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import { rateLimitBuckets } from '../db/schema/index.ts';
import { keysStartingWith } from './rateLimit.ts';

// Exponential back-off counters, kept in rate_limit_buckets beside the fixed-window ones: for
// a back-off key, `count` is the number of failures in a row and `window_start` the time of
// the last one. Unlike a fixed window, a back-off never refuses for good: once the delay
// since the last failure has passed, one more attempt is let through.

export type BackoffRule = {
  scope: string;
  /** Failures in a row that cost no waiting. */
  freeFailures: number;
  /** The wait after the first failure beyond the free ones; each further failure doubles it. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** A key whose last failure is this old starts again from zero. */
  forgetAfterMs: number;
};

export type BackoffClaim = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** How long the next attempt must wait after `failures` failures in a row. */
export function delayAfter(rule: BackoffRule, failures: number): number {
  if (failures < rule.freeFailures) return 0;
  const doublings = Math.min(failures - rule.freeFailures, 40); // 2^40 × any delay is past every cap
  return Math.min(rule.maxDelayMs, rule.firstDelayMs * 2 ** doublings);
}

const asDate = (value: Date | string) => (value instanceof Date ? value : new Date(value));

/**
 * Claims one attempt on `key`: refused while the delay after the last failure runs;
 * otherwise let through and counted as a failure in advance (the caller clears the key when
 * the attempt succeeds), so concurrent guesses cannot all slip into one free slot. A refused
 * attempt changes nothing: waiting out Retry-After is always enough.
 */
export async function claimBackoffAttempt(db: Executor, key: string, rule: BackoffRule, now: Date): Promise<BackoffClaim> {
  return db.transaction(async (tx) => {
    await tx.insert(rateLimitBuckets).values({ key, windowStart: now, count: 0 }).onConflictDoNothing();
    const [row] = await tx.select().from(rateLimitBuckets).where(eq(rateLimitBuckets.key, key)).for('update');
    const lastFailure = asDate(row.windowStart);
    const forgotten = lastFailure.getTime() <= now.getTime() - rule.forgetAfterMs;
    const failures = forgotten ? 0 : row.count;
    const opensAt = lastFailure.getTime() + delayAfter(rule, failures);
    if (!forgotten && opensAt > now.getTime()) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((opensAt - now.getTime()) / 1000)) };
    await tx
      .update(rateLimitBuckets)
      .set({ count: failures + 1, windowStart: now })
      .where(eq(rateLimitBuckets.key, key));
    return { allowed: true };
  });
}

/** Forgets a group: `groupKey` itself and every key built on it with memberKey. */
export async function forgetKeyGroup(db: Executor, groupKey: string): Promise<void> {
  await db.delete(rateLimitBuckets).where(or(eq(rateLimitBuckets.key, groupKey), keysStartingWith(`${groupKey}.`)));
}
