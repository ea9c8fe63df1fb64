import fc from 'fast-check';

/*
 * fast-check arbitraries built from the OpenAPI document's JSON schemas (OpenAPI 3.0:
 * nullable, anyOf, enum, formats uuid/date/date-time/email, patterns, bounds), mixed with
 * hostile values: NUL, lone surrogates, huge numbers, forged cursors, prototype keys, year 0
 * and 9999+, very long strings and wrong types. Values that depend on the run's state (ids
 * of records that exist, cursors lists served) are drawn as PoolRefs and resolved when the
 * request is sent, so a seed always generates the same requests.
 */

export type JsonSchema = {
  type?: string;
  format?: string;
  pattern?: string;
  enum?: unknown[];
  nullable?: boolean;
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  description?: string;
};

/** A value taken from a pool of the run's state when the request is sent. */
export class PoolRef {
  constructor(
    readonly pool: string,
    readonly index: number,
  ) {}
}

/** Query or path text sent exactly as written (already percent-encoded, perhaps badly). */
export class RawText {
  constructor(readonly text: string) {}
}

/** How often (in percent) a value is replaced by a hostile one. */
export type Hostility = 0 | 3 | 15;

const encodeCursor = (parts: unknown) => Buffer.from(JSON.stringify(parts)).toString('base64url');
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

const hostileKeys = ['__proto__', 'constructor', 'prototype', 'toString', 'a\u0000b', '\uD800', '', 'x'.repeat(300)];

/** A hostile value of any kind; strings, numbers and wrong types alike. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...hostileStrings) },
  { weight: 3, arbitrary: fc.constantFrom(...hostileNumbers) },
  { weight: 2, arbitrary: fc.constantFrom(...wrongTypes) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom(new RawText('%ED%A0%80'), new RawText('%'), new RawText('%zz'), new RawText('%00'), new RawText('%C0%80')) },
);

// Years the database and JavaScript both hold, in the past (events may not lie in the future).
const plausibleDate = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2024-12-31T23:59:59Z'), noInvalidDate: true });
const dateTime = fc.oneof(
  plausibleDate.map((date) => date.toISOString()),
  fc.tuple(plausibleDate, fc.constantFrom('+02:00', '-05:00', '+14:00', 'Z')).map(([date, offset]) => date.toISOString().replace(/\.\d{3}Z$/, offset)),
  fc.constantFrom('0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '9999-12-31T23:59:59+01:00'),
);
const calendarDate = fc.oneof(
  plausibleDate.map((date) => date.toISOString().slice(0, 10)),
  fc.constantFrom('0001-01-01', '9999-12-31', '2024-02-29'),
);

/** "One of createdAt, updatedAt; prefix - for descending" → the names a sort parameter documents. */
export function documentedSorts(description: string | undefined): string[] {
  const match = /One of ([^;.]+)/.exec(description ?? '');
  return match
    ? match[1]
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean)
    : [];
}

/** Arbitraries by property name, where the name says more than the schema (ids, cursors, keys). */
export type NamedArbitraries = Record<string, fc.Arbitrary<unknown>>;

export const poolRef = (pool: string) => fc.nat().map((index) => new PoolRef(pool, index));

function stringArbitrary(schema: JsonSchema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.min(schema.maxLength ?? 60, 60);
  if (schema.format === 'uuid') return fc.uuid({ version: 7 });
  if (schema.format === 'date-time') return dateTime;
  if (schema.format === 'date') return calendarDate;
  if (schema.format === 'email') return fc.emailAddress().filter((email) => email.length <= (schema.maxLength ?? 254));
  if (schema.pattern) {
    try {
      return fc.stringMatching(new RegExp(schema.pattern), { size: 'xsmall' }).filter((text) => text.length <= (schema.maxLength ?? Infinity));
    } catch {
      // Patterns fast-check cannot generate from fall back to free text.
    }
  }
  const edges =
    schema.maxLength !== undefined && schema.maxLength <= 20_000 ? [fc.constant('x'.repeat(schema.maxLength)), fc.constant('é'.repeat(schema.maxLength))] : [];
  return fc.oneof(
    { weight: 6, arbitrary: fc.string({ minLength, maxLength: Math.max(minLength, maxLength) }) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength, maxLength: Math.max(minLength, maxLength) }) },
    ...edges.map((arbitrary) => ({ weight: 1, arbitrary })),
  );
}

function integerArbitrary(schema: JsonSchema): fc.Arbitrary<number> {
  const min = schema.minimum ?? -1_000_000;
  const max = schema.maximum ?? 1_000_000;
  const small = fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, 2 ** 31 - 1) });
  return fc.oneof({ weight: 5, arbitrary: small }, { weight: 1, arbitrary: fc.constantFrom(min, max) });
}

/**
 * How a request's values are generated: `hostility` percent of values hostile at every level,
 * or (with `target`) exactly one hostile value at that path and everything else valid, so the
 * one fault gets past the other checks to wherever it would do harm.
 */
export type Generation = { hostility: Hostility; named: NamedArbitraries; target?: string };

/** A value for `schema` at `path` (e.g. body.lines[].name); `name` is its property or parameter name. */
export function schemaArbitrary(schema: JsonSchema, generation: Generation, path: string, name?: string): fc.Arbitrary<unknown> {
  const valid = validArbitrary(schema, generation, path, name);
  if (generation.target === path) return hostileFor(schema, valid, name);
  if (generation.hostility === 0) return valid;
  return fc.oneof({ weight: 100 - generation.hostility, arbitrary: valid }, { weight: generation.hostility, arbitrary: hostileFor(schema, valid, name) });
}

/** Whether the target lies at or below `path`, so the value there must be generated. */
export const holdsTarget = (generation: Generation, path: string): boolean =>
  generation.target !== undefined && (generation.target === path || generation.target.startsWith(`${path}.`) || generation.target.startsWith(`${path}[]`));

/** Every path in `schema` a single hostile value can be aimed at, with the schema there. */
export function targetsOf(schema: JsonSchema, path: string, depth = 0): Array<[string, JsonSchema]> {
  if (depth > 4) return [[path, schema]];
  const nested = [
    ...Object.entries(schema.properties ?? {}).flatMap(([key, property]) => targetsOf(property, `${path}.${key}`, depth + 1)),
    ...(schema.type === 'array' && schema.items ? targetsOf(schema.items, `${path}[]`, depth + 1) : []),
    ...(typeof schema.additionalProperties === 'object' ? targetsOf(schema.additionalProperties, `${path}.*`, depth + 1) : []),
  ];
  return [[path, schema], ...nested];
}

const unstorableCharacters = ['\u0000', '\uD800', '\uDC00', '\uDBFF'];
const prototypeNames = ['__proto__', '-__proto__', 'constructor', '-constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype', '-'];
const hostileInstants = [
  '0000-01-01T00:00:00Z',
  '0000-12-31T23:59:59.999Z',
  '9999-12-31T23:59:59-05:00',
  '9999-12-31T23:59:59.999-14:00',
  '0000-01-01T00:30:00+01:00',
  '1970-01-01T00:00:00Z',
];
const hostileDates = ['0000-01-01', '0000-02-29', '9999-12-31', '0001-01-01', '2023-02-29'];

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

/**
 * Hostile values aimed at the schema: an otherwise valid value with NUL or a lone surrogate
 * inside, dates PostgreSQL cannot hold, huge numbers, prototype names as sort keys, forged
 * cursors; and now and then any hostile value at all.
 */
function hostileFor(schema: JsonSchema, valid: fc.Arbitrary<unknown>, name: string | undefined): fc.Arbitrary<unknown> {
  if (name === 'sort') return fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...prototypeNames) }, { weight: 1, arbitrary: hostileValue });
  if (name === 'cursor') return fc.oneof({ weight: 5, arbitrary: forgedCursor }, { weight: 1, arbitrary: hostileValue });
  const aimed: Array<fc.Arbitrary<unknown>> = [];
  if (schema.type === 'string' || schema.anyOf) {
    aimed.push(
      fc.tuple(valid, fc.constantFrom(...unstorableCharacters), fc.nat()).map(([value, bad, at]) => {
        const text = typeof value === 'string' ? value : 'x';
        const position = at % (text.length + 1);
        return `${text.slice(0, position)}${bad}${text.slice(position)}`;
      }),
    );
    if (schema.format === 'date-time') aimed.push(fc.constantFrom(...hostileInstants));
    if (schema.format === 'date') aimed.push(fc.constantFrom(...hostileDates));
  }
  if (schema.type === 'integer' || schema.type === 'number') aimed.push(fc.constantFrom(...hostileNumbers));
  if (aimed.length === 0) return hostileValue;
  return fc.oneof({ weight: 3, arbitrary: fc.oneof(...aimed) }, { weight: 1, arbitrary: hostileValue });
}

function validArbitrary(schema: JsonSchema, generation: Generation, path: string, name: string | undefined): fc.Arbitrary<unknown> {
  const base = plainArbitrary(schema, generation, path, name);
  // A name describes the text or number it holds: for an array, its items.
  const { named } = generation;
  const byName = name !== undefined && schema.type !== 'array' && schema.type !== 'object' && Object.hasOwn(named, name) ? named[name] : undefined;
  // All-valid requests use the named value; the others mix in free values of the schema's type.
  const allValid = generation.hostility === 0 && generation.target === undefined;
  const withName = byName ? (allValid ? byName : fc.oneof({ weight: 3, arbitrary: byName }, { weight: 1, arbitrary: base })) : base;
  return schema.nullable && !holdsTarget(generation, path) ? fc.option(withName, { nil: null, freq: 6 }) : withName;
}

function plainArbitrary(schema: JsonSchema, generation: Generation, path: string, name: string | undefined): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((option) => schemaArbitrary(option, generation, path, name)));
  switch (schema.type) {
    case 'string':
      if (name === 'sort') {
        const sorts = documentedSorts(schema.description);
        if (sorts.length > 0) return fc.tuple(fc.constantFrom(...sorts), fc.boolean()).map(([sort, descending]) => (descending ? `-${sort}` : sort));
      }
      return stringArbitrary(schema);
    case 'integer':
      return integerArbitrary(schema);
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e9, max: schema.maximum ?? 1e9, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const itemPath = `${path}[]`;
      const minLength = Math.max(schema.minItems ?? 0, holdsTarget(generation, itemPath) ? 1 : 0);
      return fc.array(schemaArbitrary(schema.items ?? {}, generation, itemPath, name), {
        minLength,
        maxLength: Math.max(minLength, Math.min(schema.maxItems ?? 4, 4)),
      });
    }
    case 'object':
      return objectArbitrary(schema, generation, path);
    default:
      return fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean(), fc.constant(null));
  }
}

function objectArbitrary(schema: JsonSchema, generation: Generation, path: string): fc.Arbitrary<unknown> {
  const { hostility } = generation;
  const properties = schema.properties ?? {};
  const names = Object.keys(properties);
  let object: fc.Arbitrary<Record<string, unknown>>;
  if (names.length > 0) {
    const model = Object.fromEntries(names.map((key) => [key, schemaArbitrary(properties[key], generation, `${path}.${key}`, key)]));
    const required = (schema.required ?? []).filter((key) => names.includes(key));
    // Leave out a required property now and then; always send the one that holds the target.
    const requiredKeys = [...(hostility > 0 ? required.slice(0, -1) : required), ...names.filter((key) => holdsTarget(generation, `${path}.${key}`))];
    object = fc.record(model, { requiredKeys: [...new Set(requiredKeys)] }) as fc.Arbitrary<Record<string, unknown>>;
  } else if (typeof schema.additionalProperties === 'object') {
    const entryPath = `${path}.*`;
    const keys = fc.oneof(
      { weight: 4, arbitrary: fc.stringMatching(/^[a-z][a-z0-9_]{0,12}$/) },
      { weight: 2, arbitrary: poolRef('customFieldKeys') },
      { weight: hostility > 0 ? 1 : 0, arbitrary: fc.constantFrom(...hostileKeys) },
    );
    object = fc
      .array(fc.tuple(keys, schemaArbitrary(schema.additionalProperties, generation, entryPath)), {
        minLength: holdsTarget(generation, entryPath) ? 1 : 0,
        maxLength: 4,
      })
      // A key drawn from a pool is marked "@n" with { ref, value } and replaced when sent (resolvePoolRefs).
      .map((entries) =>
        entries.reduce<Record<string, unknown>>(
          (built, [key, value], index) => (key instanceof PoolRef ? withOwnKey(built, `@${index}`, { ref: key, value }) : withOwnKey(built, key, value)),
          {},
        ),
      );
  } else {
    object = fc.constant({});
  }
  if (hostility === 0 && generation.target !== path) return object;
  // An extra property the schema does not allow, named like a prototype property: always when
  // the object itself is the target, else now and then.
  const extra = fc.tuple(fc.constantFrom(...hostileKeys, 'unexpected'), hostileValue);
  const maybeExtra = generation.target === path ? extra : fc.option(extra, { freq: Math.round(100 / Math.max(hostility, 1)) });
  return fc.tuple(object, maybeExtra).map(([built, added]) => (added ? withOwnKey(built, added[0], added[1]) : built));
}

/** Replaces every PoolRef (as a value, or as an object key marked "@n" with { ref, value }) by a pooled value. */
export function resolvePoolRefs(value: unknown, pick: (ref: PoolRef) => unknown, depth = 0): unknown {
  if (value instanceof PoolRef) return pick(value);
  if (depth > 50 || typeof value !== 'object' || value === null || value instanceof RawText || value instanceof ForgedCursor) return value;
  if (Array.isArray(value)) return value.map((item) => resolvePoolRefs(item, pick, depth + 1));
  let resolved: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const marked = key.startsWith('@') && typeof item === 'object' && item !== null && (item as { ref?: unknown }).ref instanceof PoolRef;
    if (marked) {
      const { ref, value: inner } = item as { ref: PoolRef; value: unknown };
      resolved = withOwnKey(resolved, String(pick(ref)), resolvePoolRefs(inner, pick, depth + 1));
    } else {
      resolved = withOwnKey(resolved, key, resolvePoolRefs(item, pick, depth + 1));
    }
  }
  return resolved;
}
