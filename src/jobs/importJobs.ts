import { runQueuedImport } from '../crm/import/importJob.ts';
import type { Database } from '../db/connection.ts';
import type { JobHandler } from '../queue/jobRunner.ts';

/**
 * Runs background CSV imports (src/crm/import/importJob.ts), one at a time per process: an
 * import stages in short transactions and, on the embedded database, shares its one
 * connection with every request. Never retried: a failed import says why in its report, and
 * one cut off by a stopped process is failed as abandoned (discardAbandonedImports).
 */
export function importJobHandler(database: Database): JobHandler {
  return {
    batchSize: 1,
    retryLimit: 0,
    // A large file stages for minutes; pg-boss must not take the job for dead meanwhile.
    expireInSeconds: 4 * 60 * 60,
    async run(payload) {
      await runQueuedImport(database, String(payload.tenantId), String(payload.batchId));
    },
  };
}
