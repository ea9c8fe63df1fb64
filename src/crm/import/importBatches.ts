import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { newId } from '../../db/ids.ts';
import { importBatches } from '../../db/schema/index.ts';
import { actorKey, type AccessContext } from '../../kernel/index.ts';
import { camelCaseName } from '../../shared/camelCase.ts';
import { notFound } from '../../shared/domainError.ts';
import type { ImportObject } from './columnMapping.ts';

// An import batch is the unit a user sees, publishes and undoes. Its report names lines,
// fields and reasons only: never a cell value, because reports are stored and shown to
// people who may not be allowed to see the file's personal data.

/** create: every row makes a record; upsert: a row matching an existing record updates it (src/crm/import/existingMatches.ts). */
export type ImportMode = 'create' | 'upsert';
export type ImportMatch = 'email' | 'externalId' | 'domain';
export type ImportStatus = 'staging' | 'published' | 'failed' | 'undone';

/** `field` is a Candor field name (camelCase in a report: the export's column), or "row", "header" or "file" for the row, header or file as a whole. */
export type ImportIssue = { line: number; field: string; reason: string };

export type ImportReport = {
  id: string;
  object: ImportObject;
  status: ImportStatus;
  /** Data rows read from the file (the header is not counted). */
  totalRows: number;
  /** create, or upsert: rows matching an existing record updated it. */
  mode: ImportMode;
  /** Records created when the batch was published. */
  importedRows: number;
  /** Existing records the batch updated (upsert); undo does not revert them. */
  updatedRows: number;
  /** Rows with at least one issue: skipped (with skipInvalid) or the reason nothing was published. */
  invalidRows: number;
  issues: ImportIssue[];
  /** True when there were more issues than the report keeps (see maxReportedIssues). */
  issuesTruncated: boolean;
  createdAt: Date;
  publishedAt: Date | null;
  undoneAt: Date | null;
};

/**
 * A file of a million bad rows must not make a million-entry report: issues are kept for
 * whole rows until 1,000 are listed, so a row is either fully reported or not at all.
 */
export const maxReportedIssues = 1_000;

type BatchRow = typeof importBatches.$inferSelect;

export function toImportReport(row: BatchRow): ImportReport {
  // Stored under the import's own field names (owner_email); reported as the export names the column (ownerEmail).
  const issues = row.skipped.map((issue) => ({ ...issue, field: camelCaseName(issue.field) }));
  const linesListed = new Set(issues.map((issue) => issue.line)).size;
  return {
    id: row.id,
    object: row.object as ImportObject,
    status: row.status as ImportStatus,
    totalRows: row.totalRows,
    mode: row.mode as ImportMode,
    importedRows: row.importedRows,
    updatedRows: row.updatedRows,
    invalidRows: row.skippedRows,
    issues,
    issuesTruncated: linesListed < row.skippedRows,
    createdAt: row.createdAt,
    publishedAt: row.publishedAt,
    undoneAt: row.undoneAt,
  };
}

export async function createImportBatch(db: Executor, ctx: AccessContext, object: ImportObject, mode: ImportMode = 'create'): Promise<string> {
  const id = newId();
  await db.insert(importBatches).values({ tenantId: ctx.tenantId, id, object, mode, status: 'staging', createdBy: actorKey(ctx.actor) });
  return id;
}

export async function findImportBatch(db: Executor, ctx: AccessContext, id: string): Promise<BatchRow | null> {
  const [row] = await db
    .select()
    .from(importBatches)
    .where(and(eq(importBatches.tenantId, ctx.tenantId), eq(importBatches.id, id)))
    .limit(1);
  return row ?? null;
}

export async function readImportReport(db: Executor, ctx: AccessContext, id: string): Promise<ImportReport> {
  const row = await findImportBatch(db, ctx, id);
  if (!row) throw notFound('import');
  return toImportReport(row);
}

/** Records how far staging got; the timestamp tells abandoned batches from running ones. */
export async function recordStagingProgress(tx: Executor, ctx: AccessContext, id: string, totals: { totalRows: number; invalidRows: number }): Promise<void> {
  await tx
    .update(importBatches)
    .set({ totalRows: totals.totalRows, skippedRows: totals.invalidRows, updatedAt: new Date() })
    .where(and(eq(importBatches.tenantId, ctx.tenantId), eq(importBatches.id, id)));
}

/**
 * Moves a batch out of `from` (compare-and-set, so two processes cannot both publish or
 * undo one batch) and returns whether this caller won.
 */
export async function transitionImportBatch(
  tx: Executor,
  ctx: AccessContext,
  id: string,
  from: ImportStatus,
  to: ImportStatus,
  values: Partial<Pick<BatchRow, 'totalRows' | 'importedRows' | 'skippedRows' | 'skipped' | 'publishedAt' | 'undoneAt'>> = {},
): Promise<boolean> {
  const updated = await tx
    .update(importBatches)
    .set({ ...values, status: to, updatedAt: new Date() })
    .where(and(eq(importBatches.tenantId, ctx.tenantId), eq(importBatches.id, id), eq(importBatches.status, from)))
    .returning({ id: importBatches.id });
  return updated.length === 1;
}

/** Batches of any workspace still staging and untouched since `idleSince`. */
export async function findStaleStagingBatches(db: Executor, idleSince: Date): Promise<Array<{ tenantId: string; id: string }>> {
  return db
    .select({ tenantId: importBatches.tenantId, id: importBatches.id })
    .from(importBatches)
    .where(and(eq(importBatches.status, 'staging'), sql`${importBatches.updatedAt} <= ${idleSince.toISOString()}::timestamptz`));
}
