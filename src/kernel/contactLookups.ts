import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import type { PurposeContext } from './accessContext.ts';
import { contactBlindIndexKey, contactKeysForReading, openPersonal } from './contactVault.ts';
import { blindToken, externalIdIndex, namesMatchQuery, parseNameQuery, searchTokens } from './lookupTokens.ts';
import { rowsOf } from '../db/rows.ts';

/*
 * Finding contacts by their personal values without the database holding them: every
 * lookup computes the blind index of what is sought (src/kernel/lookupTokens.ts) and
 * matches it in lookup_tokens. E-mail and phone indexes are exact; name indexes are
 * truncated, so name candidates are decrypted and checked before they count.
 * Re-exported by contactRecords.ts, the module callers import.
 */

const tokenObject = 'contact';
// Name candidates decrypted per round: the first round is twice the rows wanted (at least
// this many), each further round twice the last, up to the maximum.
const firstBatchRows = 20;
const maximumBatchRows = 2_000;

/** Fields found by an exact blind index: e-mail and phone in lookup_tokens, the external id in its own column. */
export type ExactLookupField = 'email' | 'phone' | 'external_id';

function exactIndex(key: Buffer, field: ExactLookupField, value: string): string {
  return field === 'external_id' ? (externalIdIndex(key, value) ?? '') : blindToken(key, field, value);
}

const textOf = (value: unknown) => (typeof value === 'string' ? value : null);

/**
 * Serialises writers that check-then-insert on the same e-mail or phone (duplicate
 * detection), until the transaction ends. One statement, whatever the number of values. Values are normalised; the lock is taken on their
 * blind index, so not even the lock's key text holds the value.
 */
export async function lockContactLookupValues(tx: Executor, ctx: PurposeContext, field: ExactLookupField, normalizedValues: string[]): Promise<void> {
  const key = await contactBlindIndexKey(ctx.tenantId);
  const indexes = [...new Set(normalizedValues.map((value) => exactIndex(key, field, value)))].sort();
  if (indexes.length === 0) return;
  // One statement for any number of values, taken in the sorted order (so two writers
  // naming the same values in different orders queue instead of deadlocking).
  await tx.execute(sql`
    select pg_advisory_xact_lock(hashtextextended(l, 0))
    from unnest(${sql.param(indexes.map((index) => `contact:${field}:${ctx.tenantId}:${index}`))}::text[]) with ordinality as u(l, n)
    order by n`);
}

/**
 * Exact-match lookup by normalised e-mail or phone (normalise with src/shared/normalize.ts
 * first) or by external id (trimmed: normalizeExternalId). Returns normalised value → ids of the contacts holding it; absent values are
 * absent from the map.
 */
export async function findContactIdsByLookup(
  tx: Executor,
  ctx: PurposeContext,
  field: ExactLookupField,
  normalizedValues: string[],
): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  if (normalizedValues.length === 0) return found;
  const key = await contactBlindIndexKey(ctx.tenantId);
  // Full-length indexes: one index is one value, so the map back is exact.
  const valueByIndex = new Map([...new Set(normalizedValues)].map((value) => [exactIndex(key, field, value), value]));
  const indexes = sql.param([...valueByIndex.keys()]);
  const result = await tx.execute(
    field === 'external_id'
      ? sql`
    select external_id_index as token, id as record_id from contacts
    where tenant_id = ${ctx.tenantId} and external_id_index = any(${indexes}::text[])
    order by id`
      : sql`
    select token, record_id from lookup_tokens
    where tenant_id = ${ctx.tenantId} and object = ${tokenObject} and field = ${field} and token = any(${indexes}::text[])
    order by record_id`,
  );
  for (const row of rowsOf<{ token: string; record_id: string }>(result)) {
    const value = valueByIndex.get(row.token)!;
    found.set(value, [...(found.get(value) ?? []), row.record_id]);
  }
  return found;
}

/**
 * Ids of contacts whose names match a typed name search (src/kernel/lookupTokens.ts,
 * NameQuery: "Mar", "Emily Hill", "O'Brien"; [] when it has no word of 2 letters), in id
 * order (≈ creation order), at most `limit`, continuing after `afterId`. Candidates must
 * hold the index of every query token (intersected in SQL, driven by the longest token,
 * the most selective); the index over-selects (tokens stop at 6 characters and keep 14
 * bits, shared by many tokens), so candidates are decrypted in batches and checked
 * exactly. The first batch is sized to the page and each next one doubles, so the work
 * follows the number of matches served, not the size of the workspace.
 */
export async function searchContactIdsByNamePrefix(
  tx: Executor,
  ctx: PurposeContext,
  text: string,
  options: { limit: number; afterId?: string; subjectCondition?: (contactId: SQL) => SQL },
): Promise<string[]> {
  const query = parseNameQuery(text);
  const plain = searchTokens(query);
  if (!plain || options.limit <= 0) return [];
  const key = await contactBlindIndexKey(ctx.tenantId);
  const [driver, ...others] = [...new Set(plain.sort((a, b) => b.length - a.length).map((token) => blindToken(key, 'name', token)))];
  const matches: string[] = [];
  let after = options.afterId ?? null;
  let batch = Math.min(Math.max(2 * options.limit, firstBatchRows), maximumBatchRows);
  for (;;) {
    const candidates = await tx.execute(sql`
      select c.id, jsonb_strip_nulls(jsonb_build_object('first_name', c.personal->'first_name', 'last_name', c.personal->'last_name')) as personal
      from lookup_tokens t join contacts c on c.tenant_id = t.tenant_id and c.id = t.record_id
      where t.tenant_id = ${ctx.tenantId} and t.object = ${tokenObject} and t.field = 'name' and t.token = ${driver}
        ${after ? sql`and t.record_id > ${after}` : sql``}
        ${sql.join(
          others.map(
            (token) =>
              sql`and exists (select 1 from lookup_tokens o where o.tenant_id = t.tenant_id and o.object = t.object and o.field = t.field and o.token = ${token} and o.record_id = t.record_id)`,
          ),
          sql` `,
        )}
        ${options.subjectCondition ? sql`and ${options.subjectCondition(sql`c.id`)}` : sql``}
      order by t.record_id
      limit ${batch}`);
    const rows = rowsOf<{ id: string; personal: Record<string, unknown> }>(candidates);
    const keys = await contactKeysForReading(
      tx,
      ctx.tenantId,
      rows.map((row) => row.id),
    );
    for (const row of rows) {
      const names = openPersonal(keys.get(row.id), row.id, row.personal, ['first_name', 'last_name']);
      if (namesMatchQuery([textOf(names.first_name), textOf(names.last_name)], query)) matches.push(row.id);
      if (matches.length >= options.limit) return matches;
    }
    if (rows.length < batch) return matches;
    after = rows[rows.length - 1].id;
    batch = Math.min(batch * 2, maximumBatchRows);
  }
}
