import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../src/accounts/users.ts';
import { listAuditEntries } from '../src/kernel/audit.ts';
import { codeBlocks, curlRequest, matchesDocumented, readmeSection, shellWords } from './support/readme.ts';
import { createTestApp, errorFields, type TestApp, type TestWorkspace } from './support/testApp.ts';

/* Saved views: each belongs to the user (or API key) that saved it, and holds only what its list accepts. */

let t: TestApp;
let workspace: TestWorkspace;
const password = 'correct horse battery staple';
type Session = { cookie: string; csrfToken: string; userId: string };
const sessions: Record<'ada' | 'bob' | 'ann', Session> = {} as never;

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
  const people = { ada: 'sales', bob: 'sales', ann: 'analyst' } as const;
  for (const [name, role] of Object.entries(people)) {
    const email = `${name}@views.example.test`;
    await addUser(t.database.db, { tenantId: workspace.id, email, displayName: name, role, password });
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { workspace: workspace.slug, email, password } });
    expect(response.statusCode).toBe(200);
    const cookie = response.cookies.find((candidate) => candidate.name === 'candor_session')!.value;
    sessions[name as keyof typeof people] = { cookie, csrfToken: response.json().data.csrfToken, userId: response.json().data.user.id };
  }
});
afterAll(() => t.close());

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
type Caller = Session | string;

function send(
  caller: Caller,
  method: Method,
  url: string,
  options: { payload?: object; headers?: Record<string, string> } = {},
): Promise<LightMyRequestResponse> {
  if (typeof caller === 'string') return t.request(caller, { method, url, payload: options.payload, headers: options.headers });
  const headers = { 'x-csrf-token': caller.csrfToken, ...options.headers };
  return t.app.inject({ method, url, payload: options.payload, cookies: { candor_session: caller.cookie }, headers });
}

let counter = 0;
async function saveView(caller: Caller, body: Record<string, unknown> = {}) {
  counter += 1;
  const response = await send(caller, 'POST', '/api/v1/views', { payload: { object: 'contacts', name: `Leads ${counter}`, ...body } });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().data;
}

const viewIds = async (caller: Caller, query = '') => (await send(caller, 'GET', `/api/v1/views${query}`)).json().data.map((view: { id: string }) => view.id);

describe('saved views', () => {
  it('saves, lists, reads, changes and deletes a view of my own', async () => {
    const created = await send(sessions.ada, 'POST', '/api/v1/views', {
      payload: {
        object: 'contacts',
        name: 'My leads',
        filters: { lifecycleStage: 'lead', ownerId: sessions.ada.userId },
        sort: '-lastActivityAt',
        columns: ['firstName', 'email', 'lastActivityAt'],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const view = created.json().data;
    expect(view).toMatchObject({
      object: 'contacts',
      name: 'My leads',
      sort: '-lastActivityAt',
      columns: ['firstName', 'email', 'lastActivityAt'],
      shared: false,
      version: 1,
    });
    expect(created.headers.etag).toBe('"1"');
    expect(created.headers.location).toBe(`/api/v1/views/${view.id}`);
    expect(await viewIds(sessions.ada)).toContain(view.id);

    const read = await send(sessions.ada, 'GET', `/api/v1/views/${view.id}`);
    expect(read.json().data).toEqual(view);
    expect((await send(sessions.ada, 'PATCH', `/api/v1/views/${view.id}`, { payload: { name: 'Hot leads' } })).statusCode).toBe(428);
    const changed = await send(sessions.ada, 'PATCH', `/api/v1/views/${view.id}`, {
      payload: { name: 'Hot leads', sort: null },
      headers: { 'if-match': '"1"' },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().data).toMatchObject({ name: 'Hot leads', sort: null, filters: view.filters, version: 2 });
    expect((await send(sessions.ada, 'PATCH', `/api/v1/views/${view.id}`, { payload: { name: 'Stale' }, headers: { 'if-match': '"1"' } })).statusCode).toBe(
      412,
    );

    expect((await send(sessions.ada, 'DELETE', `/api/v1/views/${view.id}`)).statusCode).toBe(204);
    expect((await send(sessions.ada, 'GET', `/api/v1/views/${view.id}`)).statusCode).toBe(404);
    const actions = (await listAuditEntries(t.database.db, workspace.id, { limit: 1000, filter: { action: { prefix: 'view.' } } })).map((entry) => [
      entry.action,
      entry.actor.id,
    ]);
    expect(actions).toEqual(
      expect.arrayContaining([
        ['view.created', sessions.ada.userId],
        ['view.updated', sessions.ada.userId],
        ['view.deleted', sessions.ada.userId],
      ]),
    );
  });

  it('lets no other user see, change or delete my view: to them it does not exist', async () => {
    const mine = await saveView(sessions.ada, { filters: { lifecycleStage: 'customer' } });
    expect(await viewIds(sessions.bob)).not.toContain(mine.id);
    expect((await send(sessions.bob, 'GET', `/api/v1/views/${mine.id}`)).statusCode).toBe(404);
    expect(
      (await send(sessions.bob, 'PATCH', `/api/v1/views/${mine.id}`, { payload: { name: 'Taken over' }, headers: { 'if-match': '"1"' } })).statusCode,
    ).toBe(404);
    expect((await send(sessions.bob, 'DELETE', `/api/v1/views/${mine.id}`)).statusCode).toBe(404);
    // Nor does the workspace's admin, nor another workspace.
    expect((await send(workspace.keys.admin, 'GET', `/api/v1/views/${mine.id}`)).statusCode).toBe(404);
    const elsewhere = await t.createWorkspace();
    expect((await send(elsewhere.keys.admin, 'DELETE', `/api/v1/views/${mine.id}`)).statusCode).toBe(404);
    expect((await send(sessions.ada, 'GET', `/api/v1/views/${mine.id}`)).json().data).toEqual(mine);
  });

  it("gives an API key views of its own, apart from every user's and every other key's", async () => {
    const keyView = await saveView(workspace.keys.sales);
    const userView = await saveView(sessions.ada);
    expect(await viewIds(workspace.keys.sales)).toEqual([keyView.id]);
    expect(await viewIds(workspace.keys.marketing)).not.toContain(keyView.id);
    expect(await viewIds(sessions.ada)).not.toContain(keyView.id);
    expect((await send(workspace.keys.sales, 'GET', `/api/v1/views/${userView.id}`)).statusCode).toBe(404);
  });

  it('refuses a view its list would not accept, naming each filter, sort or column', async () => {
    const refusals: Array<[Record<string, unknown>, string]> = [
      [{ sort: 'email' }, 'sort'],
      [{ sort: '-notASort' }, 'sort'],
      [{ filters: { email: 'ada@example.com' } }, 'filters.email'],
      [{ filters: { lifecycleStage: 'bogus' } }, 'filters.lifecycleStage'],
      [{ filters: { ownerId: 'not-a-uuid' } }, 'filters.ownerId'],
      [{ filters: { cursor: 'abc' } }, 'filters.cursor'],
      [{ columns: ['firstName', 'passwordHash'] }, 'columns.1'],
      [{ columns: ['email', 'email'] }, 'columns.1'],
      [{ columns: ['customFields.tier'] }, 'columns.0'],
      [{ object: 'deals', sort: 'lastActivityAt' }, 'sort'],
    ];
    for (const [body, field] of refusals) {
      const response = await send(sessions.ada, 'POST', '/api/v1/views', { payload: { object: 'contacts', name: 'Refused', ...body } });
      expect({ body, status: response.statusCode, fields: errorFields(response.json()) }).toEqual({ body, status: 422, fields: [field] });
      // Never quoting what was sent.
      expect(response.body).not.toContain('ada@example.com');
    }
    const shared = await send(sessions.ada, 'POST', '/api/v1/views', { payload: { object: 'contacts', name: 'Shared', shared: true } });
    expect({ status: shared.statusCode, fields: errorFields(shared.json()) }).toEqual({ status: 422, fields: ['shared'] });
    expect((await send(sessions.ada, 'POST', '/api/v1/views', { payload: { object: 'people', name: 'Nope' } })).statusCode).toBe(422);
    // A PATCH is checked against the view's own list.
    const view = await saveView(sessions.ada);
    const patched = await send(sessions.ada, 'PATCH', `/api/v1/views/${view.id}`, { payload: { sort: 'amount' }, headers: { 'if-match': '"1"' } });
    expect({ status: patched.statusCode, fields: errorFields(patched.json()) }).toEqual({ status: 422, fields: ['sort'] });
  });

  it("accepts the list's own filters, sorts and columns, custom fields included, and replays as the list's request", async () => {
    const field = await t.request(workspace.keys.admin, {
      method: 'POST',
      url: '/api/v1/custom-fields',
      payload: { object: 'deal', key: 'region', label: 'Region', type: 'text', dataCategory: 'system.operations' },
    });
    expect(field.statusCode, field.body).toBe(201);
    const view = await saveView(sessions.ada, {
      object: 'deals',
      filters: { ownerId: sessions.ada.userId, contactId: sessions.bob.userId },
      sort: '-amount',
      columns: ['amountMinor', 'currency', 'customFields.region'],
    });
    const query = new URLSearchParams({ ...view.filters, sort: view.sort }).toString();
    expect((await send(workspace.keys.sales, 'GET', `/api/v1/deals?${query}`)).statusCode).toBe(200);
  });

  it('keeps names unique per list and owner', async () => {
    await saveView(sessions.ada, { name: 'Pipeline' });
    const clash = await send(sessions.ada, 'POST', '/api/v1/views', { payload: { object: 'contacts', name: 'Pipeline' } });
    expect({ status: clash.statusCode, code: clash.json().code, fields: errorFields(clash.json()) }).toEqual({
      status: 409,
      code: 'duplicate',
      fields: ['name'],
    });
    await saveView(sessions.ada, { name: 'Pipeline', object: 'companies' });
    await saveView(sessions.bob, { name: 'Pipeline' });
    const other = await saveView(sessions.ada, { name: 'Other' });
    const renamed = await send(sessions.ada, 'PATCH', `/api/v1/views/${other.id}`, { payload: { name: 'Pipeline' }, headers: { 'if-match': '"1"' } });
    expect(renamed.statusCode).toBe(409);
  });

  it('lets a role save views only of the lists it may read', async () => {
    for (const object of ['contacts', 'companies', 'deals', 'activities', 'purchases']) {
      const refused = await send(sessions.ann, 'POST', '/api/v1/views', { payload: { object, name: 'Mine' } });
      expect({ object, status: refused.statusCode }).toEqual({ object, status: 403 });
    }
    expect((await send(sessions.ann, 'GET', '/api/v1/views')).statusCode).toBe(200);
  });

  it('pages my views by keyset, of one list or all, by name or creation', async () => {
    const caller = workspace.keys.support;
    const names = ['delta', 'alpha', 'charlie', 'bravo'];
    const saved = [];
    for (const name of names) saved.push(await saveView(caller, { name, object: name === 'bravo' ? 'companies' : 'contacts' }));
    const walk = async (query: string) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { data: Array<{ name: string }>; nextCursor: string | null } = (
          await send(caller, 'GET', `/api/v1/views?limit=1&${query}${cursor ? `&cursor=${cursor}` : ''}`)
        ).json();
        seen.push(...page.data.map((view) => view.name));
        cursor = page.nextCursor;
      } while (cursor);
      return seen;
    };
    expect(await walk('sort=name')).toEqual(['alpha', 'bravo', 'charlie', 'delta']);
    expect(await walk('sort=-name&object=contacts')).toEqual(['delta', 'charlie', 'alpha']);
    expect(await walk('object=companies')).toEqual(['bravo']);
    expect(await walk('')).toEqual(names);
    expect((await send(caller, 'GET', '/api/v1/views?sort=owner')).statusCode).toBe(422);
  });
});

describe('README: Saved views', () => {
  it('answers its curl example with the JSON it shows, and the view opens as the list request it names', async () => {
    const section = readmeSection('Saved views');
    const [curl] = codeBlocks(section, 'sh');
    const request = curlRequest(shellWords(curl, { CANDOR: 'http://localhost:3000', KEY: workspace.keys.sales }));
    const response = await t.app.inject({ method: request.method as 'POST', url: request.url, headers: request.headers, payload: request.body });
    expect(response.statusCode, response.body).toBe(201);
    expect(matchesDocumented(response.json(), JSON.parse(codeBlocks(section, 'json')[0])), response.body).toBe(true);
    const view = response.json().data;
    const listUrl = /`GET (\/api\/v1\/contacts\?[^`]+)`/.exec(section)![1];
    expect(listUrl).toBe(`/api/v1/contacts?${new URLSearchParams({ ...view.filters, sort: view.sort })}`);
    expect((await send(workspace.keys.sales, 'GET', listUrl)).statusCode).toBe(200);
  });
});
