import { createCipheriv, randomBytes } from 'node:crypto';
import { unwrapKey, wrapKey } from './independent/crypto.ts';
import type { KeySource } from './independent/sealedReads.ts';
import type { RawQuery } from './rawSql.ts';

/*
 * The event-ingest baseline's share of the vault's work, done with raw node:crypto and raw
 * SQL (bench/independent/crypto.ts) — no kernel, cache, policy or audit: read the current epoch and its key, SELECT the
 * wrapped keys of the batch's subjects and unwrap EVERY one (AES-256-GCM), create, wrap
 * and INSERT the keys of new subjects, and seal each event's properties (AES-256-GCM, AAD
 * of tenant, subject, field and key version). What remains is the multi-row INSERT itself.
 */

export type RawEvent = { id: string; subjectId: string; properties: string };

const gcm = (key: Buffer, iv: Buffer, aad: Buffer, plaintext: Buffer) => {
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
};

const asBuffer = (bytes: Buffer | Uint8Array) => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes));

/** Subject keys for the events' subjects: unwrapped when stored, created (and stored) when not. */
async function subjectKeys(query: RawQuery, keyStore: KeySource, tenantId: string, subjectIds: string[]): Promise<Map<string, Buffer>> {
  const [current] = (await query("select epoch from vault_epochs where tenant_id = $1 and state = 'current'", [tenantId])) as Array<{ epoch: number }>;
  if (!current) throw new Error('The workspace has no current key epoch: run a Candor batch first.');
  const epochKey = await keyStore.getEpochKey(tenantId, current.epoch);
  if (!epochKey) throw new Error('The current epoch key is missing from the key store.');
  const rows = (await query('select subject_id, key_version, epoch, wrapped_key from subject_keys where tenant_id = $1 and subject_id = any($2::uuid[])', [
    tenantId,
    subjectIds,
  ])) as Array<{ subject_id: string; key_version: number; epoch: number; wrapped_key: Buffer | Uint8Array }>;
  const keys = new Map<string, Buffer>();
  for (const row of rows) {
    keys.set(row.subject_id, unwrapKey(epochKey, tenantId, { ...row, wrapped_key: asBuffer(row.wrapped_key) }));
  }
  const missing = subjectIds.filter((subjectId) => !keys.has(subjectId));
  if (missing.length > 0) {
    const wrapped = missing.map((subjectId) => {
      const key = randomBytes(32);
      keys.set(subjectId, key);
      return wrapKey(epochKey, tenantId, subjectId, 1, current.epoch, key).toString('base64');
    });
    await query(
      `insert into subject_keys (tenant_id, subject_id, key_version, epoch, wrapped_key)
       select $1, s, 1, $2, decode(w, 'base64') from unnest($3::uuid[], $4::text[]) as t(s, w)`,
      [tenantId, current.epoch, missing, wrapped],
    );
  }
  return keys;
}

/** The events' properties sealed under their subjects' keys: { properties: base64 }, as JSON text per event. */
export async function sealEventProperties(query: RawQuery, keyStore: KeySource, tenantId: string, events: readonly RawEvent[]): Promise<string[]> {
  const keys = await subjectKeys(query, keyStore, tenantId, [...new Set(events.map((event) => event.subjectId))]);
  const header = Buffer.from([1, 0, 0, 0, 1]);
  return events.map((event) => {
    const aad = Buffer.from(`${tenantId}\u0000${event.subjectId}\u0000properties:${event.id}\u00001`);
    const sealed = Buffer.concat([header, gcm(keys.get(event.subjectId)!, randomBytes(12), aad, Buffer.from(event.properties))]);
    return JSON.stringify({ properties: sealed.toString('base64') });
  });
}
