import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorFields, type TestApp, type TestWorkspace } from './support/testApp.ts';
import { addTestUser } from './support/salesRecords.ts';

let t: TestApp;
let workspace: TestWorkspace;
let admin: string;
let ownerId: string;

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
  admin = workspace.keys.admin;
  ownerId = await addTestUser(t, workspace.id);
});
afterAll(() => t.close());

const create = (payload: Record<string, unknown>) => t.request(admin, { method: 'POST', url: '/api/v1/companies', payload });
const list = async (query: string) =>
  (await t.request(admin, { method: 'GET', url: `/api/v1/companies?${query}` })).json().data.map((row: { name: string }) => row.name);

describe('companies', () => {
  it('creates a company with its domain reduced to the host name and reads it back', async () => {
    const created = await create({
      name: 'Initech',
      domain: 'https://www.Initech.example/about',
      industry: 'software',
      employeeCount: 120,
      annualRevenueMinor: 5_000_000_00,
      currency: 'USD',
      ownerId,
    });
    expect(created.statusCode).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    expect(created.json().data).toMatchObject({
      name: 'Initech',
      domain: 'initech.example',
      industry: 'software',
      source: 'api',
      ownerId,
      annualRevenueMinor: 500_000_000,
    });
    const read = await t.request(admin, { method: 'GET', url: `/api/v1/companies/${created.json().data.id}` });
    expect(read.statusCode).toBe(200);
    expect(read.headers.etag).toBe('"1"');
  });

  it('updates with If-Match (428 without, 412 when stale)', async () => {
    const { data } = (await create({ name: 'Hooli' })).json();
    expect((await t.request(admin, { method: 'PATCH', url: `/api/v1/companies/${data.id}`, payload: { city: 'Palo Alto' } })).statusCode).toBe(428);
    const patched = await t.request(admin, {
      method: 'PATCH',
      url: `/api/v1/companies/${data.id}`,
      headers: { 'if-match': '"1"' },
      payload: { city: 'Palo Alto', name: 'Hooli XYZ' },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().data).toMatchObject({ city: 'Palo Alto', name: 'Hooli XYZ', version: 2 });
    const stale = await t.request(admin, {
      method: 'PATCH',
      url: `/api/v1/companies/${data.id}`,
      headers: { 'if-match': '"1"' },
      payload: { city: 'Nowhere' },
    });
    expect(stale.statusCode).toBe(412);
  });

  it('lists companies by industry, owner, exact domain and name prefix, sorted by name', async () => {
    const listOwner = await addTestUser(t, workspace.id);
    await create({ name: 'Beta Foods', industry: 'food', ownerId: listOwner, domain: 'betafoods.example' });
    await create({ name: 'alpha foods', industry: 'food', ownerId: listOwner });
    await create({ name: 'Alphabet Soup', industry: 'retail', ownerId: listOwner });
    expect(await list(`industry=food&sort=name`)).toEqual(['alpha foods', 'Beta Foods']);
    expect(await list(`ownerId=${listOwner}&sort=-name`)).toEqual(['Beta Foods', 'Alphabet Soup', 'alpha foods']);
    expect(await list(`domain=${encodeURIComponent('http://www.BetaFoods.example/')}`)).toEqual(['Beta Foods']);
    expect(await list(`namePrefix=ALPHA&ownerId=${listOwner}&sort=name`)).toEqual(['alpha foods', 'Alphabet Soup']);
    expect(await list('namePrefix=%25')).toEqual([]);
  });

  it('names the field of each validation error', async () => {
    const cases: Array<[Record<string, unknown>, string, number]> = [
      [{ name: 'X', domain: 'not a domain' }, 'domain', 422],
      [{ name: 'X', phone: 'ring ring' }, 'phone', 422],
      [{ name: 'X', annualRevenueMinor: 100 }, 'currency', 422],
      [{ name: 'X', ownerId: '01900000-0000-7000-8000-000000000000' }, 'ownerId', 422],
      [{ name: 'X', customFields: { tier: 'gold' } }, 'customFields.tier', 422],
      [{ name: '' }, 'name', 422],
      [{ name: 'X', currency: 'euro' }, 'currency', 422],
      [{ name: 'X', employeeCount: -1 }, 'employeeCount', 422],
      [{ industry: 'no name' }, 'name', 422],
    ];
    for (const [payload, field, status] of cases) {
      const response = await create(payload);
      expect({ field, status: response.statusCode }).toEqual({ field, status });
      expect(errorFields(response.json())).toContain(field);
    }
  });

  it('keeps company custom field values in the custom column, validated by type', async () => {
    await t.request(admin, {
      method: 'POST',
      url: '/api/v1/custom-fields',
      payload: { object: 'company', key: 'tier', label: 'Tier', type: 'select', options: ['gold', 'silver'], dataCategory: 'system.operations' },
    });
    const created = await create({ name: 'Tiered', customFields: { tier: 'gold' } });
    expect(created.json().data.customFields).toEqual({ tier: 'gold' });
    const wrong = await t.request(admin, {
      method: 'PATCH',
      url: `/api/v1/companies/${created.json().data.id}`,
      headers: { 'if-match': '"1"' },
      payload: { customFields: { tier: 'bronze' } },
    });
    expect(wrong.statusCode).toBe(422);
    expect(errorFields(wrong.json())).toEqual(['customFields.tier']);
    const cleared = await t.request(admin, {
      method: 'PATCH',
      url: `/api/v1/companies/${created.json().data.id}`,
      headers: { 'if-match': '"1"' },
      payload: { customFields: { tier: null } },
    });
    expect(cleared.json().data.customFields).toEqual({});
  });

  it('deletes a company and unlinks its contacts in the same transaction', async () => {
    const company = (await create({ name: 'Doomed Ltd' })).json().data;
    const contact = (await t.request(admin, { method: 'POST', url: '/api/v1/contacts', payload: { firstName: 'Linked', companyId: company.id } })).json().data;
    expect(contact.companyId).toBe(company.id);
    expect((await t.request(admin, { method: 'DELETE', url: `/api/v1/companies/${company.id}`, headers: { 'if-match': '"7"' } })).statusCode).toBe(412);
    expect((await t.request(admin, { method: 'DELETE', url: `/api/v1/companies/${company.id}` })).statusCode).toBe(204);
    expect((await t.request(admin, { method: 'GET', url: `/api/v1/companies/${company.id}` })).statusCode).toBe(404);
    const after = await t.request(admin, { method: 'GET', url: `/api/v1/contacts/${contact.id}` });
    expect(after.json().data.companyId).toBeNull();
    expect(after.json().data.version).toBe(2);
  });
});
