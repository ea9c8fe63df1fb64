import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customFieldDefinitions } from '../src/db/schema/index.ts';
import { createTestApp, errorFields, withheldCodes, type TestApp, type TestWorkspace } from './support/testApp.ts';

/*
 * Company and deal custom values are stored in plain JSON columns with no data subject, so
 * no key could ever shred them: such a field may not hold personal data (a fideslang
 * `user.*` category). Contacts' custom fields are sealed under the contact's key and may.
 */

let t: TestApp;
let workspace: TestWorkspace;
let admin: string;

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
  admin = workspace.keys.admin;
});
afterAll(() => t.close());

const define = (payload: Record<string, unknown>) => t.request(admin, { method: 'POST', url: '/api/v1/custom-fields', payload });

describe('company and deal custom fields', () => {
  it('may not declare a personal (user.*) data category: 422 naming dataCategory', async () => {
    for (const object of ['company', 'deal']) {
      for (const dataCategory of ['user.contact.email', 'user.name', 'user']) {
        const response = await define({ object, key: `personal_${object}`, label: 'Personal', type: 'text', dataCategory });
        expect({ object, dataCategory, status: response.statusCode }).toEqual({ object, dataCategory, status: 422 });
        expect(errorFields(response.json())).toEqual(['dataCategory']);
        expect(response.json().errors[0].reason).toContain('contact custom field');
      }
    }
    const listed = await t.request(admin, { method: 'GET', url: '/api/v1/custom-fields' });
    expect(listed.json().data.map((field: { key: string }) => field.key)).not.toContain('personal_company');
  });

  it('may still declare a non-personal category, and a contact field a personal one', async () => {
    expect((await define({ object: 'company', key: 'tier', label: 'Tier', type: 'text', dataCategory: 'system.operations' })).statusCode).toBe(201);
    expect((await define({ object: 'contact', key: 'nickname', label: 'Nickname', type: 'text', dataCategory: 'user.name' })).statusCode).toBe(201);
  });

  it('cannot be re-declared into a personal category through the catalog, which holds no company or deal field', async () => {
    for (const object of ['company', 'deal']) {
      const response = await t.request(admin, { method: 'PUT', url: `/api/v1/catalog/${object}/tier`, payload: { dataCategory: 'user.contact.email' } });
      expect(response.statusCode).toBe(422);
      expect(errorFields(response.json())).toEqual(['params.object']);
    }
  });
});

describe('values stored before the rule, under a personal company or deal field', () => {
  let companyId: string;
  let dealId: string;

  beforeAll(async () => {
    // A definition an earlier version accepted, with values stored under it.
    await t.database.db.insert(customFieldDefinitions).values([
      { tenantId: workspace.id, object: 'company', key: 'ceo_email', label: 'CEO e-mail', type: 'text', dataCategory: 'user.contact.email' },
      { tenantId: workspace.id, object: 'deal', key: 'champion_phone', label: 'Champion phone', type: 'text', dataCategory: 'user.contact.phone_number' },
    ]);
    const company = await t.request(admin, { method: 'POST', url: '/api/v1/companies', payload: { name: 'Legacy Co', customFields: { tier: 'gold' } } });
    companyId = company.json().data.id;
    const deal = await t.request(admin, { method: 'POST', url: '/api/v1/deals', payload: { name: 'Legacy deal' } });
    dealId = deal.json().data.id;
    await t.database.query(`update companies set custom = custom || '{"ceo_email": "ceo@legacy.example"}'::jsonb where tenant_id = $1 and id = $2`, [
      workspace.id,
      companyId,
    ]);
    await t.database.query(`update deals set custom = custom || '{"champion_phone": "+49301234567"}'::jsonb where tenant_id = $1 and id = $2`, [
      workspace.id,
      dealId,
    ]);
  });

  it('are never returned: reads withhold them, naming the field and why', async () => {
    const withheld = { field: 'customFields.ceo_email', reason: 'personal_data_without_subject', message: expect.stringContaining('never shown') };
    const one = await t.request(admin, { method: 'GET', url: `/api/v1/companies/${companyId}` });
    expect(one.statusCode).toBe(200);
    expect(one.json().data.customFields).toEqual({ tier: 'gold' });
    expect(one.json().withheld).toEqual([withheld]);
    const list = await t.request(admin, { method: 'GET', url: '/api/v1/companies?namePrefix=Legacy' });
    expect(list.json().data[0].customFields).toEqual({ tier: 'gold' });
    expect(list.json().withheld).toEqual([withheld]);
    expect(list.body).not.toContain('ceo@legacy.example');
    const deal = await t.request(admin, { method: 'GET', url: `/api/v1/deals/${dealId}` });
    expect(deal.json().data.customFields).toEqual({});
    expect(withheldCodes(deal.json())).toEqual([{ field: 'customFields.champion_phone', reason: 'personal_data_without_subject' }]);
    expect(deal.body).not.toContain('+49301234567');
  });

  it('take no new value (422), may be removed with null, and go with the definition when it is deleted', async () => {
    const company = await t.request(admin, { method: 'GET', url: `/api/v1/companies/${companyId}` });
    const refused = await t.request(admin, {
      method: 'PATCH',
      url: `/api/v1/companies/${companyId}`,
      headers: { 'if-match': company.headers.etag as string },
      payload: { customFields: { ceo_email: 'new@legacy.example' } },
    });
    expect(refused.statusCode).toBe(422);
    expect(errorFields(refused.json())).toEqual(['customFields.ceo_email']);
    const cleared = await t.request(admin, {
      method: 'PATCH',
      url: `/api/v1/companies/${companyId}`,
      headers: { 'if-match': company.headers.etag as string },
      payload: { customFields: { ceo_email: null } },
    });
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json().withheld).toEqual([]);
    expect((await t.request(admin, { method: 'DELETE', url: '/api/v1/custom-fields/deal/champion_phone' })).statusCode).toBe(204);
    const [row] = await t.database.query<{ custom: Record<string, unknown> }>('select custom from deals where tenant_id = $1 and id = $2', [
      workspace.id,
      dealId,
    ]);
    expect(row.custom).toEqual({});
  });
});
