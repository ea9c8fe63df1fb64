import type { Executor } from '../../db/connection.ts';
import type { AccessContext } from '../../kernel/accessContext.ts';
import { findContactIdsByLookup, readContacts, searchContactIdsByNamePrefix, type ContactRecord } from '../../kernel/contactRecords.ts';
import { foldName, namesMatchPrefix, searchToken } from '../../kernel/lookupTokens.ts';
import { decodeCursor, defaultPageSize, encodeCursor, maxPageSize } from '../../platform/cursor.ts';
import { DomainError, invalid } from '../../shared/domainError.ts';
import { normalizeEmail, normalizePhone } from '../normalize.ts';

/**
 * Sorting by name needs every match decrypted first (names are personal, so SQL cannot
 * order them once encrypted); it is therefore allowed only on at most this many matches.
 */
export const nameSortBound = 1_000;

export type ContactSearch = {
  email?: string;
  phone?: string;
  /** Prefix of a first- or last-name word, at least 2 characters, case- and accent-folded. */
  name?: string;
  /** Default: order of entry into Candor (contact id). */
  sort?: 'name';
  cursor?: string;
  limit?: number;
};

export type ContactSearchPage = { rows: ContactRecord[]; nextCursor: string | null };

const nameOf = (row: ContactRecord) => [row.personal.first_name, row.personal.last_name].map((value) => (typeof value === 'string' ? value : null));
const collator = new Intl.Collator('und', { sensitivity: 'base', numeric: true });
const foldedName = (value: string | null) => (value ? foldName(value).join(' ') : '');

function byName(a: ContactRecord, b: ContactRecord): number {
  const [aFirst, aLast] = nameOf(a);
  const [bFirst, bLast] = nameOf(b);
  return collator.compare(foldedName(aLast), foldedName(bLast)) || collator.compare(foldedName(aFirst), foldedName(bFirst)) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Ids matching the exact criteria (e-mail, phone, both intersected), or null when none was given. */
async function exactMatches(tx: Executor, ctx: AccessContext, search: ContactSearch): Promise<string[] | null> {
  let ids: string[] | null = null;
  for (const field of ['email', 'phone'] as const) {
    const raw = search[field];
    if (raw === undefined) continue;
    const value = field === 'email' ? normalizeEmail(raw) : normalizePhone(raw);
    if (!value) throw invalid(field, field === 'email' ? 'not a valid e-mail address' : 'not a valid phone number');
    const found = (await findContactIdsByLookup(tx, ctx, field, [value])).get(value) ?? [];
    ids = ids === null ? found : ids.filter((id) => found.includes(id));
  }
  return ids;
}

async function rowsByIds(tx: Executor, ctx: AccessContext, ids: string[]): Promise<ContactRecord[]> {
  if (ids.length === 0) return [];
  return (await readContacts(tx, ctx, { where: { ids }, limit: ids.length })).rows;
}

/** Finds contacts by exact e-mail / phone and by name prefix; criteria combine with AND. */
export async function searchContacts(tx: Executor, ctx: AccessContext, search: ContactSearch): Promise<ContactSearchPage> {
  if (search.email === undefined && search.phone === undefined && search.name === undefined) {
    throw new DomainError('validation_failed', 'Search by email, phone or name.', [{ field: 'body', reason: 'give at least one of email, phone, name' }]);
  }
  if (search.name !== undefined && !searchToken(search.name)) throw invalid('name', 'a name prefix needs at least 2 letters or digits');
  const limit = Math.min(Math.max(search.limit ?? defaultPageSize, 1), maxPageSize);
  const sortKey = search.sort === 'name' ? 'search:name' : 'search:id';
  const afterId = search.cursor ? decodeCursor(search.cursor, sortKey).id : undefined;
  const exact = await exactMatches(tx, ctx, search);
  const name = search.name;

  if (search.sort === 'name') {
    let rows: ContactRecord[];
    if (exact !== null) {
      if (exact.length > nameSortBound) throw tooLarge();
      rows = (await rowsByIds(tx, ctx, exact)).filter((row) => name === undefined || namesMatchPrefix(nameOf(row), name));
    } else {
      const ids = await searchContactIdsByNamePrefix(tx, ctx, name ?? '', { limit: nameSortBound + 1 });
      if (ids.length > nameSortBound) throw tooLarge();
      rows = await rowsByIds(tx, ctx, ids);
    }
    rows.sort(byName);
    let start = 0;
    if (afterId) {
      start = rows.findIndex((row) => row.id === afterId) + 1;
      if (start === 0) throw invalid('cursor', 'the last contact served no longer matches; start again without a cursor');
    }
    return page(rows.slice(start), limit, sortKey);
  }

  if (exact !== null) {
    const ids = exact.filter((id) => !afterId || id > afterId).sort();
    const rows = (await rowsByIds(tx, ctx, ids)).filter((row) => name === undefined || namesMatchPrefix(nameOf(row), name));
    return page(rows.sort((a, b) => (a.id < b.id ? -1 : 1)), limit, sortKey);
  }
  const ids = await searchContactIdsByNamePrefix(tx, ctx, name ?? '', { limit: limit + 1, afterId });
  const rows = await rowsByIds(tx, ctx, ids);
  return page(rows.sort((a, b) => (a.id < b.id ? -1 : 1)), limit, sortKey);
}

function page(rows: ContactRecord[], limit: number, sortKey: string): ContactSearchPage {
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
