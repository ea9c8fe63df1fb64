import fc from 'fast-check';
import { forgedCursor } from './forgedCursors.ts';
import {
  hostileDates,
  hostileInstants,
  hostileKeys,
  hostileNumbers,
  hostileValue,
  prototypeNames,
  unstorableCharacters,
  withOwnKey,
  type Hostility,
} from './hostileValues.ts';
import { PoolRef, poolRef } from './poolRefs.ts';

/*
 * fast-check arbitraries built from the OpenAPI document's JSON schemas (OpenAPI 3.0:
 * nullable, anyOf, enum, formats uuid/date/date-time/email, patterns, bounds), mixed with
 * hostile values (hostileValues.ts) aimed at each schema. Values that depend on the run's
 * state are drawn as PoolRefs (poolRefs.ts).
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
