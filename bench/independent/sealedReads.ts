import { openAll, unwrapKey, type KeyRow } from './crypto.ts';

/*
 * The read baseline, independent of Candor's code: one SELECT of contacts joined with their
 * wrapped subject keys straight through the driver, every key unwrapped (or taken from the
 * baseline's own cache, when given one), every sealed field decrypted with node:crypto.
 */

/** Where the keys are: the same store Candor uses (keys are outside the database); only these two reads. */
export type KeySource = {
  getEpochKey(tenantId: string, epoch: number): Promise<Buffer | null>;
  blindIndexKey(tenantId: string): Promise<Buffer>;
};
export type RawRows = <T>(text: string, params?: unknown[]) => Promise<T[]>;
export type SealedContact = KeyRow & { id: string; personal: Record<string, unknown> };
export type OpenedContacts = { contacts: number; fields: number };

const selectColumns = 'c.id, c.personal, k.subject_id, k.key_version, k.epoch, k.wrapped_key';
const keyJoin = 'contacts c join subject_keys k on k.tenant_id = c.tenant_id and k.subject_id = c.id';

/** Unwraps and decrypts rows; `cache` (subject id → key) is the baseline's own, or null to unwrap every key. */
export async function openContacts(
  keys: KeySource,
  tenantId: string,
  rows: readonly SealedContact[],
  cache: Map<string, Buffer> | null,
): Promise<OpenedContacts> {
  const epochKeys = new Map<number, Buffer>();
  let fields = 0;
  for (const row of rows) {
    let subjectKey = cache?.get(row.id);
    if (!subjectKey) {
      let epochKey = epochKeys.get(row.epoch);
      if (!epochKey) {
        const stored = await keys.getEpochKey(tenantId, row.epoch);
        if (!stored) throw new Error(`epoch key ${row.epoch} is missing`);
        epochKey = stored;
        epochKeys.set(row.epoch, epochKey);
      }
      subjectKey = unwrapKey(epochKey, tenantId, row);
      cache?.set(row.id, subjectKey);
    }
    fields += Object.keys(openAll(subjectKey, tenantId, row.id, row.personal)).length;
  }
  return { contacts: rows.length, fields };
}

/** The given contacts by primary key: the least any list or search must do to return them. */
export async function readContactsById(query: RawRows, keys: KeySource, tenantId: string, ids: readonly string[], cache: Map<string, Buffer> | null) {
  const rows = await query<SealedContact>(`select ${selectColumns} from ${keyJoin} where c.tenant_id = $1 and c.id = any($2::uuid[])`, [tenantId, ids]);
  if (rows.length !== ids.length) throw new Error(`baseline read ${rows.length} of ${ids.length} contacts`);
  return openContacts(keys, tenantId, rows, cache);
}

/** The first `limit` contacts in order of creation. */
export async function readFirstContacts(query: RawRows, keys: KeySource, tenantId: string, limit: number, cache: Map<string, Buffer> | null) {
  const rows = await query<SealedContact>(`select ${selectColumns} from ${keyJoin} where c.tenant_id = $1 order by c.created_at, c.id limit $2`, [
    tenantId,
    limit,
  ]);
  return openContacts(keys, tenantId, rows, cache);
}
