import PgBoss from 'pg-boss';
import type { Database } from '../db/connection.ts';
import { jobDatabase } from './databaseAdapter.ts';
import { assertJobPayload, type JobPayload } from './jobPayload.ts';
import { jobSchema, sendJob, type SendJobOptions } from './sendJob.ts';

export type JobInfo = { id: string; queue: string };

export type JobHandler = {
  /** Handles one job. Throwing marks the job failed and lets pg-boss retry it. */
  run(payload: JobPayload, job: JobInfo): Promise<void>;
  /** Retries pg-boss makes after `run` throws (a crash or database error); default 3. */
  retryLimit?: number;
  retryDelaySeconds?: number;
  /** A job still running after this long is failed and retried; default 60. */
  expireInSeconds?: number;
  /** Jobs fetched per poll and run concurrently; default 5. */
  batchSize?: number;
  /** A cron expression (UTC): pg-boss then queues an empty job at each tick. */
  schedule?: string;
  /** At most one job of the queue runs at a time, across processes. */
  singleton?: boolean;
  /** Runs once the queues exist, e.g. to requeue work left behind by a previous process. */
  onStart?(runner: JobRunner): Promise<void>;
};

export type JobHandlers = Record<string, JobHandler>;

/** What a failed job or pg-boss reports: names and codes only, never messages (they can quote values). */
export type JobFailure = { queue?: string; jobId?: string; errorName: string; code?: string };

export type JobRunnerOptions = {
  /** How often each queue polls for work; pg-boss allows 0.5 s at least. Default 2. */
  pollingIntervalSeconds?: number;
  onError?: (failure: JobFailure) => void;
};

export type JobRunner = {
  /** Queues a job outside any transaction (inside one, use sendJob with the transaction). */
  send(queue: string, payload: JobPayload, options?: SendJobOptions): Promise<string | null>;
  /** Stops polling, waits for running jobs (up to 15 s) and leaves the database open. */
  stop(): Promise<void>;
  readonly boss: PgBoss;
};

/**
 * Starts pg-boss over Candor's database (installing or migrating its schema), creates a
 * queue per handler and starts polling. Job state lives in the `pgboss` schema of the same
 * database, so a job sent in a transaction is as durable as the writes beside it.
 */
export async function startJobRunner(database: Database, handlers: JobHandlers, options: JobRunnerOptions = {}): Promise<JobRunner> {
  const onError = options.onError ?? ((failure: JobFailure) => process.stderr.write(`${JSON.stringify({ msg: 'job failed', ...failure })}\n`));
  const boss = new PgBoss({ db: jobDatabase(database), schema: jobSchema });
  boss.on('error', (error: Error & { queue?: string; code?: string }) => onError({ queue: error.queue, errorName: error.name ?? 'Error', code: error.code }));
  await boss.start();

  let stopped = false;
  const runner: JobRunner = {
    boss,
    send: (queue, payload, sendOptions) => sendJob(database.db, queue, payload, sendOptions),
    async stop() {
      if (stopped) return;
      stopped = true;
      await boss.stop({ graceful: true, wait: true, close: false, timeout: 15_000 });
    },
  };

  try {
    for (const [queue, handler] of Object.entries(handlers)) {
      const queueOptions = {
        name: queue,
        ...(handler.singleton ? { policy: 'singleton' as const } : {}),
        retryLimit: handler.retryLimit ?? 3,
        retryDelay: handler.retryDelaySeconds ?? 5,
        retryBackoff: true,
        expireInSeconds: handler.expireInSeconds ?? 60,
      };
      await boss.createQueue(queue, queueOptions);
      await boss.updateQueue(queue, queueOptions);
      if (handler.schedule) await boss.schedule(queue, handler.schedule, {}, { tz: 'UTC' });
    }
    for (const [queue, handler] of Object.entries(handlers)) {
      await boss.work<JobPayload>(queue, { batchSize: handler.batchSize ?? 5, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 }, (jobs) =>
        runBatch(boss, queue, handler, jobs, onError),
      );
    }
    for (const handler of Object.values(handlers)) await handler.onStart?.(runner);
  } catch (error) {
    await runner.stop();
    throw error;
  }
  return runner;
}

// Jobs of one batch run side by side; one failing fails only itself. pg-boss then
// completes the rest (completion skips jobs that are no longer active).
async function runBatch(
  boss: PgBoss,
  queue: string,
  handler: JobHandler,
  jobs: PgBoss.Job<JobPayload>[],
  onError: (failure: JobFailure) => void,
): Promise<void> {
  await Promise.all(
    jobs.map(async (job) => {
      try {
        assertJobPayload(queue, job.data);
        await handler.run(job.data, { id: job.id, queue });
      } catch (error) {
        const failure = describeFailure(error, queue, job.id);
        onError(failure);
        await boss.fail(queue, job.id, { error: failure.errorName, code: failure.code ?? null });
      }
    }),
  );
}

function describeFailure(error: unknown, queue: string, jobId: string): JobFailure {
  const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
  return { queue, jobId, errorName: typeof name === 'string' ? name : 'Error', ...(typeof code === 'string' ? { code } : {}) };
}
