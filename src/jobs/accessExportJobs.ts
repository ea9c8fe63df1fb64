import type { Database } from '../db/connection.ts';
import { runAccessExport } from '../privacy/accessExports/accessExports.ts';
import type { JobHandler } from '../queue/jobRunner.ts';

/**
 * Builds access exports (src/privacy/accessExports/accessExports.ts), one at a time per
 * process: a large subject's export reads and seals in the embedded database's one
 * connection. Retried once on a crash; a refusal (the subject erased meanwhile) is recorded
 * on the export as failed and not retried.
 */
export function accessExportHandler(database: Database, settings: { publicUrl: string }): JobHandler {
  return {
    batchSize: 1,
    retryLimit: 1,
    expireInSeconds: 30 * 60,
    async run(payload) {
      await runAccessExport(database.db, String(payload.tenantId), String(payload.exportId), { controllerUrl: settings.publicUrl });
    },
  };
}
