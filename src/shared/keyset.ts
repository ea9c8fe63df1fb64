import { and, asc, desc, eq, gt, isNotNull, isNull, lt, or, type AnyColumn, type SQL } from 'drizzle-orm';
import { invalid } from './domainError.ts';
import { decodeCursor, encodeCursor, type CursorValue, type CursorValueKind } from './cursor.ts';

/**
 * One sortable, non-personal column of a list. Rows are ordered by (column, id) with NULLs
 * last, and a page continues strictly after the (value, id) of the previous page's last row.
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

function fromCursorValue(sort: SortColumn, value: CursorValue): unknown {
  if (value === null) return null;
  return sort.kind === 'timestamp' ? new Date(String(value)) : value;
}

export function keysetOrderBy(order: SortOrder, idColumn: AnyColumn): SQL[] {
  const by = order.direction === 'asc' ? asc : desc;
  const nulls = order.sort.nullable ? [isNull(order.sort.column)] : [];
  // "column IS NULL" sorts false before true, which puts NULLs last in both directions.
  return [...nulls.map((expression) => asc(expression as unknown as AnyColumn)), by(order.sort.column), by(idColumn)];
}

const decodeFor = (order: SortOrder, encodedCursor: string) =>
  decodeCursor(encodedCursor, { sort: order.name, value: order.sort.kind, nullable: order.sort.nullable === true });

/** Refuses (422 naming cursor) a cursor this order would not have made, for lists that may answer before building their query. */
export function assertCursorFits(order: SortOrder, encodedCursor: string | undefined): void {
  if (encodedCursor) decodeFor(order, encodedCursor);
}

export function keysetCondition(order: SortOrder, idColumn: AnyColumn, encodedCursor: string | undefined): SQL | undefined {
  if (!encodedCursor) return undefined;
  const cursor = decodeFor(order, encodedCursor);
  const after = order.direction === 'asc' ? gt : lt;
  const column = order.sort.column;
  if (cursor.value === null) {
    // Already among the NULLs (which come last): continue by id only.
    return and(isNull(column), after(idColumn, cursor.id));
  }
  const value = fromCursorValue(order.sort, cursor.value);
  const sameValueLaterId = and(eq(column, value), after(idColumn, cursor.id));
  return order.sort.nullable
    ? or(after(column, value), sameValueLaterId, and(isNull(column), isNotNull(idColumn)))
    : or(after(column, value), sameValueLaterId);
}

/** Trims the one-extra row fetched to detect a next page and builds its cursor. */
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
