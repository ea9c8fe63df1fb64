import { Readable } from 'node:stream';
import { currentActor } from '../../accounts/actors.ts';
import type { Database } from '../../db/connection.ts';
import { discardImportUpload, readImportUpload, storeImportUpload, systemContext, type AccessContext } from '../../kernel/index.ts';
import { runIdempotent, type IdempotencyRequest } from '../../platform/idempotency.ts';
import { jobQueueReady, sendJob } from '../../queue/sendJob.ts';
import { DomainError } from '../../shared/domainError.ts';
import { can } from '../../shared/roles.ts';
import { apiFieldName } from '../contacts/contactFields.ts';
import { countCsvRows, readCsvHeader } from './csvRecords.ts';
import { createImportBatch, findImportBatch, readImportReport, recordStagingProgress, transitionImportBatch, type ImportIssue } from './importBatches.ts';
import { failImportBatch } from './importPublish.ts';
import { importContext } from './importPurpose.ts';
import { prepareImport, runPreparedImport, type ImportRequest } from './importService.ts';
import { contactPersonalFields } from './rowResolution.ts';

/*
 * Imports that run as a job (POST /imports?background=true): the request checks the
 * options and the file's columns, stores the file sealed (src/kernel/importUploads.ts),
 * creates the batch `queued` and queues its job — all in one transaction, so a job never
 * exists without its file nor a file without its job. The job claims the batch (`running`),
 * takes the file out of the database in the same short transaction (it then lives only in
 * the job's memory), counts its rows for the progress total, and stages and publishes it
 * exactly as a synchronous import does, in smaller chunks, recording progress after each.
 *
 * The job acts as whoever sent the file, as they stand when it runs: a user deactivated or
 * a key revoked meanwhile fails the import instead of running it in their name.
 */

export const importJobQueue = 'csv-import';

/**
 * Rows a job stages per transaction. Each transaction seals its rows and creates their keys
 * while it holds the embedded database's one connection (about 0.3–1 s per 1,000 rows
 * here), and a job runs beside interactive requests, each of whose statements may wait for
 * one: a quarter of the synchronous import's chunk keeps that wait short.
 */
export const backgroundChunkRows = 250;

export type QueuedImportRequest = Omit<ImportRequest, 'input' | 'onProgress' | 'onBatchCreated' | 'ownerId' | 'chunkRows'> & { file: Buffer };

/** Checks, seals and queues an import; returns its batch id (a replayed Idempotency-Key's batch, or a new queued one). */
export async function queueImport(
  database: Database,
  ctx: AccessContext,
  request: QueuedImportRequest,
  idempotency: IdempotencyRequest | null,
): Promise<{ batchId: string; replayed: boolean }> {
  const { file, ...options } = request;
  // The job runner creates its queues when it starts (candor serve); a process without one
  // (a test app, a tool) cannot run the import later, so it says so instead of storing it.
  if (!(await jobQueueReady(database.db, importJobQueue))) {
    throw new DomainError('jobs_unavailable', 'Background imports need the job runner of a running server; send the file without background=true.', [
      { field: 'background', reason: 'no job runner' },
    ]);
  }
  const prepared = await prepareImport(database, ctx, { ...options, input: Readable.from([]) });
  // A column the purpose may not use refuses the file before anything is stored, as it does
  // when the file is staged at once; a file without a header fails in its job, with a report.
  const header = await readCsvHeader(file, request.object, prepared.overrides);
  const personal = new Set<string>(contactPersonalFields);
  const personalFields =
    request.object === 'contact' && header ? header.mapping.flatMap((column) => (column.field && personal.has(column.field) ? [column.field] : [])) : [];
  const outcome = await runIdempotent(database, idempotency, async (tx) => {
    const batchId = await createImportBatch(tx, ctx, {
      object: request.object,
      mode: request.mode,
      status: 'queued',
      fileName: request.fileName,
      options: {
        skipInvalid: request.skipInvalid === true,
        overrides: prepared.overrides,
        matchOn: request.matchOn ?? null,
        ownerId: prepared.resolver.defaultOwnerId,
        consentSource: request.consentSource ?? null,
        consentDate: request.consentDate?.toISOString() ?? null,
      },
    });
    await storeImportUpload(tx, importContext(ctx), batchId, file, personalFields, { fieldName: apiFieldName });
    await sendJob(tx, importJobQueue, { tenantId: ctx.tenantId, batchId });
    return { statusCode: 202, recordId: batchId };
  });
  return { batchId: outcome.recordId as string, replayed: outcome.replayed };
}

/**
 * Fails the batch (whatever it got to) with these issues added to its report, dropping what
 * it staged and its file. As the system: the sender's own grant may be what failed.
 */
async function failWith(database: Database, tenantId: string, batchId: string, issues: ImportIssue[]): Promise<void> {
  const ctx = systemContext(tenantId, 'import-job');
  const report = await readImportReport(database.db, ctx, batchId);
  await failImportBatch(database, ctx, {
    batchId,
    totalRows: report.totalRows,
    invalidRows: report.invalidRows,
    issues: [...report.issues, ...issues],
  });
}

/** The context the import runs under: its sender as they stand now, for the purpose they named; or why it may not run. */
async function senderContext(database: Database, tenantId: string, createdBy: string, purpose: string | null): Promise<AccessContext | string> {
  const actor = await currentActor(database.db, tenantId, createdBy);
  if (!actor) return 'the user or API key that sent the file was deactivated, revoked or expired before the import ran';
  if (!can(actor.role, 'import:write')) return `the role ${actor.role} may no longer import`;
  return { tenantId, actor, purpose };
}

/** What the job does with one queued batch. Does nothing for a batch no longer queued (already run, or discarded). */
export async function runQueuedImport(database: Database, tenantId: string, batchId: string): Promise<void> {
  const batch = await findImportBatch(database.db, systemContext(tenantId, 'import-job'), batchId);
  if (batch?.status !== 'queued' || !batch.options) return;
  const ctx = await senderContext(database, tenantId, batch.createdBy, batch.purpose);
  if (typeof ctx === 'string') return failWith(database, tenantId, batchId, [{ line: 0, field: 'import', reason: ctx }]);
  try {
    // Claimed and taken out in one short transaction: from here the file is only in memory.
    const file = await database.db.transaction(async (tx) => {
      if (!(await transitionImportBatch(tx, ctx, batchId, 'queued', 'running'))) return undefined;
      const stored = await readImportUpload(tx, importContext(ctx), batchId);
      await discardImportUpload(tx, tenantId, batchId);
      return stored;
    });
    if (file === undefined) return;
    if (file === null) return await failWith(database, tenantId, batchId, [{ line: 0, field: 'file', reason: 'the file is no longer stored' }]);
    const rowCount = await countCsvRows(file);
    if (rowCount !== null) await recordStagingProgress(database.db, ctx, batchId, { totalRows: 0, invalidRows: 0, rowCount });
    const { options } = batch;
    const prepared = await prepareImport(database, ctx, {
      object: batch.object as ImportRequest['object'],
      mode: batch.mode as ImportRequest['mode'],
      matchOn: options.matchOn ?? undefined,
      overrides: options.overrides,
      skipInvalid: options.skipInvalid,
      ownerId: options.ownerId,
      consentSource: options.consentSource ?? null,
      consentDate: options.consentDate ? new Date(options.consentDate) : null,
      fileName: batch.fileName,
      input: Readable.from([file]),
      chunkRows: backgroundChunkRows,
    });
    await runPreparedImport(database, ctx, prepared, batchId);
  } catch (error) {
    // Refusals name fields and reasons; other errors' messages may quote values and stay out
    // of the report. runPreparedImport fails the batch itself; this covers what came before.
    const issues = error instanceof DomainError ? error.issues.map((issue) => ({ line: 0, ...issue })) : [];
    await failWith(database, tenantId, batchId, issues.length > 0 ? issues : [{ line: 0, field: 'import', reason: 'the import stopped on an error' }]);
    if (!(error instanceof DomainError)) throw error;
  }
}
