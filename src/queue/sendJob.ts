import { sql } from 'drizzle-orm';
import PgBoss from 'pg-boss';
import type { Executor } from '../db/connection.ts';
import { selectRows } from '../db/rows.ts';
import { executorJobDatabase } from './databaseAdapter.ts';
import { assertJobPayload, type JobPayload } from './jobPayload.ts';

/** pg-boss keeps its tables in this schema (a global schema, outside tenancy). */
export const jobSchema = 'pgboss';

export type SendJobOptions = {
  /** Not before this time (retries with backoff). */
  startAfter?: Date;
  /** A deterministic id makes sending idempotent: a second send with it is ignored. */
  id?: string;
};

// Sending needs only pg-boss's SQL, not a running instance; every send passes the caller's
// executor, so this instance never touches a connection of its own.
const sender = new PgBoss({
  schema: jobSchema,
  db: {
    executeSql() {
      throw new Error('The job sender runs SQL only through the executor it is given.');
    },
  },
});

/**
 * Queues a job through `executor`. Given a transaction, the job becomes visible only if
 * that transaction commits. Returns the job id, or null when a job with `options.id`
 * already exists. Throws when the queue has not been created (the job runner creates
 * its queues when it starts).
 */
export async function sendJob(executor: Executor, queue: string, payload: JobPayload, options: SendJobOptions = {}): Promise<string | null> {
  assertJobPayload(queue, payload);
  const db = executorJobDatabase(executor);
  const id = await sender.send(queue, payload, {
    db,
    ...(options.id ? { id: options.id } : {}),
    ...(options.startAfter ? { startAfter: options.startAfter } : {}),
  });
  if (id === null && !(await jobQueueReady(executor, queue))) {
    throw new Error(`Job queue "${queue}" does not exist; it is created when the job runner starts.`);
  }
  return id;
}

/** One job of a set-wise send: its payload and deterministic id. */
export type JobToSend = { payload: JobPayload; id: string };

/**
 * Queues many jobs on `queue` through `executor` in one INSERT (as sendJob, set-wise): a job
 * whose id exists already is ignored. The caller checks first that the queue exists
 * (jobQueueReady): a job for a missing queue is dropped, not refused.
 */
export async function sendJobs(executor: Executor, queue: string, jobs: readonly JobToSend[]): Promise<void> {
  if (jobs.length === 0) return;
  for (const job of jobs) assertJobPayload(queue, job.payload);
  await sender.insert(
    jobs.map((job) => ({ id: job.id, name: queue, data: job.payload })),
    { db: executorJobDatabase(executor) },
  );
}

/**
 * Whether jobs can be queued on `queue` yet: pg-boss's schema is installed and the queue
 * exists. Both happen the first time a job runner starts on this database.
 */
export async function jobQueueReady(executor: Executor, queue: string): Promise<boolean> {
  const [installed] = await selectRows<{ installed: boolean }>(executor, sql`select to_regclass(${`${jobSchema}.queue`}) is not null as installed`);
  if (!installed?.installed) return false;
  const found = await selectRows(executor, sql`select 1 from ${sql.raw(jobSchema)}.queue where name = ${queue}`);
  return found.length > 0;
}
