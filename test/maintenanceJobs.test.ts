import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../src/db/ids.ts';
import { epochAdvanceQueue, idempotencyPruneQueue, longestThrottleWindowMs, rateLimitPruneQueue } from '../src/jobs/maintenanceJobs.ts';
import { idempotencyWindowMs } from '../src/platform/idempotency.ts';
import { retentionSweepQueue } from '../src/jobs/retentionJobs.ts';
import { kernelKeyStore } from '../src/kernel/runtime.ts';
import { ensureSubjectKeys, epochAdvanceCheckIntervalMs, shredSubjects } from '../src/kernel/vault/index.ts';
import { eventually, startTestJobRunner, type TestJobRunner } from './support/jobs.ts';
import { createTestApp, type TestApp } from './support/testApp.ts';

// The server's job runner keeps two promises on a schedule: erasures hold against old
// database copies within the stated window (the epoch advance, every minute), and rate-limit
// buckets and idempotency records do not outlive their window (pruning, every 15 minutes).

let t: TestApp;
let runner: TestJobRunner;

beforeAll(async () => {
  t = await createTestApp();
  runner = await startTestJobRunner(t.database);
});
afterAll(async () => {
  await runner?.stop();
  await t?.close();
});

type EpochRow = { epoch: number; state: string; pending_erasures: number };
const epochsOf = (tenantId: string) =>
  t.database.query<EpochRow>('select epoch, state, pending_erasures from vault_epochs where tenant_id = $1 order by epoch', [tenantId]);

describe('scheduled maintenance jobs', () => {
  it('registers the epoch advance every minute, rate-limit and idempotency pruning every 15 minutes, and the retention sweep nightly at 02:30 UTC', async () => {
    const schedules = await runner.boss.getSchedules();
    expect(schedules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: epochAdvanceQueue, cron: '* * * * *', timezone: 'UTC' }),
        expect.objectContaining({ name: rateLimitPruneQueue, cron: '*/15 * * * *', timezone: 'UTC' }),
        expect.objectContaining({ name: idempotencyPruneQueue, cron: '*/15 * * * *', timezone: 'UTC' }),
        expect.objectContaining({ name: retentionSweepQueue, cron: '30 2 * * *', timezone: 'UTC' }),
      ]),
    );
    // GET /api/v1/keys states the erasure window with the interval the kernel names: the schedule's.
    expect(epochAdvanceCheckIntervalMs).toBe(60_000);
  });

  it('advances the key epoch of a workspace whose erasure is due, and leaves one that is not due alone', async () => {
    const due = await t.createWorkspace();
    const notDue = await t.createWorkspace();
    for (const workspace of [due, notDue]) {
      const subjects = [newId(), newId(), newId()];
      await t.database.db.transaction(async (tx) => {
        await ensureSubjectKeys(tx, kernelKeyStore(), workspace.id, subjects);
        await shredSubjects(tx, workspace.id, [subjects[0]]);
      });
    }
    // The first erasure was 16 minutes ago: past the 15-minute bound.
    await t.database.query(`update vault_epochs set first_pending_erasure_at = now() - interval '16 minutes' where tenant_id = $1 and state = 'current'`, [
      due.id,
    ]);
    expect(await epochsOf(due.id)).toEqual([{ epoch: 1, state: 'current', pending_erasures: 1 }]);

    // What the schedule queues at each tick: an empty job on the queue.
    await runner.send(epochAdvanceQueue, {});
    // The advance re-wraps under epoch 2, then destroys epoch 1: wait for the end of both.
    await eventually(async () => (await epochsOf(due.id)).some((row) => row.epoch === 1 && row.state === 'destroyed'), { what: 'the epoch advance' });
    expect(await epochsOf(due.id)).toEqual([
      { epoch: 1, state: 'destroyed', pending_erasures: 1 },
      { epoch: 2, state: 'current', pending_erasures: 0 },
    ]);
    expect(await kernelKeyStore().listLiveEpochs(due.id)).toEqual([2]);
    expect(await epochsOf(notDue.id)).toEqual([{ epoch: 1, state: 'current', pending_erasures: 1 }]);
    expect(runner.failures).toEqual([]);
  });

  it('prunes rate-limit buckets whose window closed, keeping live ones', async () => {
    const stale = `test.prune:${newId()}`;
    const live = `test.prune:${newId()}`;
    await t.database.query(
      `insert into rate_limit_buckets (key, window_start, count) values ($1, now() - ($3 || ' milliseconds')::interval - interval '1 minute', 3), ($2, now(), 1)`,
      [stale, live, String(longestThrottleWindowMs)],
    );
    await runner.send(rateLimitPruneQueue, {});
    const keys = async () =>
      (await t.database.query<{ key: string }>('select key from rate_limit_buckets where key = any($1)', [[stale, live]])).map((row) => row.key);
    await eventually(async () => !(await keys()).includes(stale), { what: 'the stale bucket to be pruned' });
    expect(await keys()).toEqual([live]);
    expect(runner.failures).toEqual([]);
  });

  it('prunes idempotency records older than their window, keeping recent ones', async () => {
    const workspace = await t.createWorkspace();
    await t.database.query(
      `insert into idempotency_keys (tenant_id, key, actor, method, route, request_fingerprint, state, created_at)
       values ($1, 'stale', 'api_key:x', 'POST', '/api/v1/contacts', $2, 'done', now() - ($3 || ' milliseconds')::interval - interval '1 minute'),
              ($1, 'recent', 'api_key:x', 'POST', '/api/v1/contacts', $2, 'done', now())`,
      [workspace.id, 'f'.repeat(64), String(idempotencyWindowMs)],
    );
    await runner.send(idempotencyPruneQueue, {});
    const keys = async () =>
      (await t.database.query<{ key: string }>('select key from idempotency_keys where tenant_id = $1 order by key', [workspace.id])).map((row) => row.key);
    await eventually(async () => !(await keys()).includes('stale'), { what: 'the stale idempotency record to be pruned' });
    expect(await keys()).toEqual(['recent']);
    expect(runner.failures).toEqual([]);
  });
});
