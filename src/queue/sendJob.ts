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
