import { and, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import { contacts } from '../db/schema/index.ts';
import { defaultPageSize } from '../platform/cursor.ts';
import { keysetCondition, keysetOrderBy, pageOf, parseSort, type SortColumn } from '../platform/keyset.ts';
import type { PurposeContext } from './accessContext.ts';
import { contactLookupTokens, namesMatchPrefix, searchToken, type LookupToken } from './lookupTokens.ts';

/*
 * The pass-through data-access layer for contacts: the ONLY code that reads or writes
 * `contacts.personal` and the contacts' rows of `lookup_tokens`. Every function takes the
 * AccessContext so the privacy kernel can later decide, encrypt, blind-index and audit
 * here without changing its callers. Every function is set-wise: one statement per batch.
 *
 * `personal` is a flat object keyed by snake_case field names: the built-in fields below
 * plus the keys of the workspace's contact custom fields (which may not reuse a built-in name).
 */

export const builtInContactFields = ['first_name', 'last_name', 'email', 'phone', 'job_title', 'city', 'country'] as const;
export type BuiltInContactField = (typeof builtInContactFields)[number];
/** Personal values by field name; in a change, null removes the field. */
export type PersonalValues = Record<string, unknown>;

/** A contact row as stored: non-personal columns plus its personal values. */
export type ContactRecord = typeof contacts.$inferSelect;

export type NewContact = {
  id: string;
  ownerId: string | null;
  companyId: string | null;
  lifecycleStage: string;
  source: string;
  importBatchId?: string | null;
  /** Defaults to now; set by seeds and imports that replay history. */
  createdAt?: Date;
  personal: PersonalValues;
};

/** Non-personal filters only: personal values are found with the lookup functions below. */
export type ContactFilter = {
  ids?: string[];
  ownerId?: string;
  companyId?: string;
  lifecycleStage?: string;
  source?: string;
  importBatchId?: string;
  createdAfter?: Date;
  createdBefore?: Date;
};

export type ContactQuery = {
  where?: ContactFilter;
  /** createdAt | updatedAt | lastActivityAt, prefixed with - for descending; default createdAt. */
  sort?: string;
  cursor?: string;
  /** Rows per page; default 50, at most 10,000 (routes cap at 200). */
  limit?: number;
};

export type ContactPage = { rows: ContactRecord[]; nextCursor: string | null };

export type ContactReadOptions = {
  /** SQL condition over the contact id expression, ANDed into the same query (the policy's row filter). */
  subjectCondition?: (contactId: SQL) => SQL;
  /** Personal fields to open; others are neither decrypted nor returned. Default: all stored fields. */
  fields?: readonly string[];
};

export const contactSortColumns: Record<string, SortColumn> = {
  createdAt: { column: contacts.createdAt, kind: 'timestamp' },
  updatedAt: { column: contacts.updatedAt, kind: 'timestamp' },
  lastActivityAt: { column: contacts.lastActivityAt, kind: 'timestamp', nullable: true },
};

const tokenObject = 'contact';
// Column count is fixed with unnest(), so a chunk bounds only statement size and memory.
const insertChunkRows = 5_000;
const searchBatchRows = 2_000;
const maxReadLimit = 10_000;

const uuidArray = (values: string[]) => sql`${sql.param(values)}::uuid[]`;
const textOrNull = (value: unknown) => (typeof value === 'string' ? value : null);

function tokensOf(personal: PersonalValues): LookupToken[] {
  return contactLookupTokens({
    email: textOrNull(personal.email),
    phone: textOrNull(personal.phone),
    first_name: textOrNull(personal.first_name),
    last_name: textOrNull(personal.last_name),
  });
}

async function insertTokens(tx: Executor, ctx: PurposeContext, rows: Array<{ id: string; personal: PersonalValues }>): Promise<void> {
  const fields: string[] = [];
  const tokens: string[] = [];
  const recordIds: string[] = [];
  for (const row of rows) {
    for (const token of tokensOf(row.personal)) {
      fields.push(token.field);
      tokens.push(token.token);
      recordIds.push(row.id);
    }
  }
  if (tokens.length === 0) return;
  await tx.execute(sql`
    insert into lookup_tokens (tenant_id, object, field, token, record_id)
    select ${ctx.tenantId}::uuid, ${tokenObject}, f, t, r::uuid
    from unnest(${sql.param(fields)}::text[], ${sql.param(tokens)}::text[], ${sql.param(recordIds)}::text[]) as u(f, t, r)
    on conflict do nothing`);
}

/**
 * Inserts contacts with their lookup tokens: one multi-row INSERT per 5,000 contacts (plus
 * one for their tokens), so imports and seeds of millions of rows stay set-wise.
 */
export async function insertContacts(tx: Executor, ctx: PurposeContext, rows: NewContact[]): Promise<number> {
  for (let start = 0; start < rows.length; start += insertChunkRows) {
    const chunk = rows.slice(start, start + insertChunkRows);
    const now = new Date().toISOString();
    await tx.execute(sql`
      insert into contacts (tenant_id, id, owner_id, company_id, lifecycle_stage, source, import_batch_id, personal, created_at, updated_at)
      select ${ctx.tenantId}::uuid, id::uuid, owner_id::uuid, company_id::uuid, stage, source, batch::uuid, personal::jsonb, created::timestamptz, created::timestamptz
      from unnest(
        ${sql.param(chunk.map((row) => row.id))}::text[],
        ${sql.param(chunk.map((row) => row.ownerId))}::text[],
        ${sql.param(chunk.map((row) => row.companyId))}::text[],
        ${sql.param(chunk.map((row) => row.lifecycleStage))}::text[],
        ${sql.param(chunk.map((row) => row.source))}::text[],
        ${sql.param(chunk.map((row) => row.importBatchId ?? null))}::text[],
        ${sql.param(chunk.map((row) => JSON.stringify(row.personal)))}::text[],
        ${sql.param(chunk.map((row) => row.createdAt?.toISOString() ?? now))}::text[]
      ) as u(id, owner_id, company_id, stage, source, batch, personal, created)`);
    await insertTokens(tx, ctx, chunk);
  }
  return rows.length;
}

/**
 * Merges `changes` into one contact's personal values (a null value removes the field) and
 * recomputes its lookup tokens when an identifying field changed. Does not bump the
 * version: the caller's non-personal UPDATE does that once per request. Returns the new
 * personal values, or null when the contact does not exist in this workspace.
 */
export async function updateContactPersonal(tx: Executor, ctx: PurposeContext, id: string, changes: PersonalValues): Promise<PersonalValues | null> {
  const set: PersonalValues = {};
  const remove: string[] = [];
  for (const [field, value] of Object.entries(changes)) {
    if (value === null) remove.push(field);
    else if (value !== undefined) set[field] = value;
  }
  const result = await tx.execute(sql`
    update contacts set personal = (personal || ${JSON.stringify(set)}::jsonb) - ${sql.param(remove)}::text[]
    where tenant_id = ${ctx.tenantId} and id = ${id}
    returning personal`);
  const [row] = (result as unknown as { rows: Array<{ personal: PersonalValues }> }).rows;
  if (!row) return null;
  if (['email', 'phone', 'first_name', 'last_name'].some((field) => field in changes)) {
    await tx.execute(sql`delete from lookup_tokens where tenant_id = ${ctx.tenantId} and object = ${tokenObject} and record_id = ${id}`);
    await insertTokens(tx, ctx, [{ id, personal: row.personal }]);
  }
  return row.personal;
}

/**
 * Serialises writers that check-then-insert on the same e-mail or phone (duplicate
 * detection), until the transaction ends. Values are normalised; only their hash is locked.
 */
export async function lockContactLookupValues(tx: Executor, ctx: PurposeContext, field: 'email' | 'phone', normalizedValues: string[]): Promise<void> {
  for (const value of [...new Set(normalizedValues)].sort()) {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`contact:${field}:${ctx.tenantId}:${value}`}, 0))`);
  }
}

function pick(personal: PersonalValues, fields: readonly string[]): PersonalValues {
  const picked: PersonalValues = {};
  for (const field of fields) if (field in personal) picked[field] = personal[field];
  return picked;
}

function filterConditions(ctx: PurposeContext, where: ContactFilter): SQL[] {
  const conditions: SQL[] = [eq(contacts.tenantId, ctx.tenantId)];
  if (where.ids) conditions.push(sql`${contacts.id} = any(${uuidArray(where.ids)})`);
  if (where.ownerId) conditions.push(eq(contacts.ownerId, where.ownerId));
  if (where.companyId) conditions.push(eq(contacts.companyId, where.companyId));
  if (where.lifecycleStage) conditions.push(eq(contacts.lifecycleStage, where.lifecycleStage));
  if (where.source) conditions.push(eq(contacts.source, where.source));
  if (where.importBatchId) conditions.push(eq(contacts.importBatchId, where.importBatchId));
  if (where.createdAfter) conditions.push(gte(contacts.createdAt, where.createdAfter));
  if (where.createdBefore) conditions.push(lt(contacts.createdAt, where.createdBefore));
  return conditions;
}

/**
 * One page of contacts with their personal values, in one SQL query: keyset-paginated over
 * a non-personal sort key, so rows inserted between pages are never repeated or skipped.
 */
export async function readContacts(tx: Executor, ctx: PurposeContext, query: ContactQuery = {}, options: ContactReadOptions = {}): Promise<ContactPage> {
  const order = parseSort(query.sort, contactSortColumns, 'createdAt');
  const limit = Math.min(Math.max(query.limit ?? defaultPageSize, 1), maxReadLimit);
  const conditions = filterConditions(ctx, query.where ?? {});
  if (options.subjectCondition) conditions.push(options.subjectCondition(sql`${contacts.id}`));
  const after = keysetCondition(order, contacts.id, query.cursor);
  if (after) conditions.push(after);
  const rows = await tx
    .select()
    .from(contacts)
    .where(and(...conditions))
    .orderBy(...keysetOrderBy(order, contacts.id))
    .limit(limit + 1);
  const opened = options.fields ? rows.map((row) => ({ ...row, personal: pick(row.personal as PersonalValues, options.fields ?? []) })) : rows;
  const page = pageOf(opened, limit, order, (row) => row[order.name.replace(/^-/, '') as keyof ContactRecord], (row) => row.id);
  return { rows: page.data, nextCursor: page.nextCursor };
}

/** One contact, or null when it does not exist in this workspace. */
export async function readContact(tx: Executor, ctx: PurposeContext, id: string, options: ContactReadOptions = {}): Promise<ContactRecord | null> {
  const conditions = [eq(contacts.tenantId, ctx.tenantId), eq(contacts.id, id)];
  if (options.subjectCondition) conditions.push(options.subjectCondition(sql`${contacts.id}`));
  const [row] = await tx.select().from(contacts).where(and(...conditions)).limit(1);
  if (!row) return null;
  return options.fields ? { ...row, personal: pick(row.personal as PersonalValues, options.fields) } : row;
}

/**
 * Exact-match lookup by normalised e-mail or phone (normalise with src/crm/normalize.ts
 * first). Returns normalised value → ids of the contacts holding it; absent values are
 * absent from the map.
 */
export async function findContactIdsByLookup(tx: Executor, ctx: PurposeContext, field: 'email' | 'phone', normalizedValues: string[]): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  if (normalizedValues.length === 0) return found;
  const result = await tx.execute(sql`
    select token, record_id from lookup_tokens
    where tenant_id = ${ctx.tenantId} and object = ${tokenObject} and field = ${field} and token = any(${sql.param(normalizedValues)}::text[])
    order by record_id`);
  for (const row of (result as unknown as { rows: Array<{ token: string; record_id: string }> }).rows) {
    found.set(row.token, [...(found.get(row.token) ?? []), row.record_id]);
  }
  return found;
}

/**
 * Ids of contacts whose first or last name has a word starting with `prefix` (case- and
 * accent-folded, at least 2 characters; [] when shorter), in id order (≈ creation order),
 * at most `limit`, continuing after `afterId`. The token lookup over-selects (tokens stop at
 * 6 characters), so candidates are filtered exactly before counting toward the limit.
 */
export async function searchContactIdsByNamePrefix(
  tx: Executor,
  ctx: PurposeContext,
  prefix: string,
  options: { limit: number; afterId?: string },
): Promise<string[]> {
  const token = searchToken(prefix);
  if (!token || options.limit <= 0) return [];
  const matches: string[] = [];
  let after = options.afterId ?? null;
  for (;;) {
    const candidates = await tx.execute(sql`
      select c.id, c.personal->>'first_name' as first_name, c.personal->>'last_name' as last_name
      from lookup_tokens t join contacts c on c.tenant_id = t.tenant_id and c.id = t.record_id
      where t.tenant_id = ${ctx.tenantId} and t.object = ${tokenObject} and t.field = 'name' and t.token = ${token}
        ${after ? sql`and t.record_id > ${after}` : sql``}
      order by t.record_id
      limit ${searchBatchRows}`);
    const rows = (candidates as unknown as { rows: Array<{ id: string; first_name: string | null; last_name: string | null }> }).rows;
    for (const row of rows) {
      if (namesMatchPrefix([row.first_name, row.last_name], prefix)) matches.push(row.id);
      if (matches.length >= options.limit) return matches;
    }
    if (rows.length < searchBatchRows) return matches;
    after = rows[rows.length - 1].id;
  }
}

/** Ids of contacts whose personal values should be deleted: by id or by import batch. */
export type ContactSelection = { ids: string[] } | { importBatchId: string };

/**
 * Removes contacts for good, with everything that is personal data of them as subjects:
 * their lookup tokens and behavioural events. Links that would dangle are cut (purchases,
 * visitor profiles merged into them, activity links); deal links cascade. Returns the
 * ids deleted.
 */
export async function deleteContacts(tx: Executor, ctx: PurposeContext, selection: ContactSelection | string[]): Promise<string[]> {
  const chosen = Array.isArray(selection) ? { ids: selection } : selection;
  if ('ids' in chosen && chosen.ids.length === 0) return [];
  // Resolve the ids first: right after a bulk insert the planner's statistics are stale, and
  // a subquery per statement was planned as a nested loop (minutes for 12,000 contacts).
  const selected = await tx.execute(
    'ids' in chosen
      ? sql`select id from contacts where tenant_id = ${ctx.tenantId} and id = any(${uuidArray(chosen.ids)}) for update`
      : sql`select id from contacts where tenant_id = ${ctx.tenantId} and import_batch_id = ${chosen.importBatchId} for update`,
  );
  const ids = (selected as unknown as { rows: Array<{ id: string }> }).rows.map((row) => row.id);
  if (ids.length === 0) return [];
  const tenant = ctx.tenantId;
  const subjects = uuidArray(ids);
  // Timestamps are written from JS (millisecond precision) so keyset cursors round-trip exactly.
  const now = new Date().toISOString();
  await tx.execute(sql`delete from lookup_tokens where tenant_id = ${tenant} and object = ${tokenObject} and record_id = any(${subjects})`);
  await tx.execute(sql`delete from events where tenant_id = ${tenant} and contact_id = any(${subjects})`);
  await tx.execute(sql`update visitors set merged_into_contact_id = null where tenant_id = ${tenant} and merged_into_contact_id = any(${subjects})`);
  await tx.execute(sql`update purchases set contact_id = null, updated_at = ${now}::timestamptz, version = version + 1 where tenant_id = ${tenant} and contact_id = any(${subjects})`);
  await tx.execute(sql`delete from activity_links where tenant_id = ${tenant} and object = 'contact' and record_id = any(${subjects})`);
  await tx.execute(sql`delete from contacts where tenant_id = ${tenant} and id = any(${subjects})`);
  return ids;
}

/**
 * Removes one personal field from every contact of the workspace (a custom field whose
 * definition is deleted). One UPDATE; lookup tokens are untouched because custom fields
 * have none. Returns how many contacts held a value.
 */
export async function removeContactPersonalField(tx: Executor, ctx: PurposeContext, field: string): Promise<number> {
  const result = await tx.execute(sql`
    update contacts set personal = personal - ${field}::text
    where tenant_id = ${ctx.tenantId} and personal ? ${field}::text
    returning id`);
  return (result as unknown as { rows: unknown[] }).rows.length;
}
