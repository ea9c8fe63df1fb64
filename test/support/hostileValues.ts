import fc from 'fast-check';

/*
 * Hostile values for the API fuzzer: NUL, lone surrogates, huge numbers, forged cursor text,
 * prototype keys, year 0 and 9999+, very long strings and wrong types.
 */

/** Query or path text sent exactly as written (already percent-encoded, perhaps badly). */
export class RawText {
  constructor(readonly text: string) {}
}

/** How often (in percent) a value is replaced by a hostile one. */
export type Hostility = 0 | 3 | 15;

/** A cursor as lists encode theirs: JSON, base64url. */
export const encodeCursor = (parts: unknown) => Buffer.from(JSON.stringify(parts)).toString('base64url');
const someUuid = '0190c1f0-0000-7000-8000-000000000000';

export const hostileStrings: string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDC00y',
  '\uDBFF\uDBFF',
  '😀👍🏽',
  '\u202Eevil',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '-__proto__',
  '0000-01-01T00:00:00Z',
  '0000-01-01T00:00:00.000Z',
  '9999-12-31T23:59:59-05:00',
  '+275760-09-13T00:00:00.000Z',
  '-000001-01-01T00:00:00.000Z',
  '0000-01-01',
  '9999-12-31',
  '2024-02-30',
  'NaN',
  'Infinity',
  '-1',
  '1e400',
  '9223372036854775808',
  '-9223372036854775809',
  "' or 1=1 --",
  '%00',
  '../../etc/passwd',
  'x'.repeat(3_000),
  'é'.repeat(2_000),
  'x'.repeat(100_000),
  // Cursors: garbled, forged with wrong kinds, out-of-range times, huge numbers.
  '%%%not-base64',
  Buffer.from('\u0001garbage').toString('base64url'),
  encodeCursor({ sort: 'createdAt', value: 1, id: someUuid }),
  encodeCursor(['createdAt', 'banana', someUuid]),
  encodeCursor(['createdAt', '0000-01-01T00:00:00.000Z', someUuid]),
  encodeCursor(['-createdAt', '+010000-01-01T00:00:00.000Z', someUuid]),
  encodeCursor(['created_at', '2024-01-01T00:00:00.000Z', 'not-a-uuid']),
  encodeCursor(['amount', 1e308, someUuid]),
  encodeCursor(['totalMinor', 1.5, someUuid]),
  encodeCursor(['name', 'a\u0000b', someUuid]),
  encodeCursor(['expectedCloseDate', '0000-01-01', someUuid]),
  encodeCursor(['sequence', -1e300, '1']),
  encodeCursor(['search:id', { $gt: 1 }, someUuid]),
  encodeCursor(['-occurred_at', [1, 2], someUuid]),
];

export const hostileNumbers: number[] = [
  0,
  -0,
  -1,
  1.5,
  -1.5,
  2 ** 31,
  2 ** 31 - 1,
  2 ** 53 + 2,
  Number.MAX_SAFE_INTEGER,
  -Number.MAX_SAFE_INTEGER,
  2 ** 63,
  -(2 ** 63),
  1e20,
  1e308,
  -1e308,
  5e-324,
];

/** Nested arrays deeper than any Candor body. */
const deepNest = (depth: number): unknown => (depth === 0 ? 'bottom' : [deepNest(depth - 1)]);

export const wrongTypes: unknown[] = [
  null,
  true,
  false,
  {},
  [],
  [null],
  { nested: { deeper: ['x'] } },
  deepNest(40),
  Object.fromEntries(Array.from({ length: 200 }, (_, index) => [`k${index}`, index])),
];

/** An object with an own property of a name a careless lookup would inherit. */
export function withOwnKey(object: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...object };
  Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true });
  return copy;
}

export const hostileKeys = ['__proto__', 'constructor', 'prototype', 'toString', 'a\u0000b', '\uD800', '', 'x'.repeat(300)];

/** A hostile value of any kind; strings, numbers and wrong types alike. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...hostileStrings) },
  { weight: 3, arbitrary: fc.constantFrom(...hostileNumbers) },
  { weight: 2, arbitrary: fc.constantFrom(...wrongTypes) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom(new RawText('%ED%A0%80'), new RawText('%'), new RawText('%zz'), new RawText('%00'), new RawText('%C0%80')) },
);

export const unstorableCharacters = ['\u0000', '\uD800', '\uDC00', '\uDBFF'];
export const prototypeNames = ['__proto__', '-__proto__', 'constructor', '-constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype', '-'];
export const hostileInstants = [
  '0000-01-01T00:00:00Z',
  '0000-12-31T23:59:59.999Z',
  '9999-12-31T23:59:59-05:00',
  '9999-12-31T23:59:59.999-14:00',
  '0000-01-01T00:30:00+01:00',
  '1970-01-01T00:00:00Z',
];
export const hostileDates = ['0000-01-01', '0000-02-29', '9999-12-31', '0001-01-01', '2023-02-29'];
