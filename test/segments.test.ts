import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorFields, type TestApp, type TestWorkspace } from './support/testApp.ts';

/*
 * Segments: saved filters over contacts' non-personal keys and consent states, per
 * workspace, with ETag/If-Match like every resource; a preview counts the members now and
 * shows the first of them through the kernel under the request's purpose.
 */

let t: TestApp;
let ws: TestWorkspace;
const people: Record<string, string> = {};
let companyId = '';

type Json = Record<string, unknown>;
const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: Json, headers: Record<string, string> = {}, purpose?: string) =>
  t.request(ws.keys.marketing, { method, url: `/api/v1${url}`, ...(payload ? { payload } : {}), headers, ...(purpose ? { purpose } : {}) });

async function person(name: string, data: Json, consent: 'given' | 'withdrawn' | null): Promise<void> {
  const created = await t.request(ws.keys.admin, {
    method: 'POST',
    url: '/api/v1/contacts',
    payload: { firstName: name, email: `${name}@example.org`, ...data },
    purpose: 'sales',
  });
  expect(created.statusCode, created.body).toBe(201);
  people[name] = created.json().data.id;
  for (const state of consent === 'withdrawn' ? ['given', 'withdrawn'] : consent ? ['given'] : []) {
    const response = await call('POST', `/contacts/${people[name]}/consents`, { purposeKey: 'email_marketing', state }, {}, 'email_marketing');
    expect(response.statusCode, response.body).toBe(201);
  }
}

beforeAll(async () => {
  t = await createTestApp();
  ws = await t.createWorkspace();
  const company = await t.request(ws.keys.admin, { method: 'POST', url: '/api/v1/companies', payload: { name: 'Acme' }, purpose: 'sales' });
  companyId = company.json().data.id;
  await person('ada', { lifecycleStage: 'subscriber', companyId }, 'given');
  await person('bob', { lifecycleStage: 'subscriber' }, 'withdrawn');
  await person('cyd', { lifecycleStage: 'customer', companyId }, 'given');
  await person('dan', { lifecycleStage: 'lead' }, null);
});
afterAll(() => t.close());

/** The names of the members a preview of `filters` shows under email_marketing, and its total. */
async function preview(filters: Json): Promise<{ total: number; names: string[] }> {
  const response = await call('POST', '/segments/preview?limit=50', { filters }, {}, 'email_marketing');
  expect(response.statusCode, response.body).toBe(200);
  const byId = Object.fromEntries(Object.entries(people).map(([name, id]) => [id, name]));
  return {
    total: response.json().data.total,
    names: response
      .json()
      .data.members.map((member: { id: string }) => byId[member.id])
      .sort(),
  };
}

describe('segment filters', () => {
  it('select by lifecycle stage, company, source and creation time, and by consent state per purpose', async () => {
    expect((await preview({ lifecycleStage: ['subscriber'] })).total).toBe(2);
    expect((await preview({ lifecycleStage: ['subscriber', 'customer'] })).total).toBe(3);
    expect((await preview({ companyId: [companyId] })).total).toBe(2);
    expect((await preview({ source: ['import'] })).total).toBe(0);
    expect((await preview({ createdAfter: new Date(Date.now() + 60_000).toISOString() })).total).toBe(0);
    expect((await preview({ createdBefore: new Date(Date.now() + 60_000).toISOString() })).total).toBe(4);
    expect(await preview({ consent: [{ purposeKey: 'email_marketing', live: true }] })).toEqual({ total: 2, names: ['ada', 'cyd'] });
    // Not live: withdrawn or never given. Counted, but the purpose cannot read them: none shown.
    expect(await preview({ consent: [{ purposeKey: 'email_marketing', live: false }] })).toEqual({ total: 2, names: [] });
    expect(await preview({ lifecycleStage: ['subscriber'], consent: [{ purposeKey: 'email_marketing', live: true }] })).toEqual({ total: 1, names: ['ada'] });
  });

  it('show members through the kernel: under a purpose without their consent, nobody is shown', async () => {
    const response = await call('POST', '/segments/preview', { filters: { companyId: [companyId] } }, {}, 'web_analytics');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().data).toMatchObject({ total: 2, members: [] });
  });

  it('refuses bad filters with problem+json naming the field', async () => {
    const refused = async (filters: Json, field: string) => {
      const response = await call('POST', '/segments', { name: `Bad ${field}`, filters });
      expect(response.statusCode, response.body).toBe(422);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(errorFields(response.json()).join(' ')).toContain(field);
    };
    await refused({ lifecycleStage: ['astronaut'] }, 'lifecycleStage');
    await refused({ ownerId: ['not-a-uuid'] }, 'ownerId');
    await refused({ consent: [{ purposeKey: 'no_such_purpose', live: true }] }, 'filters.consent[0].purposeKey');
    await refused({ consent: [{ purposeKey: 'email_marketing' }] }, 'live');
    await refused({ email: 'ada@example.org' }, 'filters');
    await refused({ createdAfter: '2026-02-01T00:00:00Z', createdBefore: '2026-01-01T00:00:00Z' }, 'createdBefore');
  });
});

describe('segments as a resource', () => {
  it('are created, read, changed with If-Match and deleted, names unique in the workspace', async () => {
    const created = await call('POST', '/segments', { name: 'Readers', filters: { lifecycleStage: ['subscriber'] } });
    expect(created.statusCode, created.body).toBe(201);
    const { id } = created.json().data;
    expect(created.headers.etag).toBe('"1"');
    expect(created.headers.location).toBe(`/api/v1/segments/${id}`);
    expect((await call('POST', '/segments', { name: 'Readers' })).statusCode).toBe(409);
    const got = await call('GET', `/segments/${id}`);
    expect(got.json().data).toMatchObject({ name: 'Readers', filters: { lifecycleStage: ['subscriber'] }, version: 1 });
    expect((await call('GET', `/segments/${id}/preview`, undefined, {}, 'email_marketing')).json().data.total).toBe(2);

    expect((await call('PATCH', `/segments/${id}`, { name: 'Keen readers' })).statusCode).toBe(428);
    const changed = await call('PATCH', `/segments/${id}`, { filters: { lifecycleStage: ['customer'] } }, { 'if-match': '"1"' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.headers.etag).toBe('"2"');
    expect((await call('PATCH', `/segments/${id}`, { name: 'Stale' }, { 'if-match': '"1"' })).statusCode).toBe(412);
    expect((await call('GET', '/segments?sort=name')).json().data.map((row: { name: string }) => row.name)).toContain('Readers');

    const other = await t.createWorkspace();
    expect((await t.request(other.keys.marketing, { method: 'GET', url: `/api/v1/segments/${id}` })).statusCode).toBe(404);
    expect((await t.request(ws.keys.analyst, { method: 'GET', url: '/api/v1/segments' })).statusCode).toBe(403);
    expect((await t.request(ws.keys.sales, { method: 'POST', url: '/api/v1/segments', payload: { name: 'Sales' } })).statusCode).toBe(403);

    expect((await call('DELETE', `/segments/${id}`, undefined, { 'if-match': '"2"' })).statusCode).toBe(204);
    expect((await call('GET', `/segments/${id}`)).statusCode).toBe(404);
    const audit = await t.database.query<{ action: string }>("select action from audit_entries where tenant_id = $1 and action like 'segment.%'", [ws.id]);
    expect(audit.map((row) => row.action)).toEqual(expect.arrayContaining(['segment.created', 'segment.updated', 'segment.deleted', 'segment.previewed']));
  });
});
