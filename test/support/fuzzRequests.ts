import fc from 'fast-check';
import { roles, type Role } from '../../src/shared/roles.ts';
import { hostileStrings, RawText } from './hostileValues.ts';
import { holdsTarget, schemaArbitrary, targetsOf, type Generation, type JsonSchema, type NamedArbitraries } from './openApiArbitraries.ts';
import { poolRef, type PoolRef } from './poolRefs.ts';

/*
 * Requests for the API fuzzer, one operation of the OpenAPI document at a time: path, query
 * and body from the operation's schemas, sent as one of the workspace's roles, a session, a
 * forged key or nobody, with or without a purpose, If-Match and Idempotency-Key.
 */

type Parameter = { name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema?: JsonSchema };
export type Operation = {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The OpenAPI path, e.g. /api/v1/contacts/{id}. */
  path: string;
  /** The first segment after /api/v1, e.g. contacts: which pool its ids join. */
  resource: string;
  parameters: Parameter[];
  body?: { contentType: string; schema: JsonSchema };
  /** The statuses the document lists for the operation's responses. */
  documentedStatuses: string[];
};

export type Credential = { kind: 'key'; role: Role } | { kind: 'session' } | { kind: 'none' } | { kind: 'garbage'; value: string };

export type FuzzRequest = {
  operation: Operation;
  credential: Credential;
  /** 'role default' sends the role's usual purpose (testApp.ts; admin for a session); null sends none. */
  purpose: string | PoolRef | null;
  headers: Record<string, string>;
  pathParams: Record<string, unknown>;
  query: Array<[string, unknown]>;
  body?: { contentType: string; value: unknown };
};

type OpenApiDocument = {
  paths: Record<
    string,
    Record<string, { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: JsonSchema }> }; responses: Record<string, unknown> }>
  >;
};

export function operationsOf(document: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const content = operation.requestBody?.content ?? {};
      const [contentType] = Object.keys(content);
      operations.push({
        method: method.toUpperCase() as Operation['method'],
        path,
        resource: path.replace(/^\/api\/v1\//, '').split('/')[0],
        parameters: operation.parameters ?? [],
        documentedStatuses: Object.keys(operation.responses),
        ...(contentType ? { body: { contentType, schema: content[contentType].schema ?? {} } } : {}),
      });
    }
  }
  return operations;
}

const someOf = <T>(values: readonly T[]) => fc.constantFrom(...values);
const nonAdminRoles = roles.filter((role) => role !== 'admin');

// Ids by the property that holds them; a pool is filled as the fuzzer creates records.
const idPools: Record<string, string> = {
  contactId: 'contacts',
  contactIds: 'contacts',
  duplicateId: 'contacts',
  companyId: 'companies',
  companyIds: 'companies',
  dealId: 'deals',
  dealIds: 'deals',
  ownerId: 'users',
  assigneeId: 'users',
  pipelineId: 'pipelines',
  stageId: 'stages',
  subjectId: 'contacts',
};

function namedArbitraries(): NamedArbitraries {
  const named: NamedArbitraries = Object.fromEntries(Object.entries(idPools).map(([name, pool]) => [name, poolRef(pool)]));
  return {
    ...named,
    id: poolRef('stages'),
    purposes: fc.oneof({ weight: 2, arbitrary: fc.constant('sales') }, { weight: 1, arbitrary: poolRef('purposeKeys') }),
    defaultPurpose: fc.oneof({ weight: 2, arbitrary: fc.constant('sales') }, { weight: 1, arbitrary: poolRef('purposeKeys') }),
    workspace: poolRef('workspaces'),
    email: fc.oneof(
      poolRef('emails'),
      fc.emailAddress().filter((email) => email.length <= 200),
    ),
    owner: poolRef('emails'),
    password: fc.constantFrom('correct horse battery staple', 'short'),
    url: fc.constantFrom('https://hooks.example.com/a', 'http://127.0.0.1:1/x', 'ftp://example.com', 'not a url'),
    eventTypes: someOf(['*', 'contact.created', 'deal.updated', 'company.deleted', 'nope']),
    anonymousId: someOf(['fuzz-visitor-1', 'fuzz-visitor-2']),
    orderNumber: fc.stringMatching(/^FUZZ-[0-9]{1,2}$/),
    dataCategory: someOf(['system.operations', 'user.contact.email', 'user.health_and_medical', 'user.name', 'nope.nope']),
    key: fc.stringMatching(/^[a-z][a-z0-9_]{0,15}$/),
    field: someOf(['email', 'phone', 'first_name', 'properties', 'anonymous_id', 'subject', 'nope']),
    pseudonym: fc.stringMatching(/^[0-9a-f]{32}$/),
    map: someOf(['Company=name', 'E-mail=email', 'unknown=']),
    skipInvalid: someOf(['true', 'false']),
    domain: someOf(['acme.example', 'example.com', 'sub.example.org', 'https://www.example.net/path']),
    phone: someOf(['+44 20 7946 0958', '+1 202 555 0143', '030 1234567']),
    firstName: someOf(['Ada', 'Grace', 'José', 'Zoë']),
    currency: someOf(['EUR', 'USD', 'GBP', 'JPY', 'XXX', 'ABC']),
    dataUse: someOf(['marketing.communications.email', 'essential.service', 'analytics.reporting', 'nope']),
    name: someOf(['Acme', 'Globex', 'Initech', 'Big deal', 'Pipeline']),
  };
}

/** Path parameters: a record that exists most of the time, else any id or a hostile value. */
function pathParameter(operation: Operation, parameter: Parameter, generation: Generation): fc.Arbitrary<unknown> {
  const schema = parameter.schema ?? { type: 'string' };
  const valid: Generation = { hostility: 0, named: generation.named };
  let existing: fc.Arbitrary<unknown>;
  if (parameter.name === 'id') existing = poolRef(operation.resource);
  else if (parameter.name === 'role')
    existing = someOf(nonAdminRoles); // the fuzzer's own admin keeps its grants
  else if (parameter.name === 'key') existing = poolRef(operation.resource === 'purposes' ? 'purposeKeys' : 'customFieldKeys');
  else existing = schemaArbitrary(schema, valid, `path.${parameter.name}`, parameter.name);
  const anyValid = schemaArbitrary({ ...schema, enum: parameter.name === 'role' ? undefined : schema.enum }, valid, `path.${parameter.name}`, parameter.name);
  const hostile = schemaArbitrary(schema, { ...generation, target: `path.${parameter.name}` }, `path.${parameter.name}`, parameter.name);
  if (generation.target === `path.${parameter.name}`) return hostile;
  return fc.oneof({ weight: 8, arbitrary: existing }, { weight: 2, arbitrary: anyValid }, { weight: generation.hostility > 0 ? 2 : 0, arbitrary: hostile });
}

// Columns an import recognises (its OpenAPI description lists them), each with values it accepts, and one it does not.
const csvColumns: Record<string, string[]> = {
  first_name: ['Ada', 'José'],
  last_name: ['Lovelace', 'Zoë'],
  email: ['ada.csv@example.test', 'jose.csv@example.test'],
  phone: ['+44 20 7946 0958', '+1 202 555 0143'],
  company_name: ['Acme', 'Globex'],
  lifecycle_stage: ['lead', 'Marketing Qualified Lead', 'customer'],
  created_at: ['2024-01-31', '2024-01-31T10:00:00Z'],
  name: ['Initech', 'Umbrella'],
  domain: ['initech.example', 'https://umbrella.example/'],
  industry: ['Retail', 'Software'],
  employee_count: ['12', '1,250'],
  annual_revenue: ['1,250,000', '99.5'],
  external_id: ['x-1', 'x-2'],
  unknown: ['anything'],
};
// Mostly a fitting value with NUL inside (the one character a UTF-8 file can carry that PostgreSQL cannot store).
const hostileCsvCell = (column: string) =>
  fc.oneof(
    {
      weight: 2,
      arbitrary: fc
        .tuple(someOf(csvColumns[column]), fc.nat())
        .map(([value, at]) => `${value.slice(0, at % (value.length + 1))}\u0000${value.slice(at % (value.length + 1))}`),
    },
    { weight: 2, arbitrary: someOf(['0000-01-01', '9999-12-31T23:00:00-05:00', '1e400', '-1', 'constructor', 'toString', '__proto__']) },
    { weight: 1, arbitrary: someOf(hostileStrings.filter((text) => text.length < 5_000)) },
  );
const quoteCell = (cell: string) => `"${cell.replaceAll('"', '""')}"`;

/** A CSV file whose cells fit their columns, with `hostileCells` in ten cells replaced by a hostile one. */
const csvBody = (hostileCells: number) =>
  fc
    .subarray(Object.keys(csvColumns), { minLength: 1 })
    .chain((columns) =>
      fc
        .array(
          fc.tuple(
            ...columns.map((column) =>
              fc.oneof({ weight: 10 - hostileCells, arbitrary: someOf(csvColumns[column]) }, { weight: hostileCells, arbitrary: hostileCsvCell(column) }),
            ),
          ),
          { minLength: 1, maxLength: 5 },
        )
        .map((rows) => [columns.join(','), ...rows.map((row) => row.map(quoteCell).join(','))].join('\n')),
    );

const rawJsonBodies = [
  '{"firstName":',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '[]',
  '"text"',
  'null',
  `{"a":${'['.repeat(5_000)}${']'.repeat(5_000)}}`,
  '\u0000',
];

function bodyArbitrary(operation: Operation, generation: Generation): fc.Arbitrary<FuzzRequest['body']> {
  const body = operation.body;
  if (!body) return fc.constant(undefined);
  if (body.contentType === 'text/csv') {
    const hostileCells = generation.target === 'body' ? 3 : generation.hostility > 0 ? 2 : 0;
    return csvBody(hostileCells).map((value) => ({ contentType: 'text/csv', value }));
  }
  const generated = schemaArbitrary(body.schema, generation, 'body').map((value) => ({ contentType: 'application/json', value }));
  if (generation.hostility === 0) return generated;
  return fc.oneof(
    { weight: 40, arbitrary: generated },
    { weight: 1, arbitrary: someOf(rawJsonBodies).map((text) => ({ contentType: 'application/json', value: new RawText(text) })) },
  );
}

// Requests aimed at one place come from someone the app lets in, so the one fault is what it meets.
const validCredential: fc.Arbitrary<Credential> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: 'key', role: 'admin' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'session' } as const) },
);

const credential: fc.Arbitrary<Credential> = fc.oneof(
  { weight: 10, arbitrary: fc.constant({ kind: 'key', role: 'admin' } as const) },
  { weight: 4, arbitrary: fc.constant({ kind: 'session' } as const) },
  { weight: 4, arbitrary: someOf(nonAdminRoles).map((role) => ({ kind: 'key', role }) as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'none' } as const) },
  {
    weight: 1,
    arbitrary: someOf(['Bearer cnd_x_y', 'Bearer ', 'Basic abc', `Bearer cnd_${'0'.repeat(300)}_x`, 'Bearer cnd_\u00e9_x']).map(
      (value) => ({ kind: 'garbage', value }) as const,
    ),
  },
);

const hostilePurposes = ['no_such_purpose', 'x'.repeat(150), '__proto__', 'sales\u0000', '\uD800', ''];
function purposeHeader(generation: Generation): fc.Arbitrary<string | PoolRef | null> {
  if (generation.target === 'header.candor-purpose') return someOf(hostilePurposes);
  // A request aimed elsewhere acts for a purpose its role is granted, so the fault is what it meets.
  if (generation.target) return fc.constant('role default');
  return fc.oneof(
    { weight: 12, arbitrary: fc.constant('role default') },
    { weight: 3, arbitrary: poolRef('purposeKeys') },
    { weight: 2, arbitrary: fc.constant(null) },
    { weight: generation.hostility > 0 ? 1 : 0, arbitrary: someOf(hostilePurposes) },
  );
}

// "current" is the version last served for the record in the path, filled in when sent.
const validIfMatch = fc.oneof({ weight: 4, arbitrary: fc.constant('current') }, { weight: 1, arbitrary: someOf(['"1"', '"2"', 'W/"1"']) });
const hostileIfMatch = someOf(['"0"', '"99999999999999999999"', '"-1"', 'garbage', '*', '"1"\u0000']);
const validIdempotencyKey = fc.stringMatching(/^[a-z0-9-]{8,24}$/);
const hostileIdempotencyKey = someOf(['', 'x'.repeat(5_000), 'key\u0000', '\uD800']);

function optionalHeaders(generation: Generation): fc.Arbitrary<Record<string, string>> {
  const { hostility, target } = generation;
  const header = (name: string, valid: fc.Arbitrary<string>, hostile: fc.Arbitrary<string>) =>
    target === `header.${name}` ? hostile : fc.oneof({ weight: 20, arbitrary: valid }, { weight: hostility > 0 ? 2 : 0, arbitrary: hostile });
  return fc
    .record(
      {
        'if-match': header('if-match', validIfMatch, hostileIfMatch),
        'idempotency-key': header('idempotency-key', validIdempotencyKey, hostileIdempotencyKey),
      },
      {
        requiredKeys:
          target?.startsWith('header.') && target !== 'header.candor-purpose' ? [target.slice('header.'.length) as 'if-match' | 'idempotency-key'] : [],
      },
    )
    .map((headers) => headers as Record<string, string>);
}

/**
 * Every place of an operation one hostile value can be aimed at (parameters, body paths,
 * headers), weighted towards those that reach SQL as something other than plain text:
 * cursors, sort names, dates and numbers.
 */
function targetsOfOperation(operation: Operation): Array<{ target: string; weight: number }> {
  const schemaAt = new Map<string, JsonSchema>();
  for (const parameter of operation.parameters) if (parameter.in !== 'header') schemaAt.set(`${parameter.in}.${parameter.name}`, parameter.schema ?? {});
  if (operation.body?.contentType === 'application/json') for (const [path, schema] of targetsOf(operation.body.schema, 'body')) schemaAt.set(path, schema);
  const weightOf = (path: string, schema: JsonSchema) => {
    if (/\.(cursor|sort)$/.test(path)) return 6;
    if (schema.format === 'date-time' || schema.format === 'date' || schema.type === 'integer' || schema.type === 'number') return 3;
    return 2;
  };
  return [
    ...[...schemaAt].map(([target, schema]) => ({ target, weight: weightOf(target, schema) })),
    // A file body is one target: its cells.
    ...(operation.body?.contentType === 'text/csv' ? [{ target: 'body', weight: 6 }] : []),
    { target: 'header.candor-purpose', weight: 1 },
    { target: 'header.if-match', weight: 1 },
    { target: 'header.idempotency-key', weight: 1 },
  ];
}

function operationRequest(operation: Operation, generation: Generation): fc.Arbitrary<FuzzRequest> {
  const pathParameters = operation.parameters.filter((parameter) => parameter.in === 'path');
  const queryParameters = operation.parameters.filter((parameter) => parameter.in === 'query');
  // Lists paginate with the cursors they served themselves, now and then with another list's.
  const cursor = fc.oneof({ weight: 6, arbitrary: poolRef(`cursors ${operation.path}`) }, { weight: 1, arbitrary: poolRef('cursors') });
  const inOperation: Generation = { ...generation, named: { ...generation.named, cursor } };
  const pathParams = fc.record(Object.fromEntries(pathParameters.map((parameter) => [parameter.name, pathParameter(operation, parameter, inOperation)])));
  // A required parameter (or the target) is nearly always sent, an optional one a quarter of the time.
  const sometimes = (parameter: Parameter) => {
    const value = schemaArbitrary(parameter.schema ?? {}, inOperation, `query.${parameter.name}`, parameter.name);
    if (holdsTarget(inOperation, `query.${parameter.name}`)) return value;
    return fc.oneof({ weight: parameter.required ? 1 : 3, arbitrary: fc.constant(undefined) }, { weight: parameter.required ? 9 : 1, arbitrary: value });
  };
  const query = fc
    .tuple(...queryParameters.map(sometimes))
    .map((values) => values.flatMap((value, index): Array<[string, unknown]> => (value === undefined ? [] : [[queryParameters[index].name, value]])));
  return fc.record({
    operation: fc.constant(operation),
    credential: operation.path.startsWith('/api/v1/auth/')
      ? fc.oneof({ weight: 3, arbitrary: fc.constant({ kind: 'none' } as const) }, { weight: 1, arbitrary: credential })
      : generation.target
        ? validCredential
        : credential,
    purpose: purposeHeader(inOperation),
    headers: optionalHeaders(inOperation),
    pathParams,
    query,
    body: bodyArbitrary(operation, inOperation),
  });
}

/**
 * Any operation, sent one of three ways: all valid (a quarter), with exactly one hostile value
 * aimed at one parameter, body path or header (half), or hostile all over (15% of values).
 */
export function requestArbitrary(operations: Operation[]): fc.Arbitrary<FuzzRequest> {
  const named = namedArbitraries();
  return fc.oneof(
    ...operations.map((operation) => {
      const targets = targetsOfOperation(operation);
      const aimed = fc
        .oneof(...targets.map(({ target, weight }) => ({ weight, arbitrary: fc.constant(target) })))
        .chain((target) => operationRequest(operation, { hostility: 0, named, target }));
      return fc.oneof(
        { weight: 1, arbitrary: operationRequest(operation, { hostility: 0, named }) },
        { weight: 2, arbitrary: aimed },
        { weight: 1, arbitrary: operationRequest(operation, { hostility: 15, named }) },
      );
    }),
  );
}

/** Percent-encodes text as UTF-8 (a lone surrogate becomes U+FFFD, as it would on the wire). */
function percentEncode(value: unknown): string {
  if (value instanceof RawText) return value.text;
  const text = typeof value === 'string' ? value : value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  let encoded = '';
  for (const byte of Buffer.from(text, 'utf8'))
    encoded += /[A-Za-z0-9\-._~]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  return encoded;
}

export function urlOf(request: Pick<FuzzRequest, 'operation' | 'pathParams' | 'query'>): string {
  const path = request.operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const encoded = percentEncode(request.pathParams[name]);
    return encoded === '' ? 'x' : encoded;
  });
  const pairs = request.query.flatMap(([name, value]) =>
    Array.isArray(value) ? value.map((item) => `${name}=${percentEncode(item)}`) : [`${name}=${percentEncode(value)}`],
  );
  return pairs.length > 0 ? `${path}?${pairs.join('&')}` : path;
}

/** The body as sent: JSON text (own "__proto__" keys included), raw text, or the CSV file. */
export function bodyText(body: NonNullable<FuzzRequest['body']>): string {
  if (body.value instanceof RawText) return body.value.text;
  if (body.contentType === 'text/csv') return String(body.value);
  return JSON.stringify(body.value) ?? 'null';
}
