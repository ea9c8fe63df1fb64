import type { Executor } from '../../db/connection.ts';
import {
  assertFieldsPermitted,
  contactPolicy,
  findPermittedContactIdsByLookup,
  foldName,
  listPermittedContacts,
  maximumQueryWords,
  namesMatchQuery,
  parseNameQuery,
  requirePurpose,
  searchPermittedIdsByNamePrefix,
  searchTokens,
  type AccessContext,
  type ContactPolicy,
  type ContactRecord,
  type PurposeContext,
  type WithheldField,
} from '../../kernel/index.ts';
import { decodeCursor, defaultPageSize, encodeCursor, maxPageSize } from '../../shared/cursor.ts';
import { DomainError, invalid } from '../../shared/domainError.ts';
import { normalizeEmail, phoneLookupForms } from '../../shared/normalize.ts';
import { workspaceDefaultRegion } from '../../accounts/workspaces.ts';
import { isNationalPhone } from './contactFields.ts';

/**
 * Sorting by name needs every match decrypted first (names are personal, so SQL cannot
 * order them once encrypted); it is therefore allowed only on at most this many matches.
 */
export const nameSortBound = 1_000;

export type ContactSearch = {
  email?: string;
  phone?: string;
  /**
   * Name words as typed ("Mar", "Emily Hill", "O'Brien", "Smith-Jo"): each word a prefix of a
   * first- or last-name word, all words matching, in either order; case and accents ignored.
   */
  name?: string;
  /** Default: order of entry into Candor (contact id). */
  sort?: 'name';
  cursor?: string;
  limit?: number;
};

export type ContactSearchPage = { rows: ContactRecord[]; nextCursor: string | null; withheld: WithheldField[] };

const nameOf = (row: ContactRecord) => [row.personal.first_name, row.personal.last_name].map((value) => (typeof value === 'string' ? value : null));
const collator = new Intl.Collator('und', { sensitivity: 'base', numeric: true });
const foldedName = (value: string | null) => (value ? foldName(value).join(' ') : '');

function byName(a: ContactRecord, b: ContactRecord): number {
  const [aFirst, aLast] = nameOf(a);
  const [bFirst, bLast] = nameOf(b);
  return (
    collator.compare(foldedName(aLast), foldedName(bLast)) ||
    collator.compare(foldedName(aFirst), foldedName(bFirst)) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/**
 * Ids matching the exact criteria (e-mail, phone, both intersected), or null when none was
 * given. A phone number is sought in every form it may be stored under: E.164 in the
 * workspace's default region, and the bare national digits of numbers written before.
 */
async function exactMatches(tx: Executor, ctx: PurposeContext, search: ContactSearch): Promise<string[] | null> {
  let ids: string[] | null = null;
  for (const field of ['email', 'phone'] as const) {
    const raw = search[field];
    if (raw === undefined) continue;
    const values =
      field === 'email'
        ? [normalizeEmail(raw)].filter((value) => value !== null)
        : phoneLookupForms(raw, isNationalPhone(raw) ? await workspaceDefaultRegion(tx, ctx.tenantId) : undefined);
    if (values.length === 0) throw invalid(field, field === 'email' ? 'not a valid e-mail address' : 'not a valid phone number');
    const byValue = await findPermittedContactIdsByLookup(tx, ctx, field, values);
    const found = [...new Set(values.flatMap((value) => byValue.get(value) ?? []))].sort();
    ids = ids === null ? found : ids.filter((id) => found.includes(id));
  }
  return ids;
}

// The search criteria each stored field answers to, for naming refused criteria.
const criterionOf: Record<string, string> = { email: 'email', phone: 'phone', first_name: 'name', last_name: 'name' };

/** The stored fields a search reads to match and order: each must be one the purpose may use. */
function searchedFields(search: ContactSearch): string[] {
  const fields: string[] = [];
  if (search.email !== undefined) fields.push('email');
  if (search.phone !== undefined) fields.push('phone');
  if (search.name !== undefined || search.sort === 'name') fields.push('first_name', 'last_name');
  return fields;
}

type Reader = (ids: string[]) => Promise<ContactRecord[]>;

/** Reads candidates through the policy: subjects it denies drop out, fields it withholds stay closed. */
function permittedReader(tx: Executor, ctx: PurposeContext, policy: ContactPolicy): Reader {
  return async (ids) => (await listPermittedContacts(tx, ctx, { where: { ids }, limit: Math.max(ids.length, 1) }, { action: 'contact.searched', policy })).rows;
}

/**
 * Finds contacts by exact e-mail / phone and by name prefix; criteria combine with AND.
 * Only criteria the purpose may use are accepted (403 naming the criterion), and matches
 * pass the policy's row filter like a list does; a page may come back shorter than the
 * limit when the filter drops candidates, with the cursor still past all of them.
 */
export async function searchContacts(tx: Executor, context: AccessContext, search: ContactSearch): Promise<ContactSearchPage> {
  const ctx = requirePurpose(context);
  if (search.email === undefined && search.phone === undefined && search.name === undefined) {
    throw new DomainError('validation_failed', 'Search by email, phone or name.', [{ field: 'body', reason: 'give at least one of email, phone, name' }]);
  }
  const query = search.name === undefined ? undefined : parseNameQuery(search.name);
  if (query !== undefined) {
    if (!searchTokens(query)) throw invalid('name', 'a name prefix needs at least 2 letters or digits');
    if (query.length > maximumQueryWords) throw invalid('name', `at most ${maximumQueryWords} words`);
  }
  const policy = await contactPolicy(tx, ctx, 'contact.searched');
  assertFieldsPermitted(policy, searchedFields(search), {
    fieldName: (field) => (search.name === undefined && criterionOf[field] === 'name' ? 'sort' : (criterionOf[field] ?? field)),
  });
  const read = permittedReader(tx, ctx, policy);
  const withheld = policy.withheld;
  const limit = Math.min(Math.max(search.limit ?? defaultPageSize, 1), maxPageSize);
  const sortKey = search.sort === 'name' ? 'search:name' : 'search:id';
  const afterId = search.cursor ? decodeCursor(search.cursor, { sort: sortKey, value: 'none' }).id : undefined;
  const exact = await exactMatches(tx, ctx, search);
  const name = search.name;
  const nameMatches = (row: ContactRecord) => query === undefined || namesMatchQuery(nameOf(row), query);

  if (search.sort === 'name') {
    let rows: ContactRecord[];
    if (exact !== null) {
      if (exact.length > nameSortBound) throw tooLarge();
      rows = (await read(exact)).filter(nameMatches);
    } else {
      const ids = await searchPermittedIdsByNamePrefix(tx, ctx, policy, name ?? '', { limit: nameSortBound + 1 });
      if (ids.length > nameSortBound) throw tooLarge();
      rows = await read(ids);
    }
    rows.sort(byName);
    let start = 0;
    if (afterId) {
      start = rows.findIndex((row) => row.id === afterId) + 1;
      if (start === 0) throw invalid('cursor', 'the last contact served no longer matches; start again without a cursor');
    }
    return { ...page(rows.slice(start), limit, sortKey), withheld };
  }

  if (exact !== null) {
    const ids = exact.filter((id) => !afterId || id > afterId).sort();
    const rows = (await read(ids)).filter(nameMatches);
    return { ...page(rows.sort(byId), limit, sortKey), withheld };
  }
  const ids = await searchPermittedIdsByNamePrefix(tx, ctx, policy, name ?? '', { limit: limit + 1, afterId });
  const served = ids.slice(0, limit);
  const rows = (await read(served)).sort(byId);
  // The cursor goes past every candidate served, kept or filtered out, so none is read twice.
  const nextCursor = ids.length > limit ? encodeCursor({ sort: sortKey, value: null, id: served[served.length - 1] }) : null;
  return { rows, nextCursor, withheld };
}

const byId = (a: ContactRecord, b: ContactRecord) => (a.id < b.id ? -1 : 1);

function page(rows: ContactRecord[], limit: number, sortKey: string): Omit<ContactSearchPage, 'withheld'> {
  if (rows.length <= limit) return { rows, nextCursor: null };
  const served = rows.slice(0, limit);
  // The cursor names only the last contact's id: a name would put a personal value in it.
  return { rows: served, nextCursor: encodeCursor({ sort: sortKey, value: null, id: served[served.length - 1].id }) };
}

function tooLarge(): DomainError {
  return new DomainError('result_too_large', `Sorting by name is allowed on at most ${nameSortBound} matches; narrow the search or sort by entry order.`, [
    { field: 'sort', reason: `more than ${nameSortBound} matches` },
  ]);
}
