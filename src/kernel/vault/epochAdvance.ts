import { sql } from 'drizzle-orm';
import type { Database } from '../../db/connection.ts';
import { selectRows } from '../../db/rows.ts';
import { currentEpochNumber, lockEpochsExclusive, requireEpochKey } from './epochs.ts';
import type { KeyStore } from './keyStore.ts';
import { unwrapSubjectKey, wrapSubjectKey } from './keyWrap.ts';
import type { WrappedKeyRow } from './subjectKeys.ts';

export type EpochAdvanceReport = {
  tenantId: string;
  previousEpoch: number | null;
  epoch: number;
  /** Subject keys re-wrapped under the new epoch. */
  rewrapped: number;
  /** Epochs whose keys were destroyed in the key store by this run. */
  destroyedEpochs: number[];
};

export type EpochAdvanceOptions = { batchSize?: number };

/**
 * Advances the workspace's key epoch: a new epoch key becomes current, every live subject
 * key is re-wrapped under it (in batches, each its own short transaction, so PGlite's one
 * connection is never held for long), the old epoch is retired and then its key DESTROYED
 * in the key store. Afterwards no database copy from before can unwrap a subject key that
 * had been deleted (erased) before the advance began — its only wrapping was under a
 * destroyed key. Data itself is never re-encrypted. Safe to re-run after a crash: every
 * run finishes what an earlier one left undone.
 */
export async function advanceEpoch(database: Database, keyStore: KeyStore, tenantId: string, options: EpochAdvanceOptions = {}): Promise<EpochAdvanceReport> {
  let created = null as number | null;
  let previousEpoch: number | null;
  try {
    previousEpoch = await database.db.transaction(async (tx) => {
      await lockEpochsExclusive(tx, tenantId);
      const previous = await currentEpochNumber(tx, tenantId);
      created = (await keyStore.createEpochKey(tenantId)).epoch;
      await tx.execute(sql`update vault_epochs set state = 'retired', retired_at = now() where tenant_id = ${tenantId} and state = 'current'`);
      await tx.execute(sql`insert into vault_epochs (tenant_id, epoch, state) values (${tenantId}, ${created}, 'current')`);
      return previous;
    });
  } catch (error) {
    // The new key never became current: nothing is wrapped under it.
    if (created !== null) await keyStore.destroyEpochKey(tenantId, created).catch(() => undefined);
    throw error;
  }
  const finished = await completeEpochAdvance(database, keyStore, tenantId, options);
  return { ...finished, previousEpoch };
}

/** Key rotation: an epoch advance without an erasure. Re-wraps every subject key; no data is re-encrypted. */
export const rotateKeys = advanceEpoch;

/**
 * Finishes an advance: re-wraps every subject key still under a retired epoch, then
 * destroys each retired epoch key that no row needs any more, and any key the key store
 * still holds for an epoch the database records as destroyed (a restored key-store backup).
 */
export async function completeEpochAdvance(
  database: Database,
  keyStore: KeyStore,
  tenantId: string,
  options: EpochAdvanceOptions = {},
): Promise<Omit<EpochAdvanceReport, 'previousEpoch'>> {
  const batchSize = options.batchSize ?? 1000;
  const epoch = await currentEpochNumber(database.db, tenantId);
  if (epoch === null) throw new Error('Vault: this workspace has no current epoch to advance from.');
  let rewrapped = 0;
  const destroyedEpochs: number[] = [];
  for (let attempt = 0; attempt < 3; attempt += 1) {
    rewrapped += await rewrapRetired(database, keyStore, tenantId, epoch, batchSize);
    const outcome = await destroyUnneededEpochs(database, keyStore, tenantId);
    destroyedEpochs.push(...outcome.destroyed);
    if (outcome.stillNeeded === 0) return { tenantId, epoch, rewrapped, destroyedEpochs };
  }
  throw new Error('Vault: subject keys kept appearing under a retired epoch; the advance did not complete.');
}

async function rewrapRetired(database: Database, keyStore: KeyStore, tenantId: string, epoch: number, batchSize: number): Promise<number> {
  const newKey = await requireEpochKey(keyStore, tenantId, epoch);
  const oldKeys = new Map<number, Buffer>();
  let total = 0;
  for (;;) {
    const count = await database.db.transaction(async (tx) => {
      // Epoch numbers only grow, so "under a retired epoch" is "below the current one".
      const rows = await selectRows<WrappedKeyRow>(
        tx,
        sql`select subject_id, key_version, epoch, wrapped_key from subject_keys
            where tenant_id = ${tenantId} and epoch < ${epoch}
            order by epoch, subject_id, key_version limit ${batchSize}`,
      );
      if (rows.length === 0) return 0;
      const subjects: string[] = [];
      const versions: number[] = [];
      const fromEpochs: number[] = [];
      const wrapped: string[] = [];
      for (const row of rows) {
        let oldKey = oldKeys.get(row.epoch);
        if (!oldKey) {
          oldKey = await requireEpochKey(keyStore, tenantId, row.epoch);
          oldKeys.set(row.epoch, oldKey);
        }
        const bytes = Buffer.isBuffer(row.wrapped_key) ? row.wrapped_key : Buffer.from(row.wrapped_key);
        const binding = { tenantId, subjectId: row.subject_id, keyVersion: row.key_version };
        const subjectKey = unwrapSubjectKey(oldKey, { ...binding, epoch: row.epoch }, bytes);
        subjects.push(row.subject_id);
        versions.push(row.key_version);
        fromEpochs.push(row.epoch);
        wrapped.push(wrapSubjectKey(newKey, { ...binding, epoch }, subjectKey).toString('base64'));
      }
      await tx.execute(sql`
        update subject_keys k set epoch = ${epoch}, wrapped_key = decode(v.w, 'base64')
        from unnest(${sql.param(subjects)}::uuid[], ${sql.param(versions)}::int[], ${sql.param(fromEpochs)}::int[], ${sql.param(wrapped)}::text[]) as v(s, kv, e, w)
        where k.tenant_id = ${tenantId} and k.subject_id = v.s and k.key_version = v.kv and k.epoch = v.e`);
      return rows.length;
    });
    total += count;
    if (count < batchSize) return total;
  }
}

async function destroyUnneededEpochs(database: Database, keyStore: KeyStore, tenantId: string): Promise<{ destroyed: number[]; stillNeeded: number }> {
  return database.db.transaction(async (tx) => {
    // Exclusive: no writer is between wrapping under a retired epoch and committing.
    await lockEpochsExclusive(tx, tenantId);
    const epochs = await selectRows<{ epoch: number; state: string; rows: number }>(
      tx,
      sql`select e.epoch, e.state, (select count(*)::int from subject_keys k where k.tenant_id = e.tenant_id and k.epoch = e.epoch) as rows
          from vault_epochs e where e.tenant_id = ${tenantId} and e.state <> 'current'`,
    );
    const live = new Set(await keyStore.listLiveEpochs(tenantId));
    const destroyed: number[] = [];
    let stillNeeded = 0;
    for (const row of epochs) {
      if (row.rows > 0) {
        stillNeeded += row.rows;
        continue;
      }
      // Key store first: if the transaction then fails, the next run sees a retired epoch
      // with no rows and no key, destroys nothing new and marks it.
      if (live.has(row.epoch)) {
        await keyStore.destroyEpochKey(tenantId, row.epoch);
        destroyed.push(row.epoch);
      }
      if (row.state === 'retired') {
        await tx.execute(sql`update vault_epochs set state = 'destroyed', destroyed_at = now() where tenant_id = ${tenantId} and epoch = ${row.epoch}`);
      }
    }
    return { destroyed, stillNeeded };
  });
}
