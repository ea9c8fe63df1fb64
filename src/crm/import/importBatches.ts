import { and, eq, inArray, or, sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { newId } from '../../db/ids.ts';
import { importBatches, type ImportBatchOptions } from '../../db/schema/index.ts';
import { actorKey, type AccessContext } from '../../kernel/index.ts';
import { camelCaseName } from '../../shared/camelCase.ts';
import { notFound } from '../../shared/domainError.ts';
import { keysetCondition, keysetOrderBy, pageByCreationOf, parseSort } from '../../shared/keyset.ts';
import type { ImportObject } from './columnMapping.ts';

// An import batch is the unit a user sees, publishes and undoes. Its report names lines,
// fields and reasons only: never a cell value, because reports are stored and shown to
// people who may not be allowed to see the file's personal data.

/** create: every row makes a record; upsert: a row matching an existing record updates it (src/crm/import/existingMatches.ts). */
export type ImportMode = 'create' | 'upsert';
export type ImportMatch = 'email' | 'externalId' | 'domain';
/**
 * queued: waiting for its job (background imports); running: rows are read into staging;
 * staged: every row is staged and the batch is being published; published; failed (nothing
 * published); undone (a published batch's records removed).
 */
export type ImportStatus = 'queued' | 'running' | 'staged' | 'published' | 'failed' | 'undone';

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
  /** Consent ledger events its consent columns recorded, and how many were already expired by their date. */
  consents: { recorded: number; expired: number };
  /** Rows with at least one issue: skipped (with skipInvalid) or the reason nothing was published. */
  invalidRows: number;
  issues: ImportIssue[];
  /** True when there were more issues than the report keeps (see maxReportedIssues). */
  issuesTruncated: boolean;
  /** Data rows in the file, counted before staging (background imports) or once read; null until known. */
  rowCount: number | null;
  /** The uploaded file's name, when the client gave one. */
  fileName: string | null;
  /** Who started the import: a user, an API key, or a system actor (the CLI). */
  createdBy: { type: string; id: string };
  createdAt: Date;
  /** The last change of state or progress. */
  updatedAt: Date;
  publishedAt: Date | null;
  undoneAt: Date | null;
};

/**
 * A file of a million bad rows must not make a million-entry report: issues are kept for
 * whole rows until 1,000 are listed, so a row is either fully reported or not at all.
 */
export const maxReportedIssues = 1_000;

type BatchRow = typeof importBatches.$inferSelect;

/** "user:<id>" as stored → { type, id }; a system actor's name may itself hold a colon. */
function creatorOf(createdBy: string): { type: string; id: string } {
  const at = createdBy.indexOf(':');
  return { type: createdBy.slice(0, at), id: createdBy.slice(at + 1) };
}

export function toImportReport(row: BatchRow): ImportReport {
  // Stored under the import's own field names (owner_email); reported as the export names the column (ownerEmail).
  // A consent column keeps the file's own header (consent:email_marketing names a purpose key).
  const issues = row.skipped.map((issue) => ({ ...issue, field: issue.field.startsWith('consent:') ? issue.field : camelCaseName(issue.field) }));
  const linesListed = new Set(issues.map((issue) => issue.line)).size;
  return {
    id: row.id,
    object: row.object as ImportObject,
    status: row.status as ImportStatus,
    totalRows: row.totalRows,
    mode: row.mode as ImportMode,
    importedRows: row.importedRows,
    updatedRows: row.updatedRows,
    consents: { recorded: row.consentEvents, expired: row.expiredConsents },
    invalidRows: row.skippedRows,
    issues,
    issuesTruncated: linesListed < row.skippedRows,
    rowCount: row.rowCount,
    fileName: row.fileName,
    createdBy: creatorOf(row.createdBy),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    publishedAt: row.publishedAt,
    undoneAt: row.undoneAt,
  };
}

export type NewImportBatch = {
  object: ImportObject;
  mode?: ImportMode;
  /** queued: a job will run it; running (default): the caller stages it now. */
  status?: 'queued' | 'running';
  fileName?: string | null;
  /** What a queued batch's job needs to run it. */
  options?: ImportBatchOptions;
};

export async function createImportBatch(db: Executor, ctx: AccessContext, batch: NewImportBatch): Promise<string> {
  const id = newId();
  await db.insert(importBatches).values({
    tenantId: ctx.tenantId,
    id,
    object: batch.object,
    mode: batch.mode ?? 'create',
    status: batch.status ?? 'running',
    fileName: batch.fileName ?? null,
    purpose: ctx.purpose,
    options: batch.options ?? null,
    createdBy: actorKey(ctx.actor),
  });
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

/** Records how far staging got (and, once counted, the file's rows); the timestamp tells abandoned batches from running ones. */
export async function recordStagingProgress(
  tx: Executor,
  ctx: AccessContext,
  id: string,
  totals: { totalRows: number; invalidRows: number; rowCount?: number },
): Promise<void> {
  await tx
    .update(importBatches)
    .set({
      totalRows: totals.totalRows,
      skippedRows: totals.invalidRows,
      ...(totals.rowCount !== undefined ? { rowCount: totals.rowCount } : {}),
      updatedAt: new Date(),
    })
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
  from: ImportStatus | readonly ImportStatus[],
  to: ImportStatus,
  values: Partial<Pick<BatchRow, 'totalRows' | 'rowCount' | 'importedRows' | 'skippedRows' | 'skipped' | 'publishedAt' | 'undoneAt'>> = {},
): Promise<boolean> {
  const updated = await tx
    .update(importBatches)
    .set({ ...values, status: to, updatedAt: new Date() })
    .where(
      and(eq(importBatches.tenantId, ctx.tenantId), eq(importBatches.id, id), inArray(importBatches.status, typeof from === 'string' ? [from] : [...from])),
    )
    .returning({ id: importBatches.id });
  return updated.length === 1;
}

/**
 * Batches of any workspace that a process stopped working on: running or staged and
 * untouched since `idleSince`, or queued and untouched since `queuedSince` (their job never
 * ran: the queue lost it, or no server has run since).
 */
export async function findStaleBatches(
  db: Executor,
  idleSince: Date,
  queuedSince: Date,
): Promise<Array<{ tenantId: string; id: string; status: ImportStatus }>> {
  const rows = await db
    .select({ tenantId: importBatches.tenantId, id: importBatches.id, status: importBatches.status })
    .from(importBatches)
    .where(
      or(
        and(inArray(importBatches.status, ['running', 'staged']), sql`${importBatches.updatedAt} <= ${idleSince.toISOString()}::timestamptz`),
        and(eq(importBatches.status, 'queued'), sql`${importBatches.updatedAt} <= ${queuedSince.toISOString()}::timestamptz`),
      ),
    );
  return rows.map((row) => ({ ...row, status: row.status as ImportStatus }));
}

const batchSorts = { createdAt: { column: importBatches.createdAt, kind: 'timestamp' as const } };

/** The workspace's imports, newest first, a keyset page at a time. */
export async function listImportBatches(db: Executor, ctx: AccessContext, page: { cursor?: string; limit: number }) {
  const order = parseSort('-createdAt', batchSorts, '-createdAt');
  const rows = await db
    .select()
    .from(importBatches)
    .where(and(eq(importBatches.tenantId, ctx.tenantId), keysetCondition(order, importBatches.id, page.cursor)))
    .orderBy(...keysetOrderBy(order, importBatches.id))
    .limit(page.limit + 1);
  const { data, nextCursor } = pageByCreationOf(rows, page.limit, order);
  return { data: data.map(toImportReport), nextCursor };
}
