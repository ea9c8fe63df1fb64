import { createHmac, hkdfSync, randomBytes, randomUUID } from 'node:crypto';
import { exactBlindIndex, hmacHex, sealField, sha256Hex, wrapKey } from './crypto.ts';
import type { KeySource } from './sealedReads.ts';

/*
 * The contact-ingest baseline, independent of Candor's code: what storing one new person
 * must cost in a CRM that keeps personal data sealed and audited, done with node:crypto and
 * SQL straight to the driver, in ONE transaction per contact:
 *  1. lock the workspace's key epoch (shared) and read it; create a subject key and wrap it;
 *  2. lock the e-mail's blind index and check no contact has it (the duplicate check);
 *  3. insert the subject key, the contact with every field sealed, and its lookup tokens
 *     (exact e-mail and phone, 14-bit name-prefix indexes of 2–6 letters);
 *  4. append an audit entry under the chain rules: lock the chain head, hash the entry with
 *     the previous hash (own canonical JSON, SHA-256), insert it with the subject's
 *     pseudonym (HMAC under a key derived from the subject key) and move the head.
 * The audit rows go to bench_audit_* copies of Candor's tables, so Candor's chain is untouched.
 */

export type RawQuery = (text: string, params?: unknown[]) => Promise<unknown[]>;
export type RawTransaction = (work: (query: RawQuery) => Promise<void>) => Promise<void>;
export type PlainContact = Record<string, string>;

export const baselineAuditTables = `
  create table if not exists bench_audit_entries (like audit_entries including defaults including constraints including indexes);
  create table if not exists bench_audit_subjects (like audit_subjects including defaults including constraints including indexes);
  create table if not exists bench_audit_heads (like audit_heads including defaults including constraints including indexes);`;

const fold = (name: string) =>
  name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

function nameTokens(blindKey: Buffer, names: Array<string | undefined>): string[] {
  const tokens = new Set<string>();
  for (const word of names.flatMap((name) => (name ? fold(name) : []))) {
    for (let length = 2; length <= Math.min(6, word.length); length += 1) {
      const digest = createHmac('sha256', blindKey)
        .update(`name\u0000${word.slice(0, length)}`)
        .digest();
      tokens.add((digest.readUInt32BE(0) >>> 18).toString(16).padStart(4, '0'));
    }
  }
  return [...tokens];
}

/** The contact's blind lookup tokens as [field, token] pairs, and its e-mail's token alone. */
export function lookupTokensOf(blindKey: Buffer, contact: PlainContact): { emailToken: string | null; tokens: Array<[string, string]> } {
  const email = contact.email?.trim().toLowerCase();
  const emailToken = email ? exactBlindIndex(blindKey, 'email', email) : null;
  const phone = contact.phone?.replace(/[^\d+]/g, '');
  const tokens: Array<[string, string]> = [
    ...(emailToken ? [['email', emailToken] as [string, string]] : []),
    ...(phone ? [['phone', exactBlindIndex(blindKey, 'phone', phone)] as [string, string]] : []),
    ...nameTokens(blindKey, [contact.first_name, contact.last_name]).map((token) => ['name', token] as [string, string]),
  ];
  return { emailToken, tokens };
}

export function sealContact(subjectKey: Buffer, tenantId: string, id: string, contact: PlainContact): Record<string, string> {
  const personal: Record<string, string> = {};
  for (const [field, value] of Object.entries(contact)) personal[field] = sealField(subjectKey, 1, tenantId, id, field, value);
  return personal;
}

/** The workspace's current key epoch, read under a shared lock (an epoch advance takes it exclusively). */
export async function currentEpoch(query: RawQuery, keys: KeySource, tenantId: string): Promise<{ epoch: number; epochKey: Buffer }> {
  await query('select pg_advisory_xact_lock_shared(hashtextextended($1, 0))', [`bench-epoch:${tenantId}`]);
  const [current] = (await query("select epoch from vault_epochs where tenant_id = $1 and state = 'current'", [tenantId])) as Array<{ epoch: number }>;
  const epochKey = current && (await keys.getEpochKey(tenantId, current.epoch));
  if (!epochKey) throw new Error('the workspace has no current epoch key');
  return { epoch: current.epoch, epochKey };
}

export const pseudonymOf = (subjectKey: Buffer, tenantId: string, id: string) =>
  hmacHex(Buffer.from(hkdfSync('sha256', subjectKey, Buffer.alloc(0), 'bench.audit-pseudonym', 32)), `${tenantId}:${id}`).slice(0, 32);

export type BaselineCreate = { tenantId: string; contact: PlainContact };

/** Stores one contact as described above; returns its id. Throws `duplicate` when the address is taken. */
export async function createContactBaseline(transaction: RawTransaction, keys: KeySource, { tenantId, contact }: BaselineCreate): Promise<string> {
  const id = randomUUID();
  const blindKey = await keys.blindIndexKey(tenantId);
  const { emailToken, tokens } = lookupTokensOf(blindKey, contact);
  await transaction(async (query) => {
    const { epoch, epochKey } = await currentEpoch(query, keys, tenantId);
    const subjectKey = randomBytes(32);
    const personal = sealContact(subjectKey, tenantId, id, contact);
    if (emailToken) {
      await query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [`bench-contact:email:${tenantId}:${emailToken}`]);
      const taken = await query("select 1 from lookup_tokens where tenant_id = $1 and object = 'contact' and field = 'email' and token = $2 limit 1", [
        tenantId,
        emailToken,
      ]);
      if (taken.length > 0) throw new Error('duplicate');
    }
    await query('insert into subject_keys (tenant_id, subject_id, key_version, epoch, wrapped_key) values ($1, $2, 1, $3, $4)', [
      tenantId,
      id,
      epoch,
      wrapKey(epochKey, tenantId, id, 1, epoch, subjectKey),
    ]);
    await query(
      `insert into contacts (tenant_id, id, lifecycle_stage, source, personal, created_at, updated_at) values ($1, $2, 'lead', 'api', $3, now(), now())`,
      [tenantId, id, JSON.stringify(personal)],
    );
    await query(
      `insert into lookup_tokens (tenant_id, object, field, token, record_id)
       select $1, 'contact', f, t, $2 from unnest($3::text[], $4::text[]) as u(f, t) on conflict do nothing`,
      [tenantId, id, tokens.map(([field]) => field), tokens.map(([, token]) => token)],
    );
    const pseudonyms = [pseudonymOf(subjectKey, tenantId, id)];
    await appendAuditEntry(query, tenantId, { action: 'contact.created', object: 'contact', recordIds: [id], fields: Object.keys(contact), pseudonyms });
  });
  return id;
}

export type AuditItem = { action: string; object: string; recordIds: string[]; fields: string[]; pseudonyms: string[] };

/** Chain rules: the head is locked for the append only; the entry's hash covers the previous hash. */
export async function appendAuditEntry(query: RawQuery, tenantId: string, item: AuditItem): Promise<void> {
  let [head] = (await query('select sequence, hash from bench_audit_heads where tenant_id = $1 for update', [tenantId])) as Array<{
    sequence: string;
    hash: string;
  }>;
  if (!head) {
    await query("insert into bench_audit_heads (tenant_id, sequence, hash) values ($1, 0, repeat('0', 64)) on conflict do nothing", [tenantId]);
    [head] = (await query('select sequence, hash from bench_audit_heads where tenant_id = $1 for update', [tenantId])) as (typeof head)[];
  }
  const sequence = Number(head.sequence) + 1;
  const occurredAt = new Date().toISOString();
  const chained = [
    tenantId,
    sequence,
    occurredAt,
    'api_key',
    'bench',
    'sales',
    item.action,
    item.object,
    item.recordIds,
    item.fields,
    'allow',
    item.pseudonyms,
    head.hash,
  ];
  const hash = sha256Hex(JSON.stringify(chained));
  await query(
    `with entry as (
       insert into bench_audit_entries (tenant_id, sequence, occurred_at, actor_type, actor_id, purpose, action, object, record_ids, fields,
                                        decision, subject_pseudonyms, previous_hash, hash, version)
       values ($1, $2, $3, 'api_key', 'bench', 'sales', $4, $5, $6::uuid[], $7::text[], 'allow', $8::text[], $9, $10, 2)),
     subject as (insert into bench_audit_subjects (tenant_id, pseudonym, sequence) select $1, p, $2 from unnest($8::text[]) as p)
     update bench_audit_heads set sequence = $2, hash = $10 where tenant_id = $1`,
    [tenantId, sequence, occurredAt, item.action, item.object, item.recordIds, item.fields, item.pseudonyms, head.hash, hash],
  );
}
