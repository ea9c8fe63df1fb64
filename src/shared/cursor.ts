import { DomainError } from './domainError.ts';

// Keyset pagination: a cursor is the (sort value, id) of the last row served, so rows
// inserted between pages never shift or repeat what a client sees. Sort keys are never
// personal values, so the opaque cursor carries no personal data either.
export type CursorValue = string | number | null;
export type Cursor = { sort: string; value: CursorValue; id: string };

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.value, cursor.id])).toString('base64url');
}

export function decodeCursor(encoded: string, expectedSort: string): Cursor {
  try {
    const [sort, value, id] = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as [string, CursorValue, string];
    if (sort !== expectedSort || typeof id !== 'string') throw new Error('mismatch');
    return { sort, value, id };
  } catch {
    throw new DomainError('validation_failed', 'The cursor is malformed or was made for another sort order; start again without it.', [
      { field: 'cursor', reason: 'malformed or for another sort' },
    ]);
  }
}

export const defaultPageSize = 50;
export const maxPageSize = 200;
