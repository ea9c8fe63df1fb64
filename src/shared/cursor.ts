import { DomainError } from './domainError.ts';
import { isStorableText } from './storableText.ts';
import { isStorableCalendarDate, isStorableInstantMs } from './storableTime.ts';
import { isUuid } from './uuid.ts';

// Keyset pagination: a cursor is the (sort value, id) of the last row served, so rows
// inserted between pages never shift or repeat what a client sees. Sort keys are never
// personal values, so the opaque cursor carries no personal data either.
export type CursorValue = string | number | null;
export type Cursor = { sort: string; value: CursorValue; id: string };

/**
 * What a cursor's value must be: the form the list itself put there. A client can send any
 * bytes as a cursor, so each part is checked against this before it reaches SQL.
 * - timestamp: an instant as toISOString() writes it, in 0001–9999
 * - date: a calendar date YYYY-MM-DD, in 0001–9999
 * - number: a safe integer (every numeric sort column is an integer column)
 * - text: a string PostgreSQL can store
 * - none: always null (the cursor continues by id only)
 */
export type CursorValueKind = 'timestamp' | 'date' | 'number' | 'text' | 'none';

export type CursorShape = {
  sort: string;
  value: CursorValueKind;
  /** Whether a null value (a row without a sort value) can appear. */
  nullable?: boolean;
  /** uuid for row ids; sequence for a decimal counter such as the audit trail's. */
  id?: 'uuid' | 'sequence';
};

// Lists cap cursors at 2,000 characters; a text sort value fits well inside.
const maxTextValueLength = 1_000;
const base64url = /^[A-Za-z0-9_-]+$/;
const canonicalInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const sequencePattern = /^(0|[1-9]\d{0,15})$/;

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.value, cursor.id])).toString('base64url');
}

function valueFits(kind: CursorValueKind, value: unknown, nullable: boolean): boolean {
  if (value === null) return nullable || kind === 'none';
  switch (kind) {
    case 'timestamp':
      return typeof value === 'string' && canonicalInstant.test(value) && isStorableInstantMs(Date.parse(value)) && new Date(value).toISOString() === value;
    case 'date':
      return typeof value === 'string' && isStorableCalendarDate(value);
    case 'number':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'text':
      return typeof value === 'string' && value.length <= maxTextValueLength && isStorableText(value);
    case 'none':
      return false;
  }
}

function idFits(kind: 'uuid' | 'sequence', id: unknown): boolean {
  if (typeof id !== 'string') return false;
  return kind === 'uuid' ? isUuid(id) : sequencePattern.test(id) && Number.isSafeInteger(Number(id));
}

/** The cursor's parts when they have the shape the list gives its cursors, otherwise null. */
function parseCursor(encoded: string, shape: CursorShape): Cursor | null {
  if (!base64url.test(encoded)) return null;
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(parts) || parts.length !== 3) return null;
  const [sort, value, id] = parts as unknown[];
  if (sort !== shape.sort || !valueFits(shape.value, value, shape.nullable === true) || !idFits(shape.id ?? 'uuid', id)) return null;
  return { sort, value: value as CursorValue, id: id as string };
}

/** Decodes a cursor a client sent back; anything the list would not have made is refused with 422. */
export function decodeCursor(encoded: string, shape: CursorShape): Cursor {
  const cursor = parseCursor(encoded, shape);
  if (cursor) return cursor;
  throw new DomainError('validation_failed', 'The cursor is malformed or was made for another sort order; start again without it.', [
    { field: 'cursor', reason: 'malformed or for another sort' },
  ]);
}

export const defaultPageSize = 50;
export const maxPageSize = 200;
