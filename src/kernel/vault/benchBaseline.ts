import type { Database } from '../../db/connection.ts';
import type { KeyStore } from './keyStore.ts';
import { openRecord } from './subjectCipher.ts';
import { unwrapSubjectKeyRows, type WrappedKeyRow } from './subjectKeys.ts';

/*
 * The baseline the kernel's read benchmark is compared with: what reading sealed contacts
 * costs with no policy, no audit and no cache — one raw SELECT of contacts joined with
 * their subject keys, unwrapping EVERY subject key, and decrypting every sealed field.
 * It assumes the layout the vault's helpers produce: `contacts.personal` is
 * { field: sealed string } (sealRecord).
 */
type BaselineRow = WrappedKeyRow & { id: string; personal: Record<string, unknown> };

export type BaselineResult = { contacts: number; fields: number; unwrapped: number };

export async function selectSealedContacts(database: Database, tenantId: string, limit: number): Promise<BaselineRow[]> {
  return database.query<BaselineRow>(
    `select c.id, c.personal, k.subject_id, k.key_version, k.epoch, k.wrapped_key
     from contacts c join subject_keys k on k.tenant_id = c.tenant_id and k.subject_id = c.id
     where c.tenant_id = $1 order by c.created_at, c.id limit $2`,
    [tenantId, limit],
  );
}

/** Decrypts rows from selectSealedContacts, unwrapping every key without the cache. */
export async function decryptSealedContacts(keyStore: KeyStore, tenantId: string, rows: readonly BaselineRow[]): Promise<BaselineResult> {
  const keys = await unwrapSubjectKeyRows(keyStore, tenantId, rows, null);
  let fields = 0;
  for (const row of rows) {
    const subjectKeys = keys.get(row.id);
    if (!subjectKeys) continue;
    fields += Object.keys(openRecord(subjectKeys, row.personal)).length;
  }
  return { contacts: rows.length, fields, unwrapped: rows.length };
}

/** SELECT + unwrap + decrypt of the first `limit` contacts: the whole baseline in one call, to time. */
export async function rawSelectAndDecrypt(database: Database, keyStore: KeyStore, tenantId: string, limit: number): Promise<BaselineResult> {
  return decryptSealedContacts(keyStore, tenantId, await selectSealedContacts(database, tenantId, limit));
}
