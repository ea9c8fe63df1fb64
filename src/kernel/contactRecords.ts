import { and, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import { contacts } from '../db/schema/index.ts';
import { defaultPageSize } from '../shared/cursor.ts';
import { countUpTo, type CappedCount } from '../db/cappedCount.ts';
import { pageOf, parseSort, readKeysetRows, type SortColumn } from '../shared/keyset.ts';
import type { PurposeContext } from './accessContext.ts';
import { contactBlindIndexKey, contactKeysForWriting, openPersonal, openPersonalRows, sealPersonal } from './contactVault.ts';
import { contactBlindTokens, externalIdIndex } from './lookupTokens.ts';
import { eraseSubjects } from './subjectErasure.ts';
import { insertTokensUnlessSuppressed } from './suppressions.ts';
import { anonymousIdField, deleteVisitors } from './visitorRecords.ts';
import { rememberCreatedSubjects } from './freshSubjects.ts';
import { rowsOf } from '../db/rows.ts';

/*
 * The data-access layer for contacts: with contactLookups.ts (finding contacts by their
 * values), the ONLY code that reads or writes `contacts.personal` and the contacts' rows
 * of `lookup_tokens`. Values are sealed per
 * contact in the vault (src/kernel/contactVault.ts) and found through blind indexes
 * (src/kernel/lookupTokens.ts): neither column holds plaintext. Every function takes a
 * PurposeContext; the policy (who may read which rows and fields) sits on top, in
 * src/kernel/contactAccess.ts. Every function is set-wise: one statement per batch.
 *
 * `personal` is a flat object keyed by snake_case field names: the built-in fields below
 * plus the keys of the workspace's contact custom fields (which may not reuse a built-in name).
 */

export const builtInContactFields = ['first_name', 'last_name', 'email', 'phone', 'job_title', 'city', 'country', 'external_id'] as const;
export type BuiltInContactField = (typeof builtInContactFields)[number];
/** Personal values by field name; in a change, null removes the field. */
export type PersonalValues = Record<string, unknown>;

/** A contact row as stored: non-personal columns plus its personal values. */
/** A contact as stored, without its external-id blind index (a lookup column, not part of the record). */
export type ContactRecord = Omit<typeof contacts.$inferSelect, 'externalIdIndex' | 'anonymisedAt'>;

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
  /** Also count the rows the filter matches (row filter included), up to this many. */
  countCap?: number;
};

export { findContactIdsByLookup, lockContactLookupValues, searchContactIdsByNamePrefix } from './contactLookups.ts';

export type ContactPage = { rows: ContactRecord[]; nextCursor: string | null; count?: CappedCount };

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
const maxReadLimit = 10_000;

const uuidArray = (values: string[]) => sql`${sql.param(values)}::uuid[]`;

/** Stores the blind indexes of the contacts' (plaintext) identifying values. */
async function insertTokens(tx: Executor, ctx: PurposeContext, rows: Array<{ id: string; personal: PersonalValues }>): Promise<void> {
  const key = await contactBlindIndexKey(ctx.tenantId);
  const fields: string[] = [];
  const tokens: string[] = [];
  const recordIds: string[] = [];
  for (const row of rows) {
    for (const token of contactBlindTokens(key, row.personal)) {
      fields.push(token.field);
      tokens.push(token.token);
      recordIds.push(row.id);
    }
  }
  if (tokens.length === 0) return;
  // Refuses an erased person's address in the same statement (suppressions.ts).
  await insertTokensUnlessSuppressed(
    tx,
    ctx.tenantId,
    sql`
    insert into lookup_tokens (tenant_id, object, field, token, record_id)
    select ${ctx.tenantId}::uuid, ${tokenObject}, f, t, r::uuid
    from unnest(${sql.param(fields)}::text[], ${sql.param(tokens)}::text[], ${sql.param(recordIds)}::text[]) as u(f, t, r)
    on conflict do nothing`,
  );
}

/**
 * Inserts contacts with their lookup tokens: per 5,000 contacts one SELECT + one INSERT of
 * their subject keys, one multi-row INSERT of the sealed rows and one of their blind
 * indexes, so imports and seeds of millions of rows stay set-wise.
 */
export async function insertContacts(tx: Executor, ctx: PurposeContext, rows: NewContact[]): Promise<number> {
  for (let start = 0; start < rows.length; start += insertChunkRows) {
    const chunk = rows.slice(start, start + insertChunkRows);
    const now = new Date().toISOString();
    // New rows: their keys are made without looking for existing ones first.
    const keys = await contactKeysForWriting(
      tx,
      ctx.tenantId,
      chunk.map((row) => row.id),
      { fresh: true },
    );
    const blindKey = await contactBlindIndexKey(ctx.tenantId);
    await tx.execute(sql`
      insert into contacts (tenant_id, id, owner_id, company_id, lifecycle_stage, source, import_batch_id, personal, external_id_index, created_at, updated_at)
      select ${ctx.tenantId}::uuid, id::uuid, owner_id::uuid, company_id::uuid, stage, source, batch::uuid, personal::jsonb, external_index, created::timestamptz, created::timestamptz
      from unnest(
        ${sql.param(chunk.map((row) => row.id))}::text[],
        ${sql.param(chunk.map((row) => row.ownerId))}::text[],
        ${sql.param(chunk.map((row) => row.companyId))}::text[],
        ${sql.param(chunk.map((row) => row.lifecycleStage))}::text[],
        ${sql.param(chunk.map((row) => row.source))}::text[],
        ${sql.param(chunk.map((row) => row.importBatchId ?? null))}::text[],
        ${sql.param(chunk.map((row) => JSON.stringify(sealPersonal(keys.get(row.id)!, row.personal))))}::text[],
        ${sql.param(chunk.map((row) => row.createdAt?.toISOString() ?? now))}::text[],
        ${sql.param(chunk.map((row) => externalIdIndex(blindKey, row.personal.external_id)))}::text[]
      ) as u(id, owner_id, company_id, stage, source, batch, personal, created, external_index)`);
    await insertTokens(tx, ctx, chunk);
    rememberCreatedSubjects(
      tx,
      'contact',
      chunk.map((row) => row.id),
    );
  }
  return rows.length;
}

/**
 * Merges `changes` into one contact's personal values (a null value removes the field) and
 * recomputes its lookup tokens when an identifying field changed. Only the changed fields
 * are sealed; the merge is a jsonb `||` of sealed strings. Does not bump the version: the
 * caller's non-personal UPDATE does that once per request. Returns the new (opened)
 * personal values, or null when the contact does not exist in this workspace.
 */
export async function updateContactPersonal(tx: Executor, ctx: PurposeContext, id: string, changes: PersonalValues): Promise<PersonalValues | null> {
  // Locks the row and learns whether its keys survive: a contact whose keys were shredded
  // holds values nothing can open any more, so its new values replace them instead of merging.
  const [current] = rowsOf<{ keyed: boolean }>(
    await tx.execute(sql`
      select exists (select 1 from subject_keys k where k.tenant_id = c.tenant_id and k.subject_id = c.id) as keyed
      from contacts c where c.tenant_id = ${ctx.tenantId} and c.id = ${id} for update`),
  );
  if (!current) return null;
  const keys = (await contactKeysForWriting(tx, ctx.tenantId, [id])).get(id)!;
  const remove = Object.entries(changes).flatMap(([field, value]) => (value === null ? [field] : []));
  const sealed = sealPersonal(keys, changes);
  const externalIndex =
    'external_id' in changes ? sql`, external_id_index = ${externalIdIndex(await contactBlindIndexKey(ctx.tenantId), changes.external_id)}` : sql``;
  const [row] = rowsOf<{ personal: Record<string, unknown> }>(
    await tx.execute(sql`
      update contacts set personal = (${current.keyed ? sql`personal` : sql`'{}'::jsonb`} || ${JSON.stringify(sealed)}::jsonb) - ${sql.param(remove)}::text[]${externalIndex}
      where tenant_id = ${ctx.tenantId} and id = ${id}
      returning personal`),
  );
  const personal = openPersonal(keys, id, row.personal);
  if (['email', 'phone', 'first_name', 'last_name'].some((field) => field in changes)) {
    // Only the tokens of its own values: the anonymous-id tokens of visitors merged into it stay.
    await tx.execute(
      sql`delete from lookup_tokens where tenant_id = ${ctx.tenantId} and object = ${tokenObject} and record_id = ${id} and field <> ${anonymousIdField}`,
    );
    await insertTokens(tx, ctx, [{ id, personal }]);
  }
  return personal;
}

/** The filter's conditions over `contacts`, tenant first (the list's, and the count of those it left out: leftOutCounts.ts). */
export function contactFilterConditions(ctx: PurposeContext, where: ContactFilter): SQL[] {
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
 * One page of contacts with their personal values opened (only `options.fields` when
 * given): one SELECT of the rows and one of their keys. Keyset-paginated over a
 * non-personal sort key, so rows inserted between pages are never repeated or skipped.
 */
export async function readContacts(tx: Executor, ctx: PurposeContext, query: ContactQuery = {}, options: ContactReadOptions = {}): Promise<ContactPage> {
  const order = parseSort(query.sort, contactSortColumns, 'createdAt');
  const limit = Math.min(Math.max(query.limit ?? defaultPageSize, 1), maxReadLimit);
  const conditions = contactFilterConditions(ctx, query.where ?? {});
  if (options.subjectCondition) conditions.push(options.subjectCondition(sql`${contacts.id}`));
  const rows = await readKeysetRows(order, contacts.id, query.cursor, limit, (after, orderBy, rowLimit) =>
    tx
      .select()
      .from(contacts)
      .where(and(...conditions, after))
      .orderBy(...orderBy)
      .limit(rowLimit),
  );
  const page = pageOf(
    rows,
    limit,
    order,
    (row) => row[order.name.replace(/^-/, '') as keyof ContactRecord],
    (row) => row.id,
  );
  // Counted under the same conditions as the page, the policy's row filter included: a
  // person the purpose may not process is neither listed nor counted.
  const count = query.countCap === undefined ? undefined : await countUpTo(tx, contacts, and(...conditions), query.countCap);
  return { rows: await openPersonalRows(tx, ctx.tenantId, page.data, options.fields), nextCursor: page.nextCursor, ...(count ? { count } : {}) };
}

/** One contact, or null when it does not exist in this workspace. */
export async function readContact(tx: Executor, ctx: PurposeContext, id: string, options: ContactReadOptions = {}): Promise<ContactRecord | null> {
  const conditions = [eq(contacts.tenantId, ctx.tenantId), eq(contacts.id, id)];
  if (options.subjectCondition) conditions.push(options.subjectCondition(sql`${contacts.id}`));
  const [row] = await tx
    .select()
    .from(contacts)
    .where(and(...conditions))
    .limit(1);
  if (!row) return null;
  const [opened] = await openPersonalRows(tx, ctx.tenantId, [row], options.fields);
  return opened;
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
  const ids = rowsOf<{ id: string }>(selected).map((row) => row.id);
  if (ids.length === 0) return [];
  const tenant = ctx.tenantId;
  const subjects = uuidArray(ids);
  // Timestamps are written from JS (millisecond precision) so keyset cursors round-trip exactly.
  const now = new Date().toISOString();
  await tx.execute(sql`delete from lookup_tokens where tenant_id = ${tenant} and object = ${tokenObject} and record_id = any(${subjects})`);
  await tx.execute(sql`delete from events where tenant_id = ${tenant} and contact_id = any(${subjects})`);
  // Visitor profiles merged into these contacts are the same people: they go with them (their
  // events, anonymous-id index and keys). A merge re-points them to the survivor first.
  const merged = await tx.execute(sql`select id from visitors where tenant_id = ${tenant} and merged_into_contact_id = any(${subjects})`);
  await deleteVisitors(
    tx,
    ctx,
    rowsOf<{ id: string }>(merged).map((row) => row.id),
  );
  await tx.execute(
    sql`update purchases set contact_id = null, updated_at = ${now}::timestamptz, version = version + 1 where tenant_id = ${tenant} and contact_id = any(${subjects})`,
  );
  await tx.execute(sql`delete from activity_links where tenant_id = ${tenant} and object = 'contact' and record_id = any(${subjects})`);
  await tx.execute(sql`delete from contacts where tenant_id = ${tenant} and id = any(${subjects})`);
  // Their audit index rows and data keys go too (and from the key cache): their ids no longer
  // find their trail, any copy of their sealed values is now unreadable, and the erasures
  // count toward the next epoch advance.
  await eraseSubjects(tx, ctx, ids);
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
  return rowsOf<unknown>(result).length;
}
