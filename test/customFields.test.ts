import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateCustomValues } from '../src/crm/customFields/values.ts';
import { systemContext } from '../src/kernel/accessContext.ts';
import { createTestApp, errorFields, type TestApp, type TestWorkspace } from './support/testApp.ts';

let t: TestApp;
let workspace: TestWorkspace;
let admin: string;

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
  admin = workspace.keys.admin;
});
afterAll(() => t.close());

const define = (payload: Record<string, unknown>, key = admin) => t.request(key, { method: 'POST', url: '/api/v1/custom-fields', payload });

describe('custom fields', () => {
  it('declares fields of every type with a fideslang data category and lists them per object', async () => {
    const definitions = [
      { object: 'contact', key: 'shoe_size', label: 'Shoe size', type: 'number', dataCategory: 'user.demographic.profile' },
      { object: 'contact', key: 'newsletter_topic', label: 'Topic', type: 'select', options: ['tech', 'food'], dataCategory: 'user.privacy_preferences' },
      { object: 'company', key: 'partner', label: 'Partner', type: 'boolean', dataCategory: 'system.operations' },
      { object: 'deal', key: 'signed_on', label: 'Signed on', type: 'date', dataCategory: 'system.operations' },
      { object: 'deal', key: 'notes_ref', label: 'Notes reference', type: 'text', dataCategory: 'system.operations' },
    ];
    for (const definition of definitions) {
      const response = await define(definition);
      expect(response.statusCode).toBe(201);
      expect(response.json().data).toMatchObject(definition);
    }
    const contactFields = await t.request(workspace.keys.sales, { method: 'GET', url: '/api/v1/custom-fields?object=contact' });
    expect(contactFields.statusCode).toBe(200);
    expect(contactFields.json().data.map((field: { key: string }) => field.key)).toEqual(['newsletter_topic', 'shoe_size']);
  });

  it('names the field of each invalid definition', async () => {
    const base = { object: 'contact', key: 'valid_key', label: 'Label', type: 'text', dataCategory: 'user.content.private' };
    const cases: Array<[Record<string, unknown>, string, number]> = [
      [{ ...base, dataCategory: 'user.shoe_size' }, 'dataCategory', 422],
      [{ ...base, key: 'CamelCase' }, 'key', 422],
      [{ ...base, key: 'email' }, 'key', 422],
      [{ ...base, type: 'select' }, 'options', 422],
      [{ ...base, options: ['a'] }, 'options', 422],
      [{ ...base, label: '  ' }, 'label', 422],
      [{ ...base, type: 'colour' }, 'type', 422],
      [{ ...base, object: 'visitor' }, 'object', 422],
    ];
    for (const [payload, field, status] of cases) {
      const response = await define(payload);
      expect({ field, status: response.statusCode }).toEqual({ field, status });
      expect(errorFields(response.json())).toContain(field);
    }
  });

  it('refuses a second field with the same key on the same object with 409 naming key', async () => {
    await define({ object: 'company', key: 'region', label: 'Region', type: 'text', dataCategory: 'system.operations' });
    const again = await define({ object: 'company', key: 'region', label: 'Region 2', type: 'text', dataCategory: 'system.operations' });
    expect(again.statusCode).toBe(409);
    expect(errorFields(again.json())).toEqual(['key']);
    expect((await define({ object: 'deal', key: 'region', label: 'Region', type: 'text', dataCategory: 'system.operations' })).statusCode).toBe(201);
  });

  it('validates values by type and refuses undeclared keys as customFields.<key>', async () => {
    const ok = await t.request(admin, {
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { firstName: 'Val', customFields: { shoe_size: 43, newsletter_topic: 'tech' } },
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().data.customFields).toEqual({ shoe_size: 43, newsletter_topic: 'tech' });
    const wrong = await t.request(admin, {
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { customFields: { shoe_size: 'large', newsletter_topic: 'sports', favourite_colour: 'red' } },
    });
    expect(wrong.statusCode).toBe(422);
    expect(errorFields(wrong.json()).sort()).toEqual(['customFields.favourite_colour', 'customFields.newsletter_topic', 'customFields.shoe_size']);
  });

  it('exports a validator that deals use for their custom values', async () => {
    const ctx = systemContext(workspace.id, 'test');
    await expect(validateCustomValues(t.database.db, ctx, 'deal', { signed_on: '2024-05-01', notes_ref: 'X-1' })).resolves.toEqual({
      signed_on: '2024-05-01',
      notes_ref: 'X-1',
    });
    await expect(validateCustomValues(t.database.db, ctx, 'deal', { signed_on: '2024-13-01' })).rejects.toMatchObject({
      issues: [{ field: 'customFields.signed_on' }],
    });
    await expect(validateCustomValues(t.database.db, ctx, 'deal', { partner: true })).rejects.toMatchObject({ issues: [{ field: 'customFields.partner' }] });
  });

  it('deletes a field together with every stored value of it', async () => {
    const contact = (
      await t.request(admin, { method: 'POST', url: '/api/v1/contacts', payload: { firstName: 'Gone', customFields: { shoe_size: 40 } } })
    ).json().data;
    const company = (
      await t.request(admin, { method: 'POST', url: '/api/v1/companies', payload: { name: 'Partner Co', customFields: { partner: true } } })
    ).json().data;
    expect((await t.request(admin, { method: 'DELETE', url: '/api/v1/custom-fields/contact/shoe_size' })).statusCode).toBe(204);
    expect((await t.request(admin, { method: 'DELETE', url: '/api/v1/custom-fields/company/partner' })).statusCode).toBe(204);
    expect((await t.request(admin, { method: 'DELETE', url: '/api/v1/custom-fields/company/partner' })).statusCode).toBe(404);
    expect((await t.request(admin, { method: 'GET', url: `/api/v1/contacts/${contact.id}` })).json().data.customFields).toEqual({});
    expect((await t.request(admin, { method: 'GET', url: `/api/v1/companies/${company.id}` })).json().data.customFields).toEqual({});
    const reuse = await t.request(admin, { method: 'POST', url: '/api/v1/contacts', payload: { customFields: { shoe_size: 41 } } });
    expect(errorFields(reuse.json())).toEqual(['customFields.shoe_size']);
  });

  it('lets a sales user read but not declare custom fields', async () => {
    expect((await t.request(workspace.keys.sales, { method: 'GET', url: '/api/v1/custom-fields' })).statusCode).toBe(200);
    expect(
      (await define({ object: 'deal', key: 'sales_try', label: 'x', type: 'text', dataCategory: 'system.operations' }, workspace.keys.sales)).statusCode,
    ).toBe(403);
  });
});
