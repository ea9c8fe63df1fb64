import { sql } from 'drizzle-orm';
import type { Database } from '../../db/connection.ts';
import { refreshStaleStatistics } from '../../db/statistics.ts';
import { abandonPermittedImport, discardImportUpload, publishPermittedImport, type AccessContext } from '../../kernel/index.ts';
import { recordChange } from '../../platform/changes.ts';
import { DomainError } from '../../shared/domainError.ts';
import type { ImportObject } from './columnMapping.ts';
import { transitionImportBatch, type ImportIssue } from './importBatches.ts';
import { importContext } from './importPurpose.ts';

// Publishing is ONE short transaction of set-wise statements (INSERT … SELECT from the
// staging area), so PGlite's single connection is held for seconds, not for the whole
// upload, and a crash at any point leaves either everything or nothing published.
//
// An import of a million contacts is audited and announced once, per batch, rather than
// once per record: the batch id names the records (contacts.import_batch_id), the audit
// entry names the fields imported, and webhook subscribers get `import.updated` with the
// batch id and fetch GET /imports/{id} to learn what changed.

export type PublishInput = {
  batchId: string;
  object: ImportObject;
  /** Rows skipped as invalid, for the audit entry. */
  invalidRows: number;
  /** Candor field names the file mapped, for the audit entry. */
  fields: string[];
  /** Where the file's consents were collected: each consent event's evidence, with the batch id. */
  consentSource?: string | null;
};

const importedTables = ['contacts', 'lookup_tokens', 'subject_keys', 'companies'] as const;
/** Publishes a staged batch (creating its new records and updating those an upsert matched); returns the number created. */
export async function publishImportBatch(database: Database, ctx: AccessContext, input: PublishInput): Promise<number> {
  const staging = importContext(ctx);
  const imported = await database.db.transaction(async (tx) => {
    const now = new Date();
    const claimed = await transitionImportBatch(tx, ctx, input.batchId, 'staged', 'published', { publishedAt: now });
    if (!claimed) throw new DomainError('conflict', 'This import is no longer staged (it was published, failed or discarded meanwhile).');
    const evidence = { importBatchId: input.batchId, ...(input.consentSource ? { source: input.consentSource } : {}) };
    const { imported, updatedIds, companiesCreated, consents } = await publishPermittedImport(tx, staging, input.batchId, input.object, now, evidence);
    const updated = updatedIds.length;
    await tx.execute(
      sql`update import_batches set imported_rows = ${imported}, updated_rows = ${updated}, consent_events = ${consents.recorded},
            expired_consents = ${consents.expired}
          where tenant_id = ${ctx.tenantId} and id = ${input.batchId}`,
    );
    await recordChange(
      tx,
      ctx,
      { object: 'import', recordId: input.batchId, kind: 'updated', fields: ['status', 'importedRows', 'updatedRows'] },
      {
        action: 'import.published',
        object: input.object,
        fields: input.fields,
        detail: { batchId: input.batchId, imported, updated, invalidRows: input.invalidRows, companiesCreated, consentEvents: consents.recorded },
        // People an upsert changed existed before it: each finds the change in their own trail.
        ...(input.object === 'contact' && updated > 0 ? { subjectIds: updatedIds } : {}),
      },
    );
    return imported;
  });
  // After the commit, so ANALYZE sees the published rows: the next duplicate check and list
  // are planned for the table's new size, not the one it had before the import.
  await refreshStaleStatistics(database.db, importedTables);
  return imported;
}

/** The report of a batch whose file was read to the end: counts and issues. */
export type StagingResult = {
  batchId: string;
  /** Data rows read. */
  totalRows: number;
  invalidRows: number;
  issues: ImportIssue[];
  /** The file's data rows, once every one was read (not when the file broke off). */
  rowCount?: number;
};

const reportValues = (result: StagingResult) => ({
  totalRows: result.totalRows,
  skippedRows: result.invalidRows,
  skipped: result.issues,
  ...(result.rowCount !== undefined ? { rowCount: result.rowCount } : {}),
});

/** Records that every row of a running batch is staged (with its report), so it can be published; false if it was not running. */
export async function markImportStaged(database: Database, ctx: AccessContext, result: StagingResult): Promise<boolean> {
  return transitionImportBatch(database.db, ctx, result.batchId, 'running', 'staged', reportValues(result));
}

/** Marks a batch failed with its report, drops whatever it staged and shreds its keys; nothing is published. */
export async function failImportBatch(database: Database, ctx: AccessContext, input: StagingResult): Promise<void> {
  await database.db.transaction(async (tx) => {
    await transitionImportBatch(tx, ctx, input.batchId, ['queued', 'running', 'staged'], 'failed', reportValues(input));
    await abandonPermittedImport(tx, importContext(ctx), input.batchId);
    // A background import's file, when the batch fails before its job read it.
    await discardImportUpload(tx, ctx.tenantId, input.batchId);
  });
}
