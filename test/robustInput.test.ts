import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import Fastify, { type InjectOptions, type LightMyRequestResponse } from 'fastify';
import { sql } from 'drizzle-orm';
import { registerProblemHandler } from '../src/http/problem.ts';
import { consentingVisitors } from './support/consentingVisitors.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

/*
 * Hostile input never reaches the database as a 500: forged cursors, NUL and lone
 * surrogates, prototype keys as sort names, dates PostgreSQL cannot store and numbers that
 * overflow are refused as 4xx problem+json naming the field, without quoting the value.
 */

let t: TestApp;
let workspace: TestWorkspace;
let contactId: string;
let webhookId: string;
let visitorId: string;

const encode = (payload: unknown) => Buffer.from(JSON.stringify(payload)).toString('base64url');
const someUuid = '0190c1f0-0000-7000-8000-000000000000';

type Outcome = { status: number; type: string | undefined; fields: string[]; quoted: boolean };

/** What a refusal looks like, and whether the response repeats the hostile value. */
function outcomeOf(response: LightMyRequestResponse, hostile: string): Outcome {
  const body = response.headers['content-type']?.toString().startsWith('application/problem+json')
    ? (response.json() as { errors?: Array<{ field: string }> })
    : {};
  const raw = response.body;
  // A hostile value as it would appear in JSON text, escaped or not.
  const quoted = hostile.length >= 3 && (raw.includes(hostile) || raw.includes(JSON.stringify(hostile).slice(1, -1)));
  return {
    status: response.statusCode,
    type: response.headers['content-type']?.toString().split(';')[0],
    fields: (body.errors ?? []).map((error) => error.field),
    quoted,
  };
}

const refused = (field: string, status = 422): Outcome => ({ status, type: 'application/problem+json', fields: [field], quoted: false });

function asAdmin(options: InjectOptions & { purpose?: string }) {
  return t.request(workspace.keys.admin, options);
}

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
  contactId = (await asAdmin({ method: 'POST', url: '/api/v1/contacts', payload: { firstName: 'Robin' } })).json().data.id;
  webhookId = (await asAdmin({ method: 'POST', url: '/api/v1/webhooks', payload: { url: 'https://receiver.example.com/hook', eventTypes: ['*'] } })).json().data
    .id;
  await consentingVisitors(t.database, workspace.id, ['anon-robust-1']);
  const event = await asAdmin({
    method: 'POST',
    url: '/api/v1/events',
    purpose: 'web_analytics',
    payload: { type: 'page_view', occurredAt: '2024-01-01T00:00:00Z', anonymousId: 'anon-robust-1' },
  });
  visitorId = event.json().data.visitorId;
  expect([contactId, webhookId, visitorId].every((id) => typeof id === 'string')).toBe(true);
});
afterAll(() => t.close());

type CursorKind = 'timestamp' | 'number' | 'text' | 'date' | 'none';

/** Every list route that takes a cursor, with the sort order its cursor is made for and the kind of its value. */
function listRoutes(): Array<{ name: string; sort: string; kind: CursorKind; request: (cursor: string) => InjectOptions & { purpose?: string } }> {
  const get = (url: string, purpose?: string) => (cursor: string) => ({
    method: 'GET' as const,
    url: `${url}${url.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`,
    purpose,
  });
  return [
    { name: 'contacts', sort: 'createdAt', kind: 'timestamp', request: get('/api/v1/contacts?sort=createdAt') },
    {
      name: 'contact search',
      sort: 'search:id',
      kind: 'none',
      request: (cursor) => ({ method: 'POST', url: '/api/v1/contacts/search', payload: { name: 'Ro', cursor } }),
    },
    { name: 'companies', sort: 'name', kind: 'text', request: get('/api/v1/companies?sort=name') },
    { name: 'deals', sort: 'expectedCloseDate', kind: 'date', request: get('/api/v1/deals?sort=expectedCloseDate') },
    { name: 'deals by amount', sort: 'amount', kind: 'number', request: get('/api/v1/deals?sort=amount') },
    { name: 'activities', sort: '-occurredAt', kind: 'timestamp', request: get('/api/v1/activities') },
    { name: 'purchases', sort: 'totalMinor', kind: 'number', request: get('/api/v1/purchases?sort=totalMinor') },
    { name: 'users', sort: 'created_at', kind: 'timestamp', request: get('/api/v1/users') },
    { name: 'api keys', sort: 'created_at', kind: 'timestamp', request: get('/api/v1/api-keys') },
    { name: 'audit', sort: 'sequence', kind: 'number', request: get('/api/v1/audit') },
    { name: 'webhooks', sort: 'created_at', kind: 'timestamp', request: get('/api/v1/webhooks') },
    { name: 'webhook deliveries', sort: '-created_at', kind: 'timestamp', request: get(`/api/v1/webhooks/${webhookId}/deliveries`) },
    { name: 'contact events', sort: '-occurred_at', kind: 'timestamp', request: get(`/api/v1/contacts/${contactId}/events`, 'web_analytics') },
    { name: 'visitor events', sort: '-occurred_at', kind: 'timestamp', request: get(`/api/v1/visitors/${visitorId}/events`, 'web_analytics') },
  ];
}

// Values of the wrong kind for each kind of sort value.
const wrongValues: Record<CursorKind, Record<string, unknown>> = {
  timestamp: {
    text: 'banana',
    'a number': 123456789,
    'a date without time': '2024-01-01',
    'year 0000': '0000-01-01T00:00:00.000Z',
    'year 10000': '+010000-01-01T00:00:00.000Z',
  },
  number: { text: 'banana', 'a numeric string': '12', 'a fraction': 1.5, 'a huge number': 1e308 },
  text: { 'a number': 123, NUL: 'a\u0000b', 'a lone surrogate': '\uD800', 'very long text': 'x'.repeat(1_100) },
  date: { text: 'banana', 'a number': 20240101, 'year 0000': '0000-01-01', 'February 30th': '2024-02-30' },
  none: { text: 'banana', 'a number': 1 },
};

/** Cursors a client could forge or garble for a list sorted by `sort`. */
function forgedCursors(sort: string, kind: CursorKind): Record<string, string> {
  const value = kind === 'number' ? 1 : kind === 'none' ? null : kind === 'date' ? '2024-01-01' : kind === 'text' ? 'acme' : '2024-01-01T00:00:00.000Z';
  const forged: Record<string, string> = {
    'not base64': '%%%*not base64*',
    'base64 of garbage': Buffer.from('\u0001\u0002garbage').toString('base64url'),
    'an object instead of a tuple': encode({ sort, value, id: someUuid }),
    'a short tuple': encode([sort, value]),
    'a long tuple': encode([sort, value, someUuid, 'extra']),
    'another sort': encode([`${sort}x`, value, someUuid]),
    'an id that is not a uuid': encode([sort, value, 'not-a-uuid']),
    'NUL in the id': encode([sort, value, `${someUuid}\u0000`]),
    'an object as the value': encode([sort, { $gt: 1 }, someUuid]),
    'an array as the value': encode([sort, [1, 2], someUuid]),
  };
  for (const [label, wrong] of Object.entries(wrongValues[kind])) forged[`${kind} cursor with ${label}`] = encode([sort, wrong, someUuid]);
  return forged;
}

describe('forged and garbled cursors', () => {
  it('are refused with 422 naming cursor on every list route, never a 500 and never quoted', async () => {
    const outcomes: Record<string, Outcome> = {};
    const expected: Record<string, Outcome> = {};
    for (const route of listRoutes()) {
      for (const [label, cursor] of Object.entries(forgedCursors(route.sort, route.kind))) {
        const key = `${route.name}: ${label}`;
        outcomes[key] = outcomeOf(await asAdmin(route.request(cursor)), cursor);
        expected[key] = refused('cursor');
      }
    }
    expect(outcomes).toEqual(expected);
  });

  it('still accepts the cursor a list served', async () => {
    for (let index = 0; index < 3; index += 1) await asAdmin({ method: 'POST', url: '/api/v1/companies', payload: { name: `Page ${index}` } });
    const first = (await asAdmin({ method: 'GET', url: '/api/v1/companies?sort=name&limit=2' })).json();
    const next = await asAdmin({ method: 'GET', url: `/api/v1/companies?sort=name&limit=2&cursor=${first.nextCursor}` });
    expect(next.statusCode).toBe(200);
  });
});

describe('sort names that are prototype properties', () => {
  it('are refused with 422 naming sort, without repeating the name', async () => {
    const outcomes: Record<string, Outcome> = {};
    const expected: Record<string, Outcome> = {};
    for (const list of ['contacts', 'companies', 'deals', 'activities', 'purchases']) {
      for (const name of ['__proto__', '-__proto__', 'constructor', 'toString', '-hasOwnProperty', 'valueOf']) {
        const key = `${list}?sort=${name}`;
        outcomes[key] = outcomeOf(await asAdmin({ method: 'GET', url: `/api/v1/${list}?sort=${encodeURIComponent(name)}` }), name.replace(/^-/, ''));
        expected[key] = refused('sort');
      }
    }
    expect(outcomes).toEqual(expected);
  });
});

describe('text PostgreSQL cannot store: NUL and lone surrogates', () => {
  const hostileTexts = { NUL: 'Ro\u0000bin', 'a lone high surrogate': 'Ro\uD800bin', 'a lone low surrogate': 'Ro\uDC00bin' };

  it('are refused in a JSON body string, naming the field', async () => {
    for (const [label, text] of Object.entries(hostileTexts)) {
      const response = await asAdmin({ method: 'POST', url: '/api/v1/contacts', payload: { firstName: text } });
      expect({ label, ...outcomeOf(response, text) }).toEqual({ label, ...refused('firstName') });
    }
  });

  it('are refused in a nested value and in a property name, naming the path but not the name', async () => {
    const nested = await asAdmin({ method: 'POST', url: '/api/v1/companies', payload: { name: 'Nested', customFields: { note: ['ok', 'bad\u0000'] } } });
    expect(outcomeOf(nested, 'bad\u0000')).toEqual(refused('customFields.note.1'));
    const hostileKey = 'secret\u0000key';
    const keyed = await asAdmin({ method: 'POST', url: '/api/v1/companies', payload: { name: 'Keyed', customFields: { [hostileKey]: 1 } } });
    expect(outcomeOf(keyed, hostileKey)).toEqual(refused('customFields'));
  });

  it('refuses a body nested deeper than any Candor body, before code that recurses meets it', async () => {
    let deep: unknown = 'bottom';
    for (let level = 0; level < 40; level += 1) deep = [deep];
    const response = await asAdmin({
      method: 'POST',
      url: '/api/v1/companies',
      headers: { 'idempotency-key': 'deep-1' },
      payload: { name: 'Deep', customFields: { note: deep } },
    });
    const problem = response.json() as { errors?: Array<{ field: string; reason: string }> };
    expect({ status: response.statusCode, field: problem.errors?.[0]?.field.split('.').slice(0, 2).join('.'), reason: problem.errors?.[0]?.reason }).toEqual({
      status: 422,
      field: 'customFields.note',
      reason: 'nested more than 32 levels deep',
    });
  });

  it('are refused in a query filter, naming querystring and the parameter', async () => {
    const response = await asAdmin({ method: 'GET', url: '/api/v1/companies?industry=Ro%00bin' });
    expect(outcomeOf(response, 'Ro\u0000bin')).toEqual(refused('querystring.industry'));
    // A percent-encoded surrogate is not valid UTF-8: it arrives undecoded, as plain text.
    const surrogate = await asAdmin({ method: 'GET', url: '/api/v1/companies?industry=Ro%ED%A0%80bin' });
    expect(surrogate.statusCode).toBe(200);
  });

  it('are refused in a path parameter, naming params', async () => {
    const response = await asAdmin({ method: 'GET', url: '/api/v1/visitors/anon%00id', purpose: 'web_analytics' });
    expect(outcomeOf(response, 'anon\u0000id')).toEqual(refused('params.id'));
  });

  it('are refused in the unauthenticated login and password-reset bodies', async () => {
    for (const [label, text] of Object.entries(hostileTexts)) {
      const login = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { workspace: workspace.slug, email: text, password: 'correct horse battery staple' },
      });
      expect({ label, ...outcomeOf(login, text) }).toEqual({ label, ...refused('email') });
      const reset = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { workspace: text, email: 'someone@example.test' } });
      expect({ label, ...outcomeOf(reset, text) }).toEqual({ label, ...refused('workspace') });
    }
  });

  it("are refused in an API key's Candor-Purpose header, naming the header", async () => {
    const response = await asAdmin({ method: 'GET', url: '/api/v1/contacts', headers: { 'candor-purpose': 'sales\u0000' } });
    expect(outcomeOf(response, 'sales\u0000')).toEqual(refused('headers.candor-purpose'));
  });
});

describe('dates outside what PostgreSQL and JavaScript both hold', () => {
  const instants = { 'year 0000': '0000-01-01T00:00:00Z', 'year 10000 by offset': '9999-12-31T23:30:00-05:00' };

  it('are refused in activity and purchase bodies, naming the field', async () => {
    for (const [label, value] of Object.entries(instants)) {
      const activity = await asAdmin({
        method: 'POST',
        url: '/api/v1/activities',
        payload: { type: 'note', subject: 'Call', occurredAt: value, links: { contactIds: [contactId] } },
      });
      expect({ label, ...outcomeOf(activity, value) }).toEqual({ label, ...refused('occurredAt') });
      const purchase = await asAdmin({
        method: 'POST',
        url: '/api/v1/purchases',
        payload: { orderNumber: `Y-${label}`, currency: 'EUR', lines: [{ name: 'Thing', quantity: 1, unitPriceMinor: 100 }], purchasedAt: value },
      });
      expect({ label, ...outcomeOf(purchase, value) }).toEqual({ label, ...refused('purchasedAt') });
      const key = await asAdmin({ method: 'POST', url: '/api/v1/api-keys', payload: { name: 'Dated', role: 'sales', purposes: ['sales'], expiresAt: value } });
      expect({ label, ...outcomeOf(key, value) }).toEqual({ label, ...refused('expiresAt') });
    }
  });

  it('are refused in a query filter', async () => {
    const response = await asAdmin({ method: 'GET', url: `/api/v1/activities?dueBefore=${encodeURIComponent(instants['year 0000'])}` });
    expect(outcomeOf(response, instants['year 0000'])).toEqual(refused('querystring.dueBefore'));
  });

  it('refuses a deal closing in year 0000', async () => {
    const response = await asAdmin({ method: 'POST', url: '/api/v1/deals', payload: { name: 'Ancient', expectedCloseDate: '0000-01-01' } });
    expect(outcomeOf(response, '0000-01-01')).toEqual(refused('expectedCloseDate'));
  });

  it('refuses an event that occurred in year 0000', async () => {
    const response = await asAdmin({
      method: 'POST',
      url: '/api/v1/events',
      purpose: 'web_analytics',
      payload: { type: 'page_view', occurredAt: '0000-01-01T00:00:00.000Z', contactId },
    });
    expect(outcomeOf(response, '0000-01-01T00:00:00.000Z')).toEqual(refused('occurredAt'));
  });
});

describe('numbers too large to store', () => {
  it('refuses purchase lines whose total overflows, naming the line', async () => {
    const response = await asAdmin({
      method: 'POST',
      url: '/api/v1/purchases',
      payload: { orderNumber: 'HUGE-1', currency: 'EUR', lines: [{ name: 'Gold', quantity: 1_000_000, unitPriceMinor: Number.MAX_SAFE_INTEGER }] },
    });
    expect(outcomeOf(response, String(Number.MAX_SAFE_INTEGER))).toEqual(refused('lines.0'));
  });

  it('refuses an If-Match version beyond any stored version, naming If-Match', async () => {
    const response = await asAdmin({
      method: 'PATCH',
      url: `/api/v1/contacts/${contactId}`,
      headers: { 'if-match': '"99999999999999999999"' },
      payload: { lastName: 'Huge' },
    });
    expect(outcomeOf(response, '99999999999999999999')).toEqual(refused('If-Match'));
  });

  it('refuses a limit of 1e400, naming the parameter', async () => {
    const response = await asAdmin({ method: 'GET', url: '/api/v1/contacts?limit=1e400' });
    expect(outcomeOf(response, '1e400')).toEqual(refused('querystring.limit'));
  });
});

describe('database errors', () => {
  /** A bare app with the one problem handler and routes that run real statements on the test database. */
  async function appWithStatements() {
    const logs: string[] = [];
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => logs.push(chunk.toString('utf8')));
    const app = Fastify({ logger: { level: 'info', stream } });
    registerProblemHandler(app);
    app.get('/bad-uuid', async () => t.database.db.execute(sql`select ${secretValue}::uuid`));
    app.get('/bad-timestamp', async () => t.database.db.execute(sql`select ${'0000-01-01T00:00:00Z'}::timestamptz`));
    app.get('/nul', async () => t.database.db.execute(sql`select ${`${secretValue}\u0000`}::text`));
    app.get('/overflow', async () => t.database.db.execute(sql`select ${'99999999999999999999999'}::bigint`));
    app.get('/missing-table', async () => t.database.db.execute(sql`select * from no_such_table where name = ${secretValue}`));
    await app.ready();
    return { app, logs };
  }
  const secretValue = 'Private Person';

  it('answer a data exception (SQLSTATE class 22) from a request value with 422, without the value', async () => {
    const { app, logs } = await appWithStatements();
    const outcomes = [];
    for (const url of ['/bad-uuid', '/bad-timestamp', '/nul', '/overflow']) {
      const response = await app.inject({ method: 'GET', url });
      outcomes.push({ url, ...outcomeOf(response, secretValue), code: response.json().code });
    }
    await app.close();
    expect(outcomes).toEqual(['/bad-uuid', '/bad-timestamp', '/nul', '/overflow'].map((url) => ({ url, ...refused('request'), code: 'validation_failed' })));
    expect(logs.join('')).not.toContain(secretValue);
    expect(logs.join('')).toContain('"sqlState":"22');
  });

  it('answer every other database error with 500, logging the SQLSTATE but not the value', async () => {
    const { app, logs } = await appWithStatements();
    const response = await app.inject({ method: 'GET', url: '/missing-table' });
    await app.close();
    expect({ status: response.statusCode, code: response.json().code }).toEqual({ status: 500, code: 'internal_error' });
    expect(response.body).not.toContain(secretValue);
    expect(logs.join('')).toContain('"sqlState":"42P01"');
    expect(logs.join('')).not.toContain(secretValue);
  });
});

describe('CSV imports', () => {
  it('refuse a cell holding NUL, naming its line and column, without storing anything', async () => {
    const csv = 'name,domain,industry\nGood Co,good.example,Retail\nBad\u0000Co,bad.example,Re\u0000tail\n';
    const response = await asAdmin({ method: 'POST', url: '/api/v1/imports?object=company', headers: { 'content-type': 'text/csv' }, payload: csv });
    expect(outcomeOf(response, 'Bad\u0000Co')).toMatchObject({ status: 422, type: 'application/problem+json', quoted: false });
    expect(response.json().errors.map((error: { field: string }) => error.field)).toEqual(['line 3: name', 'line 3: industry']);
  });

  it('refuse a lifecycle stage named like a prototype property, naming the line and column', async () => {
    const csv = 'email,lifecycle_stage\nproto1@example.test,constructor\nproto2@example.test,toString\nproto3@example.test,__proto__\n';
    const response = await asAdmin({ method: 'POST', url: '/api/v1/imports?object=contact', headers: { 'content-type': 'text/csv' }, payload: csv });
    expect(outcomeOf(response, 'constructor')).toMatchObject({ status: 422, type: 'application/problem+json', quoted: false });
    expect(response.json().errors.map((error: { field: string }) => error.field)).toEqual([
      'line 2: lifecycleStage',
      'line 3: lifecycleStage',
      'line 4: lifecycleStage',
    ]);
  });

  it('refuse a creation time past the year 9999, naming the line and column', async () => {
    const csv = 'name,created_at\nLate Co,9999-12-31T23:00:00-05:00\n';
    const response = await asAdmin({ method: 'POST', url: '/api/v1/imports?object=company', headers: { 'content-type': 'text/csv' }, payload: csv });
    expect(outcomeOf(response, '9999-12-31T23:00:00-05:00')).toMatchObject({ status: 422, type: 'application/problem+json', quoted: false });
    expect(response.json().errors.map((error: { field: string }) => error.field)).toEqual(['line 2: createdAt']);
  });

  it('refuse a contact row holding NUL in a personal field', async () => {
    const csv = 'first_name,email\nAda,ada.csv@example.test\nGr\u0000ace,grace.csv@example.test\n';
    const response = await asAdmin({ method: 'POST', url: '/api/v1/imports?object=contact', headers: { 'content-type': 'text/csv' }, payload: csv });
    expect(outcomeOf(response, 'Gr\u0000ace')).toMatchObject({ status: 422, type: 'application/problem+json', quoted: false });
  });
});
