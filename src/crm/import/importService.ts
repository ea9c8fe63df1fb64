import type { Database } from '../../db/connection.ts';
import { stagePermittedImportRows, systemContext, type AccessContext } from '../../kernel/index.ts';
import { apiFieldName } from '../contacts/contactFields.ts';
import { camelCaseName } from '../../shared/camelCase.ts';
import { DomainError, invalid } from '../../shared/domainError.ts';
import { fieldNamed, fieldsOf, type ImportObject } from './columnMapping.ts';
import { CsvFormatError, readCsvRecords } from './csvRecords.ts';
import {
  createImportBatch,
  findStaleBatches,
  maxReportedIssues,
  readImportReport,
  recordStagingProgress,
  type ImportIssue,
  type ImportMatch,
  type ImportMode,
  type ImportReport,
} from './importBatches.ts';
import { failImportBatch, markImportStaged, publishImportBatch } from './importPublish.ts';
import { ImportRowResolver, type ValidRow } from './rowResolution.ts';
import { importContext } from './importPurpose.ts';
import { importMatchesOf } from './existingMatches.ts';
import { consentHeaderIssues, consentPurposesOf, datedConsents } from './importConsents.ts';

// A CSV import: rows stream from the file into the staging area in short transactions of
// `stagingChunkRows` rows (PGlite has one connection; a long transaction would stall every
// other request), then the batch is published in one short step. All-or-nothing: with any
// invalid row and no skipInvalid, nothing is published — staging stops at the first
// invalid row, but the file is still read to the end so the report lists every bad line.

export const stagingChunkRows = 1_000;
/** A batch still staging with no progress for this long was abandoned by a process that died. */
export const abandonedAfterMs = 15 * 60_000;

export type ImportRequest = {
  object: ImportObject;
  input: NodeJS.ReadableStream;
  /** Header → Candor field (or null to ignore the column), beating automatic matching. */
  overrides?: Record<string, string | null>;
  /** Publish the valid rows and report the invalid ones, instead of publishing nothing. */
  skipInvalid?: boolean;
  /** upsert: a row matching an existing record on `matchOn` updates it instead of creating one (default create). */
  mode?: ImportMode;
  /** What an upsert matches on: contacts email (default) or externalId; companies externalId (default) or domain. */
  matchOn?: ImportMatch;
  /** Owner of records whose row names none (staff e-mail address). */
  ownerEmail?: string | null;
  /** …or the owner's user id (a queued import resolved the address when it was sent). */
  ownerId?: string | null;
  /** The file's name, shown in the list of imports. */
  fileName?: string | null;
  onProgress?: (bytesRead: number) => void;
  onBatchCreated?: (batchId: string) => void;
  /** Rows staged per transaction (default stagingChunkRows); fewer keep the one embedded connection freer. */
  chunkRows?: number;
  /** Where the file's consents were collected (sealed as each consent event's evidence); needed with consent columns. */
  consentSource?: string | null;
  /** When the file's consents were given, for rows whose consent_date cell is empty. */
  consentDate?: Date | null;
};

/**
 * Lets the event loop run. The embedded database answers in-process, so its awaits resolve
 * without ever returning to the event loop: a whole import would run as one chain of
 * microtasks, and requests, timers and I/O would wait for its end. Between chunks (and
 * every chunk's worth of rows read) the import steps aside.
 */
const stepAside = () => new Promise((resolve) => setImmediate(resolve));

export type ImportOutcome = ImportReport & {
  /** File columns that match no field and were not imported. */
  unmappedColumns: string[];
};

export function assertValidOverrides(object: ImportObject, overrides: Record<string, string | null>): void {
  for (const [header, field] of Object.entries(overrides)) {
    if (header.trim() === '') throw invalid('map', 'name the column header before "="');
    if (field !== null && !fieldNamed(object, field)) {
      throw invalid('map', `${field} is not a ${object} field; use one of ${fieldsOf(object).map(camelCaseName).join(', ')}`);
    }
  }
}

class IssueLog {
  readonly issues: ImportIssue[] = [];
  invalidRows = 0;
  /** Set when the file itself is unusable (malformed CSV, no known column): nothing may be published. */
  fatal = false;

  addRow(issues: ImportIssue[]): void {
    this.invalidRows += 1;
    if (this.issues.length + issues.length <= maxReportedIssues) this.issues.push(...issues);
  }

  /** A problem with the whole file; always listed, even when the report is full. */
  addFatal(issue: ImportIssue): void {
    this.fatal = true;
    this.issues.push(issue);
  }
}

/** An import whose options were checked (column overrides, default owner); nothing is written yet. */
export type PreparedImport = {
  request: ImportRequest;
  overrides: Record<string, string | null>;
  resolver: ImportRowResolver;
  /** The workspace's consent purposes, which consent columns may name. */
  consentPurposes: ReadonlySet<string>;
};

export async function prepareImport(database: Database, ctx: AccessContext, request: ImportRequest): Promise<PreparedImport> {
  const overrides = request.overrides ?? {};
  assertValidOverrides(request.object, overrides);
  const upsert = request.mode === 'upsert' ? { matchOn: request.matchOn ?? importMatchesOf[request.object][0] } : null;
  if (!upsert && request.matchOn) throw invalid('matchOn', 'only an upsert import matches existing records');
  const owner = request.ownerId ? { id: request.ownerId } : request.ownerEmail ? { email: request.ownerEmail } : null;
  const resolver = await ImportRowResolver.create(database.db, ctx, request.object, owner, upsert);
  if (request.consentSource !== undefined && request.consentSource !== null && request.consentSource.trim() === '') {
    throw invalid('consentSource', 'say where the consents were collected');
  }
  return { request, overrides, resolver, consentPurposes: await consentPurposesOf(database.db, ctx.tenantId) };
}

/** Checks the options, creates the batch, stages the file and publishes it (or reports why not). */
export async function runImport(database: Database, ctx: AccessContext, request: ImportRequest): Promise<ImportOutcome> {
  const prepared = await prepareImport(database, ctx, request);
  const batchId = await createImportBatch(database.db, ctx, { object: request.object, mode: request.mode, fileName: request.fileName });
  request.onBatchCreated?.(batchId);
  return runPreparedImport(database, ctx, prepared, batchId);
}

/** Stages the file into an existing batch (status running), marks it staged and publishes it, or marks it failed. */
export async function runPreparedImport(database: Database, ctx: AccessContext, prepared: PreparedImport, batchId: string): Promise<ImportOutcome> {
  const { request, overrides, resolver, consentPurposes } = prepared;
  const chunkRows = request.chunkRows ?? stagingChunkRows;
  const log = new IssueLog();
  let totalRows = 0;
  let mappedFields: string[] = [];
  let unmappedColumns: string[] = [];
  let pending: ValidRow[] = [];
  const staging = () => !log.fatal && (request.skipInvalid === true || log.invalidRows === 0);
  const startedAt = new Date();

  const flush = async () => {
    const rows = pending;
    pending = [];
    const { staged, invalid: rejected } = await resolver.resolve(database.db, ctx, rows);
    for (const row of rejected) log.addRow(row.issues);
    await database.db.transaction(async (tx) => {
      if (staging()) await stagePermittedImportRows(tx, importContext(ctx), batchId, staged, { fieldName: apiFieldName });
      await recordStagingProgress(tx, ctx, batchId, { totalRows, invalidRows: log.invalidRows });
    });
    await stepAside();
  };

  try {
    for await (const item of readCsvRecords(request.input, request.object, overrides, { onProgress: request.onProgress })) {
      if (item.kind === 'header') {
        mappedFields = item.mapping.flatMap((column) => (column.field === null ? [] : [column.field]));
        unmappedColumns = item.unmapped;
        if (mappedFields.length === 0) {
          log.addFatal({ line: 1, field: 'header', reason: `no column matches a ${request.object} field; map columns with Header=field` });
          break;
        }
        for (const issue of consentHeaderIssues(item.consentColumns, consentPurposes, request.consentSource)) log.addFatal(issue);
        if (log.fatal) break;
        continue;
      }
      totalRows += 1;
      if (totalRows % chunkRows === 0) await stepAside();
      if (!item.result.ok) {
        log.addRow(item.result.errors.map((error) => ({ line: item.line, ...error })));
        continue;
      }
      const dated = datedConsents(item.result.record, request.consentDate, startedAt);
      if ('issue' in dated) {
        log.addRow([{ line: item.line, ...dated.issue }]);
        continue;
      }
      pending.push({ line: item.line, record: dated.record });
      if (pending.length >= chunkRows) await flush();
    }
    await flush();
  } catch (error) {
    if (!(error instanceof CsvFormatError)) {
      // A refusal (a column the purpose may not use) names its fields and reasons, never
      // values: the report keeps them. Any other error's message may quote values: not kept.
      const refusal = error instanceof DomainError ? error.issues.map((issue) => ({ line: 0, ...issue })) : [];
      const issues = [...log.issues, ...refusal];
      await failImportBatch(database, ctx, { batchId, totalRows, invalidRows: log.invalidRows, issues }).catch(() => undefined);
      throw error;
    }
    log.addFatal({ line: error.line ?? totalRows + 2, field: 'file', reason: `malformed CSV (${error.code})` });
  }

  // Rows are checked in two passes (cells while reading, owners and e-mails per chunk): list by line.
  const issues = [...log.issues].sort((a, b) => a.line - b.line);
  const result = { batchId, totalRows, invalidRows: log.invalidRows, issues, ...(log.fatal ? {} : { rowCount: totalRows }) };
  if (log.fatal || (log.invalidRows > 0 && request.skipInvalid !== true)) {
    await failImportBatch(database, ctx, result);
  } else {
    if (!(await markImportStaged(database, ctx, result))) {
      throw new DomainError('conflict', 'This import is no longer running (it was failed or discarded meanwhile).');
    }
    try {
      await publishImportBatch(database, ctx, {
        batchId,
        invalidRows: log.invalidRows,
        object: request.object,
        fields: mappedFields,
        consentSource: request.consentSource ?? null,
      });
    } catch (error) {
      // The publishing transaction rolled back, so nothing is published; the batch must not
      // stay "staged" with its rows. The database's message may quote values: not kept.
      const failed = [...issues, { line: 0, field: 'import', reason: 'publishing failed and was rolled back; nothing was imported' }];
      await failImportBatch(database, ctx, { ...result, issues: failed }).catch(() => undefined);
      throw error;
    }
  }
  return { ...(await readImportReport(database.db, ctx, batchId)), unmappedColumns };
}

/** A queued batch whose job has not started after this long will not be run: its file is discarded. */
export const queuedAbandonedAfterMs = 24 * 60 * 60_000;

/**
 * Fails batches left running or staged by a process that died (killed mid-import), and
 * queued ones whose job never ran, deleting what they staged and their file so no personal
 * value lingers there. `idleMs` 0 is right only when no other process can be importing (the
 * embedded database, whose lock this process holds); queued batches are given a day
 * whatever `idleMs` says, since a server started later runs their jobs.
 */
export async function discardAbandonedImports(database: Database, options: { idleMs: number }): Promise<number> {
  const now = Date.now();
  const stale = await findStaleBatches(database.db, new Date(now - options.idleMs), new Date(now - Math.max(options.idleMs, queuedAbandonedAfterMs)));
  for (const batch of stale) {
    const ctx = systemContext(batch.tenantId, 'import-cleanup');
    const report = await readImportReport(database.db, ctx, batch.id);
    const reason = batch.status === 'queued' ? 'abandoned: no job ran the import within a day' : 'abandoned: the importing process stopped before publishing';
    await failImportBatch(database, ctx, {
      batchId: batch.id,
      totalRows: report.totalRows,
      invalidRows: report.invalidRows,
      issues: [...report.issues, { line: 0, field: 'file', reason }],
    });
  }
  return stale.length;
}
