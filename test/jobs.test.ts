import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../src/db/ids.ts';
import { sendJob } from '../src/queue/sendJob.ts';
import type { JobPayload } from '../src/queue/jobPayload.ts';
import { openTestDatabase, type TestDatabase } from './support/testDatabase.ts';
import { eventually, startTestJobRunner, type TestJobRunner } from './support/jobs.ts';

let database: TestDatabase;
let runner: TestJobRunner;
const ran: JobPayload[] = [];
let failuresBeforeSuccess = 0;

beforeAll(async () => {
  database = await openTestDatabase();
  runner = await startTestJobRunner(database, {
    handlers: {
      probe: {
        async run(payload) {
          ran.push(payload);
        },
      },
      flaky: {
        retryLimit: 2,
        retryDelaySeconds: 1,
        async run(payload) {
          if (failuresBeforeSuccess > 0) {
            failuresBeforeSuccess -= 1;
            throw Object.assign(new Error('receiver said maria@example.com is unknown'), { code: 'E_FLAKY' });
          }
          ran.push(payload);
        },
      },
    },
  });
});
afterAll(async () => {
  await runner?.stop();
  await database?.close();
});

const ranWith = (marker: string) => ran.some((payload) => payload.marker === marker);
const jobRows = async (marker: string) =>
  database.query<{ state: string }>(
    `select state from pgboss.job where data->>'marker' = $1 union all select state from pgboss.archive where data->>'marker' = $1`,
    [marker],
  );

describe('jobs sent inside a transaction', () => {
  it('never run when the transaction rolls back', async () => {
    const rolledBack = newId();
    const committed = newId();
    await expect(
      database.db.transaction(async (tx) => {
        await sendJob(tx, 'probe', { marker: rolledBack });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await database.db.transaction(async (tx) => {
      await sendJob(tx, 'probe', { marker: committed });
    });

    // The committed job was queued after the rolled-back one, so once it has run the
    // rolled-back one would have run too, had it been queued at all.
    await eventually(async () => ranWith(committed), { what: 'the committed job' });
    expect(ranWith(rolledBack)).toBe(false);
    expect(await jobRows(rolledBack)).toEqual([]);
  });

  it('run once their transaction commits', async () => {
    const marker = newId();
    await database.db.transaction(async (tx) => {
      await sendJob(tx, 'probe', { marker, tenantId: newId() });
    });
    await eventually(async () => ranWith(marker), { what: 'the job' });
    expect(ran.filter((payload) => payload.marker === marker)).toHaveLength(1);
  });

  it('are sent once when sent twice with the same id', async () => {
    const marker = newId();
    const id = newId();
    await database.db.transaction(async (tx) => {
      expect(await sendJob(tx, 'probe', { marker }, { id })).toBe(id);
      expect(await sendJob(tx, 'probe', { marker }, { id })).toBeNull();
    });
    await eventually(async () => ranWith(marker), { what: 'the job' });
    expect(await jobRows(marker)).toHaveLength(1);
  });
});

describe('the job runner', () => {
  it('retries a job whose handler throws, and records only the error name and code', async () => {
    const marker = newId();
    failuresBeforeSuccess = 1;
    await runner.send('flaky', { marker });
    await eventually(async () => ranWith(marker), { what: 'the retried job' });
    expect(runner.failures.some((failure) => failure.queue === 'flaky' && failure.code === 'E_FLAKY')).toBe(true);
    const stored = JSON.stringify(
      await database.query(`select output from pgboss.job where name = 'flaky' union all select output from pgboss.archive where name = 'flaky'`),
    );
    expect(stored).not.toContain('maria@example.com');
  });

  it('refuses a payload that holds something other than ids', async () => {
    await expect(runner.send('probe', { email: 'maria@example.com' })).rejects.toThrow('"email"');
  });

  it('refuses to send to a queue that does not exist', async () => {
    await expect(runner.send('no-such-queue', { marker: newId() })).rejects.toThrow('does not exist');
  });
});
