import fc from 'fast-check';
import { encodeCursor, hostileDates, hostileInstants } from './hostileValues.ts';

/* Cursors forged for the API fuzzer: shaped like a list's own, with a wrong value or id; and garbled ones. */

/** Sort names lists document, and the defaults of lists that take no sort parameter. */
export const knownSortNames = [
  'createdAt',
  '-createdAt',
  'updatedAt',
  'name',
  'amount',
  'amountMinor',
  '-expectedCloseDate',
  'expectedCloseDate',
  'occurredAt',
  '-occurredAt',
  'dueAt',
  'purchasedAt',
  '-purchasedAt',
  'totalMinor',
  'lastActivityAt',
  '-lastActivityAt',
  'created_at',
  '-created_at',
  'updated_at',
  '-occurred_at',
  'occurred_at',
  'sequence',
  'search:id',
  'search:name',
];
const cursorValues: unknown[] = [
  null,
  'banana',
  '',
  123,
  1.5,
  1e308,
  -1e308,
  2 ** 63,
  '2024-01-01T00:00:00.000Z',
  ...hostileInstants,
  ...hostileDates,
  '+010000-01-01T00:00:00.000Z',
  'a\u0000b',
  '\uD800',
  'x'.repeat(1_100),
  {},
  [1],
  true,
];
const cursorIds: unknown[] = [
  '0190c1f0-0000-7000-8000-000000000000',
  'not-a-uuid',
  '1',
  '-1',
  '99999999999999999999',
  '0190c1f0-0000-7000-8000-000000000000\u0000',
  null,
  7,
];

/**
 * A cursor shaped like a list's own (sort name, value, id) with a wrong value or id. The sort
 * name is the request's own, filled in when sent (see forgedCursorText), so the cursor gets
 * past the sort check to the parts that reach SQL.
 */
export class ForgedCursor {
  constructor(
    readonly value: unknown,
    readonly id: unknown,
  ) {}
}

export const forgedCursorText = (cursor: ForgedCursor, sort: string): string => encodeCursor([sort, cursor.value, cursor.id]);

/** Forged cursors and garbled ones. */
export const forgedCursor: fc.Arbitrary<ForgedCursor | string> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...cursorValues), fc.constantFrom(...cursorIds)).map(([value, id]) => new ForgedCursor(value, id)) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...knownSortNames), fc.constantFrom(...cursorValues), fc.constantFrom(...cursorIds))
      .map((parts) => encodeCursor(parts)),
  },
  { weight: 1, arbitrary: fc.constantFrom('%%%', '====', 'e30', encodeCursor({}), encodeCursor([]), encodeCursor(['createdAt']), encodeCursor(null)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }).map((text) => Buffer.from(text).toString('base64url')) },
);
