import { and, desc, eq, sql } from 'drizzle-orm';
import type { Database, Executor, Transaction } from '../../db/connection.ts';
import { newId } from '../../db/ids.ts';
import { selectRows } from '../../db/rows.ts';
import { accessExports } from '../../db/schema/index.ts';
import {
  actorKey,
  dsrFulfilmentKey,
  openSubjectAccess,
  recordAudit,
  storeAccessExportFile,
  subjectAccessPolicy,
  systemContext,
  type AccessContext,
  type PurposeContext,
} from '../../kernel/index.ts';
import { jobQueueReady, sendJob } from '../../queue/sendJob.ts';
import { DomainError, notFound } from '../../shared/domainError.ts';
import { accessExportDocument } from './accessExportDocument.ts';
import { renderAccessExport, type AccessExportFormat } from './accessExportFormats.ts';
import { art15Context } from './art15Context.ts';

/*
 * Access exports: a copy of everything held on one contact with the Art. 15 context, as
 * JSON, a zip of CSVs or an HTML page. Asking for one stores its row `queued` and queues
 * the `access-export` job in the same transaction (a process without a job runner — a test
 * app, a CLI — builds it at once instead). The job reads the subject through the kernel
 * (openSubjectAccess, under dsr_fulfilment), builds the context, renders the file and has
 * the kernel seal it under the subject's key, recording its progress at each step. The
 * rights-request workflow calls createAccessExport for access and portability requests.
 */

export const accessExportQueue = 'access-export';
/** How long a built export stays downloadable. */
export const accessExportLifetimeDays = 7;
const dayMs = 86_400_000;

export type AccessExportStatus = 'queued' | 'running' | 'ready' | 'failed';
export type AccessExportView = {
  id: string;
  contactId: string;
  format: AccessExportFormat;
  status: AccessExportStatus;
  progress: number;
  step: string | null;
  requestId: string | null;
  fileName: string | null;
  contentType: string | null;
  byteSize: number | null;
  error: string | null;
  createdAt: string;
  completedAt: string | null;
  expiresAt: string;
};

export type AccessExportOptions = {
  /** Where the workspace's Candor answers: the consent receipts in the export name it. */
  controllerUrl: string;
  /** The rights request the export answers. */
  requestId?: string | null;
  now?: Date;
};

type Row = typeof accessExports.$inferSelect;

const viewOf = (row: Row): AccessExportView => ({
  id: row.id,
  contactId: row.contactId,
  format: row.format as AccessExportFormat,
  status: row.status as AccessExportStatus,
  progress: row.progress,
  step: row.step,
  requestId: row.requestId,
  fileName: row.fileName,
  contentType: row.contentType,
  byteSize: row.byteSize,
  error: row.error,
  createdAt: row.createdAt.toISOString(),
  completedAt: row.completedAt?.toISOString() ?? null,
  expiresAt: row.expiresAt.toISOString(),
});

/** The public URL consent receipts name, for callers without the server's configuration (a rights request). */
export const defaultControllerUrl = () => process.env.CANDOR_PUBLIC_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;

/** The context an export is made under: whoever asked, acting for dsr_fulfilment. */
export const accessExportContext = (requestedBy: AccessContext): PurposeContext => ({
  tenantId: requestedBy.tenantId,
  actor: requestedBy.actor,
  purpose: dsrFulfilmentKey,
});
// The job acts for the workspace (its system actor holds every purpose); who asked is on the row and in the trail.
const jobContext = (tenantId: string) => systemContext(tenantId, 'access-export', dsrFulfilmentKey);

/** Stores the export `queued` and, where a job runner runs, queues its job: in the caller's transaction. */
async function insertAccessExport(
  tx: Executor,
  ctx: PurposeContext,
  contactId: string,
  format: AccessExportFormat,
  options: AccessExportOptions,
  queued: boolean,
): Promise<string> {
  const now = options.now ?? new Date();
  const id = newId();
  // Stored only for a living contact of the workspace (404 otherwise): one statement.
  const inserted = await selectRows(
    tx,
    sql`insert into access_exports (tenant_id, id, contact_id, format, requested_by, request_id, created_at, expires_at)
        select c.tenant_id, ${id}::uuid, c.id, ${format}, ${actorKey(ctx.actor)}, ${options.requestId ?? null}::uuid,
               ${now.toISOString()}::timestamptz, ${new Date(now.getTime() + accessExportLifetimeDays * dayMs).toISOString()}::timestamptz
        from contacts c where c.tenant_id = ${ctx.tenantId}::uuid and c.id = ${contactId}::uuid
          and not exists (select 1 from erasures e where e.tenant_id = c.tenant_id and e.subject_id = c.id)
        returning id`,
  );
  if (inserted.length === 0) throw notFound('contact');
  // Built at once, the requester's own read (subject.access_read) is the record; queued, this is.
  if (queued) {
    await recordAudit(tx, ctx, { action: 'access_export.requested', object: 'contact', recordIds: [id], subjectIds: [contactId], detail: { format } });
    await sendJob(tx, accessExportQueue, { tenantId: ctx.tenantId, exportId: id });
  }
  return id;
}

/**
 * Asks for an access export of the contact: 403 unless the requester's role holds
 * dsr_fulfilment, 404 for no such (or an erased) contact. Queued as a job where a job runner
 * runs; built before returning otherwise, in one transaction with its row.
 */
export async function createAccessExport(
  database: Database,
  requestedBy: AccessContext,
  contactId: string,
  format: AccessExportFormat,
  options: AccessExportOptions,
): Promise<AccessExportView> {
  const ctx = accessExportContext(requestedBy);
  await subjectAccessPolicy(database.db, ctx, 'access_export.requested');
  if (await jobQueueReady(database.db, accessExportQueue)) {
    const id = await database.db.transaction((tx) => insertAccessExport(tx, ctx, contactId, format, options, true));
    return (await findAccessExport(database.db, ctx.tenantId, contactId, id))!;
  }
  return database.db.transaction((tx) => buildAccessExportIn(tx, ctx, contactId, format, options));
}

/** Stores the export and builds it in the caller's transaction (no job runner): a failure fails the caller's work. */
async function buildAccessExportIn(tx: Transaction, ctx: PurposeContext, contactId: string, format: AccessExportFormat, options: AccessExportOptions) {
  const id = await insertAccessExport(tx, ctx, contactId, format, options, false);
  const built = await runAccessExport(tx, ctx.tenantId, id, {
    controllerUrl: options.controllerUrl,
    inCallersTransaction: true,
    actingAs: ctx,
    known: { contactId, format },
  });
  return built ?? (await findAccessExport(tx, ctx.tenantId, contactId, id))!;
}

/**
 * createAccessExport inside the caller's transaction (a rights request completed): the export
 * becomes visible, and its job runs, only if that transaction commits; without a job runner
 * it is built in the transaction.
 */
export async function createAccessExportIn(
  tx: Transaction,
  requestedBy: AccessContext,
  contactId: string,
  format: AccessExportFormat,
  options: AccessExportOptions,
): Promise<AccessExportView> {
  const ctx = accessExportContext(requestedBy);
  await subjectAccessPolicy(tx, ctx, 'access_export.requested');
  if (!(await jobQueueReady(tx, accessExportQueue))) return buildAccessExportIn(tx, ctx, contactId, format, options);
  const id = await insertAccessExport(tx, ctx, contactId, format, options, true);
  return (await findAccessExport(tx, ctx.tenantId, contactId, id))!;
}

async function recordProgress(executor: Executor, tenantId: string, id: string, progress: number, step: string, extra: Partial<Row> = {}): Promise<void> {
  await executor
    .update(accessExports)
    .set({ progress, step, ...extra })
    .where(and(eq(accessExports.tenantId, tenantId), eq(accessExports.id, id)));
}

/**
 * The job's work: read, put in context, render, seal, with its progress recorded at each
 * step. A refusal (the subject erased meanwhile) is recorded on the row by its code (never
 * personal data). `inCallersTransaction`: built inside a caller's transaction, where no one
 * can watch the progress and a failure is the caller's to handle (a failed statement has
 * spoilt the transaction), so neither is written.
 */
export async function runAccessExport(
  executor: Executor,
  tenantId: string,
  id: string,
  options: { controllerUrl: string; inCallersTransaction?: boolean; actingAs?: PurposeContext; known?: Pick<Row, 'contactId' | 'format'> },
): Promise<AccessExportView | null> {
  // The caller that just stored it knows what it is; the job reads it.
  const [row] = options.known
    ? [{ ...options.known, status: 'queued', progress: 0 }]
    : await executor
        .select()
        .from(accessExports)
        .where(and(eq(accessExports.tenantId, tenantId), eq(accessExports.id, id)));
  if (!row || row.status === 'ready') return null;
  const watched = !options.inCallersTransaction;
  // Built at once, the requester reads (their grant decided already); in the job, the workspace's system actor.
  const ctx = options.actingAs ?? jobContext(tenantId);
  try {
    if (watched) await recordProgress(executor, tenantId, id, 5, 'reading', { status: 'running' });
    const subject = await openSubjectAccess(executor, ctx, row.contactId, { controllerUrl: options.controllerUrl });
    const context = await art15Context(executor, tenantId, subject);
    const rendered = renderAccessExport(accessExportDocument(subject, context, new Date()), row.format as AccessExportFormat);
    if (watched) await recordProgress(executor, tenantId, id, 80, 'sealing');
    // Stored before it is marked ready: a crash between the two leaves it running, and the retry stores it again.
    await storeAccessExportFile(executor, ctx, id, row.contactId, rendered.body);
    const [ready] = await executor
      .update(accessExports)
      .set({
        status: 'ready',
        progress: 100,
        step: 'done',
        fileName: `personal-data-${id.slice(0, 8)}.${rendered.fileExtension}`,
        contentType: rendered.contentType,
        byteSize: rendered.body.length,
        completedAt: new Date(),
      })
      .where(and(eq(accessExports.tenantId, tenantId), eq(accessExports.id, id)))
      .returning();
    return ready ? viewOf(ready) : null;
  } catch (error) {
    if (!watched) throw error;
    await recordProgress(executor, tenantId, id, row.progress, 'failed', {
      status: 'failed',
      error: error instanceof DomainError ? error.code : 'internal_error',
    });
    // A refusal is final; anything else is reported to the job runner (which retries once).
    if (!(error instanceof DomainError)) throw error;
    return null;
  }
}

/** One export of the contact, or null. */
export async function findAccessExport(executor: Executor, tenantId: string, contactId: string, id: string): Promise<AccessExportView | null> {
  const [row] = await executor
    .select()
    .from(accessExports)
    .where(and(eq(accessExports.tenantId, tenantId), eq(accessExports.contactId, contactId), eq(accessExports.id, id)));
  return row ? viewOf(row) : null;
}

/** The contact's exports, newest first. */
export async function listAccessExports(executor: Executor, tenantId: string, contactId: string): Promise<AccessExportView[]> {
  const rows = await executor
    .select()
    .from(accessExports)
    .where(and(eq(accessExports.tenantId, tenantId), eq(accessExports.contactId, contactId)))
    .orderBy(desc(accessExports.createdAt), desc(accessExports.id))
    .limit(100);
  return rows.map(viewOf);
}

/** For erasure: deletes the subject's exports (their files and links go with them). The files are unreadable anyway once the key is shredded. */
export async function deleteAccessExportsOf(executor: Executor, tenantId: string, contactId: string): Promise<number> {
  const deleted = await executor
    .delete(accessExports)
    .where(and(eq(accessExports.tenantId, tenantId), eq(accessExports.contactId, contactId)))
    .returning({ id: accessExports.id });
  return deleted.length;
}
