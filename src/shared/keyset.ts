import { and, asc, desc, isNotNull, isNull, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { invalid } from './domainError.ts';
import { decodeCursor, encodeCursor, type Cursor, type CursorValue, type CursorValueKind } from './cursor.ts';

/**
 * One sortable, non-personal column of a list. Rows are ordered by (column, id) with NULLs
 * last in both directions, and a page continues strictly after the (value, id) of the
 * previous page's last row.
 */
export type SortColumn = {
  column: AnyColumn;
  /** The cursor value's kind (src/shared/cursor.ts); 'date' for a date column read as YYYY-MM-DD. */
  kind: Exclude<CursorValueKind, 'none'>;
  nullable?: boolean;
};

export type SortOrder = { name: string; sort: SortColumn; direction: 'asc' | 'desc' };

/**
 * Parses "created_at" / "-created_at" against the columns a list allows. Only the map's own
 * keys count: "__proto__", "constructor" or "toString" are inherited, not sortable. The
 * refusal names the allowed sorts, never the one requested.
 */
export function parseSort(requested: string | undefined, allowed: Record<string, SortColumn>, fallback: string): SortOrder {
  const value = requested ?? fallback;
  const direction = value.startsWith('-') ? 'desc' : 'asc';
  const name = value.replace(/^-/, '');
  const sort = Object.hasOwn(allowed, name) ? allowed[name] : undefined;
  if (!sort) throw invalid('sort', `not a sortable field; use one of ${Object.keys(allowed).join(', ')} (prefix - for descending)`);
  return { name: value, sort, direction };
}

function toCursorValue(value: unknown): CursorValue {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number' || typeof value === 'string') return value;
  return String(value);
}

// The cursor's value is bound as text (or a number) and cast to the column's type, so the
// comparison is the column's own btree operator and PostgreSQL can use it as an index bound.
const valueCast: Record<SortColumn['kind'], SQL> = {
  timestamp: sql.raw('timestamptz'),
  date: sql.raw('date'),
  number: sql.raw('bigint'),
  text: sql.raw('text'),
};

/**
 * The ORDER BY of a keyset list: (column, id), both in the list's direction. Every sort has
 * an index (tenant_id, column, id) that PostgreSQL reads forwards for ascending and backwards
 * for descending; no expression ("column IS NULL") precedes the column, so the index order
 * is the list's order and a page reads only its own rows.
 */
export function keysetOrderBy(order: SortOrder, idColumn: AnyColumn): SQL[] {
  const by = order.direction === 'asc' ? asc : desc;
  return [by(order.sort.column), by(idColumn)];
}

const decodeFor = (order: SortOrder, encodedCursor: string) =>
  decodeCursor(encodedCursor, { sort: order.name, value: order.sort.kind, nullable: order.sort.nullable === true });

/** Refuses (422 naming cursor) a cursor this order would not have made, for lists that may answer before building their query. */
export function assertCursorFits(order: SortOrder, encodedCursor: string | undefined): void {
  if (encodedCursor) decodeFor(order, encodedCursor);
}

/**
 * "After the cursor" in row-value form, `(column, id) > (value, id)` (`<` descending): one
 * comparison that PostgreSQL turns into the start of an index range scan. The expanded form
 * `column > v OR (column = v AND id > w)` is logically the same but is only a filter, so a
 * deep page scanned every row before it.
 */
function rowValueAfter(order: SortOrder, idColumn: AnyColumn, cursor: Cursor): SQL {
  const operator = sql.raw(order.direction === 'asc' ? '>' : '<');
  return sql`(${order.sort.column}, ${idColumn}) ${operator} (${cursor.value}::${valueCast[order.sort.kind]}, ${cursor.id}::uuid)`;
}

function nullSegmentAfter(order: SortOrder, idColumn: AnyColumn, cursor: Cursor | null): SQL {
  const operator = sql.raw(order.direction === 'asc' ? '>' : '<');
  const after = cursor ? sql`${idColumn} ${operator} ${cursor.id}::uuid` : undefined;
  return and(isNull(order.sort.column), after)!;
}

/**
 * The condition for the page after the cursor, for a sort that is not nullable (undefined
 * without a cursor). Lists with a nullable sort read through `readKeysetRows`.
 */
export function keysetCondition(order: SortOrder, idColumn: AnyColumn, encodedCursor: string | undefined): SQL | undefined {
  if (order.sort.nullable) throw new Error(`the nullable sort ${order.name} pages through readKeysetRows`);
  if (!encodedCursor) return undefined;
  return rowValueAfter(order, idColumn, decodeFor(order, encodedCursor));
}

/** Reads at most `limit` rows after `after`, ordered by `orderBy`, with the list's own filters ANDed in. */
export type KeysetFetch<Row> = (after: SQL | undefined, orderBy: SQL[], limit: number) => Promise<Row[]>;

/**
 * Up to limit + 1 rows after the cursor (the extra one tells `pageOf` there is a next page).
 *
 * A nullable sort is walked as two segments, NULLs last in both directions: first the rows
 * with a value, by the row value (column, id); then the rows without one, by id alone
 * (`column IS NULL AND id > w`). Both segments are ranges of the same plain index
 * (tenant_id, column, id): a btree keeps its NULLs together and orders them by the next
 * column, so `IS NULL` is an index condition and ORDER BY (column, id) still matches the
 * index there. A single query cannot do this: `(column, id) > (v, w)` is NULL for a NULL
 * column, and ORing "or column is null" into it turns the bound back into a filter. A
 * coalesced expression index would also work, but needs a sentinel per type and a second
 * index per direction (ascending reads it forwards with NULLs as +infinity, descending
 * needs them as -infinity), two more indexes on the contacts table that every write pays
 * for. The cost here is a second statement on the one page where the segments meet.
 */
export async function readKeysetRows<Row>(
  order: SortOrder,
  idColumn: AnyColumn,
  encodedCursor: string | undefined,
  limit: number,
  fetch: KeysetFetch<Row>,
): Promise<Row[]> {
  const cursor = encodedCursor ? decodeFor(order, encodedCursor) : null;
  const orderBy = keysetOrderBy(order, idColumn);
  if (!order.sort.nullable) return fetch(cursor ? rowValueAfter(order, idColumn, cursor) : undefined, orderBy, limit + 1);
  if (cursor && cursor.value === null) return fetch(nullSegmentAfter(order, idColumn, cursor), orderBy, limit + 1);
  const withValues = await fetch(cursor ? rowValueAfter(order, idColumn, cursor) : isNotNull(order.sort.column), orderBy, limit + 1);
  if (withValues.length > limit) return withValues;
  const withoutValues = await fetch(nullSegmentAfter(order, idColumn, null), orderBy, limit + 1 - withValues.length);
  return [...withValues, ...withoutValues];
}

/** Trims the one-extra row fetched to detect a next page and builds its cursor. */
/** pageOf for a list sorted by creation time (users, keys, webhooks, deliveries, imports): rows carry createdAt and id. */
export function pageByCreationOf<Row extends { createdAt: Date; id: string }>(rows: Row[], limit: number, order: SortOrder) {
  return pageOf(
    rows,
    limit,
    order,
    (row) => row.createdAt,
    (row) => row.id,
  );
}

export function pageOf<Row>(
  rows: Row[],
  limit: number,
  order: SortOrder,
  sortValueOf: (row: Row) => unknown,
  idOf: (row: Row) => string,
): { data: Row[]; nextCursor: string | null } {
  if (rows.length <= limit) return { data: rows, nextCursor: null };
  const data = rows.slice(0, limit);
  const last = data[data.length - 1];
  return { data, nextCursor: encodeCursor({ sort: order.name, value: toCursorValue(sortValueOf(last)), id: idOf(last) }) };
}

/** The sorts of a list of named records (saved views, segments, campaigns): by creation or by name. */
export const createdOrNameSorts = (createdAt: AnyColumn, name: AnyColumn): Record<string, SortColumn> => ({
  createdAt: { column: createdAt, kind: 'timestamp' },
  name: { column: name, kind: 'text' },
});

/** pageOf for such a list: the cursor carries the name or the creation time, as the order sorts. */
export function namedRecordPage<Row extends { id: string; name: string; createdAt: Date }>(rows: Row[], limit: number, order: SortOrder) {
  const byName = order.name.replace(/^-/, '') === 'name';
  return pageOf(
    rows,
    limit,
    order,
    (row) => (byName ? row.name : row.createdAt),
    (row) => row.id,
  );
}
