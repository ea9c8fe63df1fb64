import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DomainError } from './domainError.ts';
import { decodeCursor, encodeCursor, type CursorShape } from './cursor.ts';

const id = '0190c1f0-0000-7000-8000-000000000000';
const refusal = (encoded: string, shape: CursorShape) => {
  try {
    decodeCursor(encoded, shape);
    return 'accepted';
  } catch (error) {
    return error instanceof DomainError ? `${error.code} ${error.issues.map((issue) => issue.field).join()}` : 'other error';
  }
};
const forged = (parts: unknown) => Buffer.from(JSON.stringify(parts)).toString('base64url');

describe('decodeCursor', () => {
  it('gives back every cursor a list makes, for each kind of sort value', () => {
    const instants = fc
      .date({ min: new Date('0001-01-01T00:00:00.000Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true })
      .map((date) => date.toISOString());
    const cases = fc.oneof(
      instants.map((value) => ({ value, shape: { sort: 'createdAt', value: 'timestamp' } as CursorShape })),
      instants.map((value) => ({ value: value.slice(0, 10), shape: { sort: 'expectedCloseDate', value: 'date' } as CursorShape })),
      fc.maxSafeInteger().map((value) => ({ value, shape: { sort: 'amount', value: 'number' } as CursorShape })),
      fc.string({ unit: 'grapheme', maxLength: 300 }).map((value) => ({ value, shape: { sort: 'name', value: 'text' } as CursorShape })),
      fc.constant({ value: null, shape: { sort: 'dueAt', value: 'timestamp', nullable: true } as CursorShape }),
    );
    fc.assert(
      fc.property(cases, fc.uuid(), ({ value, shape }, rowId) => {
        const cursor = { sort: shape.sort, value, id: rowId };
        expect(decodeCursor(encodeCursor(cursor), shape)).toEqual(cursor);
      }),
    );
  });

  it('refuses, naming cursor, what no list makes: wrong kinds, times outside 0001–9999, unstorable text, other ids', () => {
    const timestamp: CursorShape = { sort: 'createdAt', value: 'timestamp' };
    const cases: Array<[unknown, CursorShape]> = [
      [['createdAt', '0000-01-01T00:00:00.000Z', id], timestamp],
      [['createdAt', '+010000-01-01T00:00:00.000Z', id], timestamp],
      [['createdAt', '2024-01-01', id], timestamp],
      [['createdAt', 'banana', id], timestamp],
      [['createdAt', null, id], timestamp],
      [['createdAt', '2024-01-01T00:00:00.000Z', 'not-a-uuid'], timestamp],
      [['-createdAt', '2024-01-01T00:00:00.000Z', id], timestamp],
      [['amount', 1.5, id], { sort: 'amount', value: 'number' }],
      [['amount', 1e308, id], { sort: 'amount', value: 'number' }],
      [['amount', '12', id], { sort: 'amount', value: 'number' }],
      [['name', 'a\u0000b', id], { sort: 'name', value: 'text' }],
      [['name', '\uD800', id], { sort: 'name', value: 'text' }],
      [['day', '0000-01-01', id], { sort: 'day', value: 'date' }],
      [['day', '2023-02-29', id], { sort: 'day', value: 'date' }],
      [['search:id', 'x', id], { sort: 'search:id', value: 'none' }],
      [['sequence', 5, '1e3'], { sort: 'sequence', value: 'number', id: 'sequence' }],
      [{ sort: 'createdAt', value: '2024-01-01T00:00:00.000Z', id }, timestamp],
      [['createdAt', '2024-01-01T00:00:00.000Z', id, 'extra'], timestamp],
    ];
    const outcomes = cases.map(([parts, shape]) => refusal(forged(parts), shape));
    expect(outcomes).toEqual(cases.map(() => 'validation_failed cursor'));
    expect(refusal('%%%', timestamp)).toBe('validation_failed cursor');
    expect(refusal(Buffer.from('\u0001garbage').toString('base64url'), timestamp)).toBe('validation_failed cursor');
  });
});
