import { sql } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import { rowsOf } from '../db/rows.ts';
import { contactBlindIndexKey, contactKeysForReading, openPersonal } from './contactVault.ts';
import { externalIdIndex } from './lookupTokens.ts';

/*
 * A data upgrade, run by migrateDatabase after the SQL migrations: contacts stored before
 * contacts.external_id_index existed hold their external id sealed in `personal` only, and
 * SQL cannot compute a keyed index of a sealed value. So the index is filled here, in code:
 * open the one field, index it, write it back, 500 contacts per statement, walking by
 * (tenant, id) so it resumes where an interrupted run stopped (rows done have an index and
 * are not selected again). Idempotent; on a database without such rows it is one SELECT
 * on an empty partial index.
 * A contact whose keys were shredded (erased) has nothing to open and stays without index.
 */

const batchRows = 500;

/**
 * The next contacts waiting for their index, after `after`. Its condition is the predicate of
 * the partial index contacts_external_id_pending_idx, so at every start this reads that
 * (nearly always empty) index instead of scanning every contact.
 */
export function pendingExternalIdRows(after: { tenantId: string; id: string } | null) {
  return sql`
    select tenant_id, id, personal->>'external_id' as sealed from contacts
    where personal ? 'external_id' and external_id_index is null
      ${after ? sql`and (tenant_id, id) > (${after.tenantId}::uuid, ${after.id}::uuid)` : sql``}
    order by tenant_id, id
    limit ${batchRows}`;
}

/** Fills the external id index of contacts that have an external id and no index yet; returns how many were filled. */
export async function backfillContactExternalIdIndexes(db: Executor): Promise<number> {
  let filled = 0;
  let after: { tenantId: string; id: string } | null = null;
  for (;;) {
    type Row = { tenant_id: string; id: string; sealed: string };
    const rows: Row[] = rowsOf<Row>(await db.execute(pendingExternalIdRows(after)));
    if (rows.length === 0) return filled;
    const ids: string[] = [];
    const indexes: string[] = [];
    const tenantIds: string[] = [];
    for (const tenantId of new Set(rows.map((row) => row.tenant_id))) {
      const ofTenant = rows.filter((row) => row.tenant_id === tenantId);
      const keys = await contactKeysForReading(
        db,
        tenantId,
        ofTenant.map((row) => row.id),
      );
      const blindKey = await contactBlindIndexKey(tenantId);
      for (const row of ofTenant) {
        const index = externalIdIndex(blindKey, openPersonal(keys.get(row.id), row.id, { external_id: row.sealed }).external_id);
        if (index === null) continue;
        ids.push(row.id);
        indexes.push(index);
        tenantIds.push(tenantId);
      }
    }
    if (ids.length > 0) {
      await db.execute(sql`
        update contacts c set external_id_index = u.external_index
        from unnest(${sql.param(tenantIds)}::uuid[], ${sql.param(ids)}::uuid[], ${sql.param(indexes)}::text[]) as u(tenant_id, id, external_index)
        where c.tenant_id = u.tenant_id and c.id = u.id`);
      filled += ids.length;
    }
    const last: Row = rows[rows.length - 1];
    after = { tenantId: last.tenant_id, id: last.id };
  }
}
