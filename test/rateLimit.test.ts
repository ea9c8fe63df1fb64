import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimBackoffAttempt, forgetKeyGroup, type BackoffRule } from '../src/platform/backoff.ts';
import { hit, hitInTurn, mark, memberKey, peek, pruneRateLimitBuckets, rateLimitKey, rateLimited, refund, reset } from '../src/platform/rateLimit.ts';
import { openTestDatabase, type TestDatabase } from './support/testDatabase.ts';

let database: TestDatabase;

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database.close());

const minute = 60_000;
const at = (iso: string) => new Date(iso);

describe('the generic database rate limiter', () => {
  it('allows hits up to the limit and refuses the ones after it within the window', async () => {
    const key = rateLimitKey('test.limit', 'a');
    const start = at('2030-01-01T10:00:00Z');
    const results = [];
    for (let second = 0; second < 5; second += 1) results.push(await hit(database.db, key, 3, 15 * minute, new Date(start.getTime() + second * 1000)));
    expect(results.map((result) => result.count)).toEqual([1, 2, 3, 4, 5]);
    expect(results.map((result) => result.allowed)).toEqual([true, true, true, false, false]);
    expect(results[4].resetAt.toISOString()).toBe('2030-01-01T10:15:00.000Z');
    expect(results[4].retryAfterSeconds).toBe(15 * 60 - 4);
  });

  it('counts the second bucket in turn only while the first holds, in one statement, as two hits would', async () => {
    const client = { key: rateLimitKey('test.turn.client', 'a'), limit: 2, windowMs: minute };
    const all = { key: rateLimitKey('test.turn.key', 'a'), limit: 10, windowMs: 15 * minute };
    const now = at('2030-01-01T10:00:00Z');
    const results = [];
    for (let index = 0; index < 4; index += 1) results.push(await hitInTurn(database.db, client, all, now));
    expect(results.map((result) => [result.first.count, result.first.allowed, result.second?.count ?? null])).toEqual([
      [1, true, 1],
      [2, true, 2],
      [3, false, null],
      [4, false, null],
    ]);
    expect(results[1].second!.resetAt.toISOString()).toBe('2030-01-01T10:15:00.000Z');
    // Each bucket's own window: the client's closes after a minute, the key's does not.
    const later = await hitInTurn(database.db, client, all, at('2030-01-01T10:01:00Z'));
    expect(later.first).toMatchObject({ allowed: true, count: 1 });
    expect(later.second).toMatchObject({ allowed: true, count: 3 });
    expect((await peek(database.db, all.key, 10, 15 * minute, at('2030-01-01T10:01:00Z'))).count).toBe(3);
  });

  it('opens a fresh window once the old one has closed', async () => {
    const key = rateLimitKey('test.window', 'a');
    const start = at('2030-01-01T10:00:00Z');
    for (let index = 0; index < 4; index += 1) await hit(database.db, key, 3, 15 * minute, start);
    const later = await hit(database.db, key, 3, 15 * minute, at('2030-01-01T10:15:00Z'));
    expect(later).toMatchObject({ allowed: true, count: 1 });
    expect(later.resetAt.toISOString()).toBe('2030-01-01T10:30:00.000Z');
  });

  it('counts concurrent hits on one key exactly once each', async () => {
    const key = rateLimitKey('test.concurrent', 'a');
    const now = at('2030-01-01T10:00:00Z');
    const results = await Promise.all(Array.from({ length: 20 }, () => hit(database.db, key, 5, minute, now)));
    expect(results.map((result) => result.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
    expect(results.filter((result) => result.allowed)).toHaveLength(5);
  });

  it('keeps keys apart and peeks without counting', async () => {
    const now = at('2030-01-01T10:00:00Z');
    const first = rateLimitKey('test.apart', 'one');
    const second = rateLimitKey('test.apart', 'two');
    await hit(database.db, first, 2, minute, now);
    await hit(database.db, first, 2, minute, now);
    expect(await peek(database.db, first, 2, minute, now)).toMatchObject({ count: 2, allowed: true });
    expect(await peek(database.db, first, 2, minute, now)).toMatchObject({ count: 2 });
    expect(await peek(database.db, second, 2, minute, now)).toMatchObject({ count: 0, allowed: true });
    expect(await peek(database.db, first, 2, minute, at('2030-01-01T10:01:00Z'))).toMatchObject({ count: 0 });
  });

  it('gives a hit back with refund and forgets a key with reset', async () => {
    const now = at('2030-01-01T10:00:00Z');
    const key = rateLimitKey('test.refund', 'a');
    await hit(database.db, key, 2, minute, now);
    await hit(database.db, key, 2, minute, now);
    await refund(database.db, key, minute, now);
    expect(await peek(database.db, key, 2, minute, now)).toMatchObject({ count: 1 });
    await reset(database.db, key);
    expect(await hit(database.db, key, 2, minute, now)).toMatchObject({ count: 1 });
  });

  it('stores only the scope and a SHA-256 of the parts, never the raw values', async () => {
    const key = rateLimitKey('login.account', 'acme', 'mara@example.com');
    expect(key).toMatch(/^login\.account:[0-9a-f]{64}$/);
    expect(key).not.toContain('mara');
    expect(rateLimitKey('login.account', 'acme', 'mara@example.com')).toBe(key);
    expect(rateLimitKey('login.account', 'acme:mara@example.com')).not.toBe(key);
    expect(rateLimitKey('login.client', '203.0.113.9')).not.toContain('203.0.113.9');
    expect(() => rateLimitKey('Bad Scope', 'x')).toThrow();
  });

  it('prunes buckets whose window opened before a cut-off', async () => {
    const old = rateLimitKey('test.prune', 'old');
    const fresh = rateLimitKey('test.prune', 'fresh');
    await hit(database.db, old, 5, minute, at('2020-01-01T00:00:00Z'));
    await hit(database.db, fresh, 5, minute, at('2030-06-01T00:00:00Z'));
    expect(await pruneRateLimitBuckets(database.db, at('2025-01-01T00:00:00Z'))).toBeGreaterThanOrEqual(1);
    const keys = (await database.query<{ key: string }>('select key from rate_limit_buckets')).map((row) => row.key);
    expect(keys).not.toContain(old);
    expect(keys).toContain(fresh);
  });

  it('prunes the scopes given a longer life only after their own cut-off', async () => {
    const ordinary = rateLimitKey('test.prune_ordinary', 'a');
    const longLived = rateLimitKey('test.prune_long', 'a');
    const older = rateLimitKey('test.prune_long', 'b');
    await mark(database.db, ordinary, at('2024-06-01T00:00:00Z'));
    await mark(database.db, longLived, at('2024-06-01T00:00:00Z'));
    await mark(database.db, older, at('2024-01-01T00:00:00Z'));
    await pruneRateLimitBuckets(database.db, at('2025-01-01T00:00:00Z'), { 'test.prune_long': at('2024-03-01T00:00:00Z') });
    const keys = (await database.query<{ key: string }>('select key from rate_limit_buckets where key = any($1)', [[ordinary, longLived, older]])).map(
      (row) => row.key,
    );
    expect(keys).toEqual([longLived]);
  });

  it('turns a refused hit into a 429 domain error carrying Retry-After seconds', async () => {
    const result = await hit(database.db, rateLimitKey('test.error', 'a'), 0, minute, at('2030-01-01T10:00:00Z'));
    const error = rateLimited(result, 'slow down');
    expect(error.code).toBe('rate_limited');
    expect(error.detail).toEqual({ retryAfterSeconds: 60 });
  });
});

describe('the database back-off counters', () => {
  const rule: BackoffRule = { scope: 'test.backoff', freeFailures: 2, firstDelayMs: 10_000, maxDelayMs: 40_000, forgetAfterMs: 60 * minute };
  const seconds = (start: Date, count: number) => new Date(start.getTime() + count * 1000);

  it('lets the free attempts through, then one attempt each time the doubling delay has passed', async () => {
    const key = rateLimitKey('test.backoff', 'a');
    const start = at('2030-01-01T10:00:00Z');
    expect(await claimBackoffAttempt(database.db, key, rule, start)).toEqual({ allowed: true });
    expect(await claimBackoffAttempt(database.db, key, rule, start)).toEqual({ allowed: true });
    expect(await claimBackoffAttempt(database.db, key, rule, seconds(start, 4))).toEqual({ allowed: false, retryAfterSeconds: 6 });
    expect(await claimBackoffAttempt(database.db, key, rule, seconds(start, 10))).toEqual({ allowed: true });
    expect(await claimBackoffAttempt(database.db, key, rule, seconds(start, 29))).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(await claimBackoffAttempt(database.db, key, rule, seconds(start, 30))).toEqual({ allowed: true });
  });

  it('starts again from zero once the last failure is older than forgetAfterMs', async () => {
    const key = rateLimitKey('test.backoff', 'forget');
    const start = at('2030-01-01T10:00:00Z');
    for (let index = 0; index < 2; index += 1) await claimBackoffAttempt(database.db, key, rule, start);
    expect((await claimBackoffAttempt(database.db, key, rule, start)).allowed).toBe(false);
    const later = new Date(start.getTime() + 60 * minute);
    expect(await claimBackoffAttempt(database.db, key, rule, later)).toEqual({ allowed: true });
    expect(await claimBackoffAttempt(database.db, key, rule, later)).toEqual({ allowed: true });
    expect((await claimBackoffAttempt(database.db, key, rule, later)).allowed).toBe(false);
  });

  it('lets exactly the free attempts through when many claim at once', async () => {
    const key = rateLimitKey('test.backoff', 'concurrent');
    const now = at('2030-01-01T10:00:00Z');
    const claims = await Promise.all(Array.from({ length: 10 }, () => claimBackoffAttempt(database.db, key, rule, now)));
    expect(claims.filter((claim) => claim.allowed)).toHaveLength(2);
  });

  it('forgets a group key and every key built on it, and nothing else', async () => {
    const now = at('2030-01-01T10:00:00Z');
    const group = rateLimitKey('test_backoff.group', 'account');
    const otherGroup = rateLimitKey('test_backoff.group', 'other');
    const keys = [group, memberKey(group, '192.0.2.1'), memberKey(group, '192.0.2.2'), otherGroup, memberKey(otherGroup, '192.0.2.1')];
    for (const key of keys) await claimBackoffAttempt(database.db, key, rule, now);
    await forgetKeyGroup(database.db, group);
    const left = (await database.query<{ key: string }>('select key from rate_limit_buckets where key = any($1)', [keys])).map((row) => row.key);
    expect(left.sort()).toEqual([otherGroup, memberKey(otherGroup, '192.0.2.1')].sort());
  });
});
