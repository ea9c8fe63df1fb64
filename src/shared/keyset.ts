import { and, asc, desc, eq, gt, isNotNull, isNull, lt, or, type AnyColumn, type SQL } from 'drizzle-orm';
import { invalid } from './domainError.ts';
import { decodeCursor, encodeCursor, type CursorValue } from './cursor.ts';

/**
 * One sortable, non-personal column of a list. Rows are ordered by (column, id) with NULLs
 * last, and a page continues strictly after the (value, id) of the previous page's last row.
 */
export type SortColumn = {
  column: AnyColumn;
  kind: 'timestamp' | 'number' | 'text';
  nullable?: boolean;
};

export type SortOrder = { name: string; sort: SortColumn; direction: 'asc' | 'desc' };

/** Parses "created_at" / "-created_at" against the columns a list allows. */
export function parseSort(requested: string | undefined, allowed: Record<string, SortColumn>, fallback: string): SortOrder {
  const value = requested ?? fallback;
  const direction = value.startsWith('-') ? 'desc' : 'asc';
  const name = value.replace(/^-/, '');
  const sort = allowed[name];
  if (!sort) throw invalid('sort', `cannot sort by ${name}; use one of ${Object.keys(allowed).join(', ')} (prefix - for descending)`);
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

export function keysetCondition(order: SortOrder, idColumn: AnyColumn, encodedCursor: string | undefined): SQL | undefined {
  if (!encodedCursor) return undefined;
  const cursor = decodeCursor(encodedCursor, order.name);
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
export function pageOf<Row>(rows: Row[], limit: number, order: SortOrder, valueOf: (row: Row) => unknown, idOf: (row: Row) => string): { data: Row[]; nextCursor: string | null } {
  if (rows.length <= limit) return { data: rows, nextCursor: null };
  const data = rows.slice(0, limit);
  const last = data[data.length - 1];
  return { data, nextCursor: encodeCursor({ sort: order.name, value: toCursorValue(valueOf(last)), id: idOf(last) }) };
}
