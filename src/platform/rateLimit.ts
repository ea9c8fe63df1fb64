import { createHash } from 'node:crypto';
import { and, eq, gt, like, lt, not, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import { rateLimitBuckets } from '../db/schema/index.ts';
import { rowsOf } from '../db/rows.ts';
import { DomainError } from '../shared/domainError.ts';

// Fixed-window counters in the database (table rate_limit_buckets), so limits hold across
// restarts and across several server processes on one PostgreSQL. A window opens at the
// first hit on a key and lasts windowMs; the next hit after it closes opens a new one.

export type RateLimitResult = {
  /** True while the count (including this hit) is within the limit. */
  allowed: boolean;
  count: number;
  limit: number;
  /** When the current window closes and the count starts again from zero. */
  resetAt: Date;
  /** Whole seconds until resetAt, at least 1: the Retry-After value. */
  retryAfterSeconds: number;
};

/**
 * A bucket key: the scope in clear (e.g. "login.account") and the SHA-256 of the parts,
 * so raw e-mail addresses and IP addresses never reach the table.
 */
export function rateLimitKey(scope: string, ...parts: string[]): string {
  if (!/^[a-z][a-z0-9._-]*$/.test(scope)) throw new Error(`rate-limit scope must be a lowercase identifier, got "${scope}"`);
  return `${scope}:${hashOfParts(parts)}`;
}

/** A key inside the group `groupKey` (e.g. one client's attempts on one account), so the group can be cleared at once. */
export const memberKey = (groupKey: string, ...parts: string[]) => `${groupKey}.${hashOfParts(parts)}`;

function hashOfParts(parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${part.length}:${part}`); // length-prefixed: ["a:b"] ≠ ["a", "b"]
  return hash.digest('hex');
}

function resultOf(count: number, windowStart: Date, limit: number, windowMs: number, now: Date): RateLimitResult {
  const resetAt = new Date(windowStart.getTime() + windowMs);
  const retryAfterSeconds = Math.max(1, Math.ceil((resetAt.getTime() - now.getTime()) / 1000));
  return { allowed: count <= limit, count, limit, resetAt, retryAfterSeconds };
}

const asDate = (value: Date | string) => (value instanceof Date ? value : new Date(value));

/**
 * Counts one hit on `key` and says whether it is within `limit` hits per `windowMs`.
 * One atomic upsert: concurrent hits on the same key each see a distinct count.
 */
export async function hit(db: Executor, key: string, limit: number, windowMs: number, now = new Date()): Promise<RateLimitResult> {
  const windowOpenedBefore = new Date(now.getTime() - windowMs).toISOString();
  const nowText = now.toISOString();
  // Both SET expressions read the row as it was before this update.
  const expired = sql`${rateLimitBuckets.windowStart} <= ${windowOpenedBefore}::timestamptz`;
  const [row] = await db
    .insert(rateLimitBuckets)
    .values({ key, windowStart: now, count: 1 })
    .onConflictDoUpdate({
      target: rateLimitBuckets.key,
      set: {
        count: sql`case when ${expired} then 1 else ${rateLimitBuckets.count} + 1 end`,
        windowStart: sql`case when ${expired} then ${nowText}::timestamptz else ${rateLimitBuckets.windowStart} end`,
      },
    })
    .returning({ count: rateLimitBuckets.count, windowStart: rateLimitBuckets.windowStart });
  return resultOf(row.count, asDate(row.windowStart), limit, windowMs, now);
}

export type Bucket = { key: string; limit: number; windowMs: number };

/**
 * One hit on `first` and, only when that hit is within its limit, one on `second` — what two
 * hit() calls in turn do, in one statement (one round trip on a public route's hot path).
 * `second` is null when it was not counted.
 */
export async function hitInTurn(
  db: Executor,
  first: Bucket,
  second: Bucket,
  now = new Date(),
): Promise<{ first: RateLimitResult; second: RateLimitResult | null }> {
  const upsert = (bucket: Bucket) => {
    const openedBefore = new Date(now.getTime() - bucket.windowMs).toISOString();
    const expired = sql`rate_limit_buckets.window_start <= ${openedBefore}::timestamptz`;
    return sql`on conflict (key) do update set
      count = case when ${expired} then 1 else rate_limit_buckets.count + 1 end,
      window_start = case when ${expired} then ${now.toISOString()}::timestamptz else rate_limit_buckets.window_start end
      returning count, window_start`;
  };
  const at = now.toISOString();
  const [row] = rowsOf<{ first_count: number; first_start: Date | string; second_count: number | null; second_start: Date | string | null }>(
    await db.execute(sql`
    with first_hit as (
      insert into rate_limit_buckets (key, window_start, count) values (${first.key}, ${at}::timestamptz, 1) ${upsert(first)}),
    second_hit as (
      insert into rate_limit_buckets (key, window_start, count)
      select ${second.key}, ${at}::timestamptz, 1 from first_hit where first_hit.count <= ${first.limit}::int ${upsert(second)})
    select f.count as first_count, f.window_start as first_start, s.count as second_count, s.window_start as second_start
    from first_hit f left join second_hit s on true`),
  );
  return {
    first: resultOf(Number(row!.first_count), asDate(row!.first_start), first.limit, first.windowMs, now),
    second: row!.second_count === null ? null : resultOf(Number(row!.second_count), asDate(row!.second_start!), second.limit, second.windowMs, now),
  };
}

/** The key's state without counting a hit (count 0 when no window is open). */
export async function peek(db: Executor, key: string, limit: number, windowMs: number, now = new Date()): Promise<RateLimitResult> {
  const [row] = await db
    .select({ count: rateLimitBuckets.count, windowStart: rateLimitBuckets.windowStart })
    .from(rateLimitBuckets)
    .where(and(eq(rateLimitBuckets.key, key), gt(rateLimitBuckets.windowStart, new Date(now.getTime() - windowMs))));
  if (!row) return resultOf(0, now, limit, windowMs, now);
  return resultOf(row.count, asDate(row.windowStart), limit, windowMs, now);
}

/** Takes back one hit in the open window (e.g. an attempt that turned out to succeed). */
export async function refund(db: Executor, key: string, windowMs: number, now = new Date()): Promise<void> {
  await db
    .update(rateLimitBuckets)
    .set({ count: sql`greatest(${rateLimitBuckets.count} - 1, 0)` })
    .where(and(eq(rateLimitBuckets.key, key), gt(rateLimitBuckets.windowStart, new Date(now.getTime() - windowMs))));
}

/** Forgets the key entirely (e.g. a successful login clears that account's failures). */
export async function reset(db: Executor, key: string): Promise<void> {
  await db.delete(rateLimitBuckets).where(eq(rateLimitBuckets.key, key));
}

/** Records that something happened on `key` now (e.g. a successful login from an address): count 1, window opened now. */
export async function mark(db: Executor, key: string, now = new Date()): Promise<void> {
  await db
    .insert(rateLimitBuckets)
    .values({ key, windowStart: now, count: 1 })
    .onConflictDoUpdate({ target: rateLimitBuckets.key, set: { windowStart: now, count: 1 } });
}

/** The keys that start with `prefix` (a scope and a colon, or a group key and a dot). */
export function keysStartingWith(prefix: string): SQL {
  return like(rateLimitBuckets.key, `${prefix.replace(/[\\%_]/g, '\\$&')}%`); // a scope may hold "_", a LIKE wildcard
}

/**
 * Deletes buckets whose window opened before `openedBefore`, and those of the scopes named
 * in `longerLived` before their own cut-off; safe to run at any time.
 */
export async function pruneRateLimitBuckets(db: Executor, openedBefore: Date, longerLived: Record<string, Date> = {}): Promise<number> {
  const scopes = Object.entries(longerLived);
  const ofScopes = scopes.map(([scope]) => keysStartingWith(`${scope}:`));
  const cuts = [
    and(lt(rateLimitBuckets.windowStart, openedBefore), ofScopes.length > 0 ? not(or(...ofScopes) as SQL) : undefined),
    ...scopes.map(([scope, before]) => and(keysStartingWith(`${scope}:`), lt(rateLimitBuckets.windowStart, before))),
  ];
  const deleted = await db
    .delete(rateLimitBuckets)
    .where(or(...cuts))
    .returning({ key: rateLimitBuckets.key });
  return deleted.length;
}

/** The 429 problem for a refused hit; problem.ts turns retryAfterSeconds into Retry-After. */
export function rateLimited(result: Pick<RateLimitResult, 'retryAfterSeconds'>, message: string): DomainError {
  return new DomainError('rate_limited', message, [], { retryAfterSeconds: result.retryAfterSeconds });
}
