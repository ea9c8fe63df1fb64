import { sql } from 'drizzle-orm';
import type { Database, Executor } from '../../db/connection.ts';
import { deletePermittedContacts, type AccessContext } from '../../kernel/index.ts';
import { recordChange } from '../../platform/changes.ts';
import { DomainError, notFound } from '../../shared/domainError.ts';
import { importContext } from './importPurpose.ts';
import { findImportBatch, toImportReport, transitionImportBatch, type ImportReport } from './importBatches.ts';
import { rowsOf } from '../../db/rows.ts';

// Undo removes the records a batch created — even ones edited since — in short
// transactions of a few thousand records, so undoing a million-row import never holds
// PGlite's single connection for long. It can be re-run: a crash half-way leaves the batch
// "published" with fewer records, and the next undo removes the rest. A company the batch
// created that something else now refers to (a contact, deal or purchase from elsewhere)
// is kept and counted, rather than breaking those records.

const undoChunk = 2_000;

/**
 * keptUpdated: existing records an upsert import updated. Undo removes only what the import
 * created: the people it updated existed before it and stay, with the values it wrote (their
 * earlier values are not kept, so undo cannot restore them and says so).
 */
export type UndoOutcome = ImportReport & { removedContacts: number; removedCompanies: number; keptCompanies: number; keptUpdated: number };

async function removeContactsChunk(database: Database, ctx: AccessContext, batchId: string): Promise<number> {
  return database.db.transaction(async (tx) => {
    const ids = rowsOf<{ id: string }>(
      await tx.execute(sql`select id from contacts where tenant_id = ${ctx.tenantId} and import_batch_id = ${batchId} order by id limit ${undoChunk}`),
    ).map((row) => row.id);
    if (ids.length === 0) return 0;
    return (await deletePermittedContacts(tx, importContext(ctx), ids)).length;
  });
}

/** Runs `chunk` until it removes nothing; returns the total removed. */
async function repeatUntilNone(chunk: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const removed = await chunk();
    if (removed === 0) return total;
    total += removed;
  }
}

const unreferencedCompanies = (tx: Executor, ctx: AccessContext, batchId: string) =>
  tx.execute(sql`
    select c.id from companies c
    where c.tenant_id = ${ctx.tenantId} and c.import_batch_id = ${batchId}
      and not exists (select 1 from contacts k where k.tenant_id = c.tenant_id and k.company_id = c.id)
      and not exists (select 1 from deals d where d.tenant_id = c.tenant_id and d.company_id = c.id)
      and not exists (select 1 from purchases p where p.tenant_id = c.tenant_id and p.company_id = c.id)
    order by c.id limit ${undoChunk}`);

async function removeCompaniesChunk(database: Database, ctx: AccessContext, batchId: string): Promise<number> {
  return database.db.transaction(async (tx) => {
    const ids = rowsOf<{ id: string }>(await unreferencedCompanies(tx, ctx, batchId)).map((row) => row.id);
    if (ids.length === 0) return 0;
    const idArray = sql`${sql.param(ids)}::uuid[]`;
    await tx.execute(sql`delete from activity_links where tenant_id = ${ctx.tenantId} and object = 'company' and record_id = any(${idArray})`);
    await tx.execute(sql`delete from companies where tenant_id = ${ctx.tenantId} and id = any(${idArray})`);
    return ids.length;
  });
}

export async function undoImport(database: Database, ctx: AccessContext, batchId: string): Promise<UndoOutcome> {
  const batch = await findImportBatch(database.db, ctx, batchId);
  if (!batch) throw notFound('import');
  if (batch.status === 'undone') return { ...toImportReport(batch), removedContacts: 0, removedCompanies: 0, keptCompanies: 0, keptUpdated: batch.updatedRows };
  if (batch.status !== 'published') {
    throw new DomainError('conflict', `Only a published import can be undone; this one is ${batch.status}.`, [
      { field: 'status', reason: `is ${batch.status}` },
    ]);
  }
  const removedContacts = await repeatUntilNone(() => removeContactsChunk(database, ctx, batchId));
  const removedCompanies = await repeatUntilNone(() => removeCompaniesChunk(database, ctx, batchId));

  return database.db.transaction(async (tx) => {
    const kept = rowsOf<{ n: number }>(
      await tx.execute(sql`select count(*)::int as n from companies where tenant_id = ${ctx.tenantId} and import_batch_id = ${batchId}`),
    )[0].n;
    const won = await transitionImportBatch(tx, ctx, batchId, 'published', 'undone', { undoneAt: new Date() });
    if (won) {
      // The audit entry names no fields: undoing removes whole records, not values.
      await recordChange(
        tx,
        ctx,
        { object: 'import', recordId: batchId, kind: 'updated', fields: ['status'] },
        {
          action: 'import.undone',
          object: batch.object,
          fields: [],
          detail: { batchId, removedContacts, removedCompanies, keptCompanies: kept, keptUpdated: batch.updatedRows },
        },
      );
    }
    const after = await findImportBatch(tx, ctx, batchId);
    if (!after) throw notFound('import');
    return { ...toImportReport(after), removedContacts, removedCompanies, keptCompanies: kept, keptUpdated: batch.updatedRows };
  });
}
