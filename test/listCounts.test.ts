import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../src/kernel/accessContext.ts';
import { recordRestriction } from '../src/kernel/index.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';
import { fetchOpenApiDocument, inlineSchemas } from './support/openApiDocument.ts';

/*
 * `?count=true` on a list: the total under the list's own filters and policy, capped. The
 * cap is injected small (3) through the config, as CANDOR_COUNT_CAP would set it.
 */

let t: TestApp;
let workspace: TestWorkspace;

beforeAll(async () => {
  t = await createTestApp({ config: { countCap: 3 } });
  workspace = await t.createWorkspace();
});
afterAll(() => t.close());

async function createContacts(count: number, payload: Record<string, unknown> = {}): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const response = await t.request(workspace.keys.admin, { method: 'POST', url: '/api/v1/contacts', payload: { firstName: `Counted ${index}`, ...payload } });
    expect(response.statusCode).toBe(201);
    ids.push(response.json().data.id);
  }
  return ids;
}

const list = async (query: string) => {
  const response = await t.request(workspace.keys.admin, { method: 'GET', url: `/api/v1/contacts?${query}` });
  expect(response.statusCode).toBe(200);
  return response.json();
};

describe('list totals on request', () => {
  it('counts nothing unless asked', async () => {
    await createContacts(1, { lifecycleStage: 'customer' });
    const body = await list('lifecycleStage=customer');
    expect(body).not.toHaveProperty('total');
    expect(body).not.toHaveProperty('totalIsLowerBound');
    expect(await list('lifecycleStage=customer&count=false')).not.toHaveProperty('total');
  });

  it('counts under the same policy as the list: a restricted person is neither listed nor counted', async () => {
    const [restricted, ...others] = await createContacts(3, { lifecycleStage: 'opportunity' });
    expect(await list('lifecycleStage=opportunity&count=true')).toMatchObject({ total: 3, totalIsLowerBound: false });
    await recordRestriction(t.database.db, systemContext(workspace.id, 'rights-desk', 'legal_compliance'), restricted);
    const body = await list('lifecycleStage=opportunity&count=true&limit=1');
    expect(body).toMatchObject({ total: 2, totalIsLowerBound: false });
    // The total is of the whole list, not of the page.
    expect(body.data).toHaveLength(1);
    expect(others).toContain(body.data[0].id);
  });

  it('reports the cap as a lower bound when more rows match', async () => {
    await createContacts(5, { lifecycleStage: 'evangelist' });
    expect(await list('lifecycleStage=evangelist&count=true&limit=2')).toMatchObject({ total: 3, totalIsLowerBound: true });
  });

  it('counts deals, activities, purchases and companies by their filters, and nothing when filtered by a person the purpose may not process', async () => {
    const [person] = await createContacts(1);
    const post = async (url: string, payload: Record<string, unknown>) =>
      expect((await t.request(workspace.keys.admin, { method: 'POST', url, payload, purpose: 'sales' })).statusCode).toBe(201);
    for (let index = 0; index < 2; index += 1) {
      await post('/api/v1/deals', { name: `Deal ${index}`, contactIds: [person] });
      await post('/api/v1/activities', { type: 'note', body: `Note ${index}`, links: { contactIds: [person] } });
      await post('/api/v1/purchases', {
        orderNumber: `COUNT-${index}`,
        currency: 'EUR',
        contactId: person,
        lines: [{ name: 'Tea', quantity: 1, unitPriceMinor: 100 }],
      });
    }
    const urls = ['/api/v1/deals', '/api/v1/activities', '/api/v1/purchases'].map((url) => `${url}?contactId=${person}&count=true&limit=1`);
    const totals = async () => Promise.all(urls.map(async (url) => (await t.request(workspace.keys.admin, { method: 'GET', url, purpose: 'sales' })).json()));
    for (const body of await totals()) expect(body).toMatchObject({ total: 2, totalIsLowerBound: false });
    await recordRestriction(t.database.db, systemContext(workspace.id, 'rights-desk', 'legal_compliance'), person);
    for (const body of await totals()) {
      expect(body).toMatchObject({ data: [], total: 0, totalIsLowerBound: false });
      expect(body.withheld.map((entry: { field: string }) => entry.field)).toContain('contactId');
    }
    for (let index = 0; index < 4; index += 1) await post('/api/v1/companies', { name: `Counted ${index}` });
    expect((await t.request(workspace.keys.admin, { method: 'GET', url: '/api/v1/companies?count=true' })).json()).toMatchObject({
      total: 3,
      totalIsLowerBound: true,
    });
  });

  it('describes total and totalIsLowerBound in the OpenAPI document', async () => {
    const document = inlineSchemas(await fetchOpenApiDocument(t.app));
    for (const path of ['/api/v1/contacts', '/api/v1/companies', '/api/v1/deals', '/api/v1/activities', '/api/v1/purchases']) {
      const list = document.paths[path].get;
      expect((list.parameters ?? []).map((parameter) => parameter.name)).toContain('count');
      const properties = list.responses['200'].content?.['application/json'].schema?.properties;
      expect({ path, total: properties?.total.type, lowerBound: properties?.totalIsLowerBound.type }).toEqual({
        path,
        total: 'integer',
        lowerBound: 'boolean',
      });
    }
  });
});
