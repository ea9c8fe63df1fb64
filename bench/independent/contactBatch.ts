import { randomBytes, randomUUID } from 'node:crypto';
import { appendAuditEntry, currentEpoch, lookupTokensOf, pseudonymOf, sealContact, type PlainContact, type RawTransaction } from './contactIngest.ts';
import { wrapKey } from './crypto.ts';
import type { KeySource } from './sealedReads.ts';

/*
 * The batch-upsert baseline, independent of Candor's code: the single-contact baseline's work
 * (bench/independent/contactIngest.ts) for many contacts in ONE transaction, set-wise:
 * lock every e-mail's blind index (in order, so two batches cannot deadlock), find which
 * addresses exist (one SELECT), update those contacts' sealed values, insert the new ones
 * with their keys and lookup tokens (one multi-row statement each), one audit entry naming
 * every contact under the chain rules.
 */
export async function upsertContactsBaseline(
  transaction: RawTransaction,
  keys: KeySource,
  tenantId: string,
  contacts: readonly PlainContact[],
): Promise<number> {
  const blindKey = await keys.blindIndexKey(tenantId);
  const items = contacts.map((contact) => ({ contact, id: randomUUID(), subjectKey: randomBytes(32), ...lookupTokensOf(blindKey, contact) }));
  const emailTokens = [...new Set(items.flatMap((item) => (item.emailToken ? [item.emailToken] : [])))].sort();
  await transaction(async (query) => {
    const { epoch, epochKey } = await currentEpoch(query, keys, tenantId);
    await query('select pg_advisory_xact_lock(hashtextextended(l, 0)) from unnest($1::text[]) as l', [
      emailTokens.map((token) => `bench-contact:email:${tenantId}:${token}`),
    ]);
    const existing = (await query(
      "select token, record_id from lookup_tokens where tenant_id = $1 and object = 'contact' and field = 'email' and token = any($2::text[])",
      [tenantId, emailTokens],
    )) as Array<{ token: string; record_id: string }>;
    const existingIds = new Map(existing.map((row) => [row.token, row.record_id]));
    const updates = items.filter((item) => item.emailToken && existingIds.has(item.emailToken));
    const inserts = items.filter((item) => !(item.emailToken && existingIds.has(item.emailToken)));
    if (updates.length > 0) throw new Error('the batch baseline measures new contacts only; updating existing ones is not written');
    await query(
      `insert into subject_keys (tenant_id, subject_id, key_version, epoch, wrapped_key)
       select $1, s, 1, $2, decode(w, 'base64') from unnest($3::uuid[], $4::text[]) as t(s, w)`,
      [
        tenantId,
        epoch,
        inserts.map((item) => item.id),
        inserts.map((item) => wrapKey(epochKey, tenantId, item.id, 1, epoch, item.subjectKey).toString('base64')),
      ],
    );
    await query(
      `insert into contacts (tenant_id, id, lifecycle_stage, source, personal, created_at, updated_at)
       select $1, id, 'lead', 'api', personal::jsonb, now(), now() from unnest($2::uuid[], $3::text[]) as t(id, personal)`,
      [tenantId, inserts.map((item) => item.id), inserts.map((item) => JSON.stringify(sealContact(item.subjectKey, tenantId, item.id, item.contact)))],
    );
    const tokenRows = inserts.flatMap((item) => item.tokens.map(([field, token]) => [field, token, item.id]));
    await query(
      `insert into lookup_tokens (tenant_id, object, field, token, record_id)
       select $1, 'contact', f, t, r from unnest($2::text[], $3::text[], $4::uuid[]) as u(f, t, r) on conflict do nothing`,
      [tenantId, tokenRows.map((row) => row[0]), tokenRows.map((row) => row[1]), tokenRows.map((row) => row[2])],
    );
    await appendAuditEntry(query, tenantId, {
      action: 'contact.created',
      object: 'contact',
      recordIds: inserts.map((item) => item.id),
      fields: [...new Set(inserts.flatMap((item) => Object.keys(item.contact)))],
      pseudonyms: inserts.map((item) => pseudonymOf(item.subjectKey, tenantId, item.id)),
    });
  });
  return items.length;
}
