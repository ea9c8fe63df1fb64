import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataCategoryProblem, declarationOf, workspaceCatalog } from '../src/kernel/catalog/index.ts';
import { createTestApp, errorFields, type TestApp, type TestWorkspace } from './support/testApp.ts';

let t: TestApp;
let workspace: TestWorkspace;
let other: TestWorkspace;

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
  other = await t.createWorkspace();
});
afterAll(() => t.close());

type AuditEntry = { action: string; object: string | null; fields: string[]; detail: Record<string, unknown>; sequence: number };

const change = (object: string, field: string, payload: Record<string, unknown>, key = workspace.keys.admin) =>
  t.request(key, { method: 'PUT', url: `/api/v1/catalog/${object}/${field}`, payload });

async function auditEntries(of: TestWorkspace = workspace): Promise<AuditEntry[]> {
  const response = await t.request(of.keys.admin, { method: 'GET', url: '/api/v1/audit?limit=200' });
  expect(response.statusCode).toBe(200);
  return response.json().data as AuditEntry[];
}

const catalogChanges = async (of: TestWorkspace = workspace) => (await auditEntries(of)).filter((entry) => entry.action === 'catalog.changed');

describe('the catalog admin API', () => {
  it('lists every built-in personal field with its declaration, as Candor ships it', async () => {
    const response = await t.request(workspace.keys.privacy_officer, { method: 'GET', url: '/api/v1/catalog?object=contact' });
    expect(response.statusCode).toBe(200);
    const fields = response.json().data as Array<Record<string, unknown>>;
    expect(fields.map((field) => field.field)).toEqual(['firstName', 'lastName', 'email', 'phone', 'jobTitle', 'city', 'country', 'externalId']);
    expect(fields.find((field) => field.field === 'email')).toMatchObject({
      dataCategory: 'user.contact.email',
      subject: 'contact',
      sensitivity: 'ordinary',
      encrypted: true,
      lookup: true,
      search: false,
      origin: 'built_in',
      updatedAt: null,
    });
  });

  it('changes what workspaceCatalog returns for this workspace only and audits the before and after settings', async () => {
    const before = (await catalogChanges()).length;
    const response = await change('contact', 'phone', { purposes: ['sales'] });
    expect(response.statusCode).toBe(200);
    expect(response.json().data).toMatchObject({ field: 'phone', purposes: ['sales'], origin: 'built_in' });
    expect(response.json().data.updatedAt).not.toBeNull();

    const catalog = await workspaceCatalog(t.database.db, workspace.id);
    expect(declarationOf(catalog, 'contact', 'phone')?.purposes).toEqual(['sales']);
    const untouched = await workspaceCatalog(t.database.db, other.id);
    expect(declarationOf(untouched, 'contact', 'phone')?.purposes).toEqual(['sales', 'support', 'order_fulfilment']);

    const entries = await catalogChanges();
    expect(entries).toHaveLength(before + 1);
    expect(entries.at(-1)).toMatchObject({
      object: 'contact',
      fields: ['phone'],
      detail: { changed: ['purposes'], purposesBefore: ['sales', 'support', 'order_fulfilment'], purposesAfter: ['sales'] },
    });
  });

  it('decides what a contact read returns: a field taken from a purpose is withheld from it at once', async () => {
    const own = await t.createWorkspace();
    const created = await t.request(own.keys.admin, { method: 'POST', url: '/api/v1/contacts', payload: { firstName: 'Ada', phone: '+44 20 7946 0001' } });
    expect(created.statusCode).toBe(201);
    const read = () => t.request(own.keys.support, { method: 'GET', url: `/api/v1/contacts/${created.json().data.id}`, purpose: 'support' });
    expect((await read()).json().data.phone).toBeDefined();

    expect((await change('contact', 'phone', { purposes: ['sales', 'order_fulfilment'] }, own.keys.admin)).statusCode).toBe(200);
    const after = await read();
    expect(after.statusCode).toBe(200);
    expect(after.json().data).not.toHaveProperty('phone');
    expect(after.json().withheld).toContainEqual({
      field: 'phone',
      reason: 'field_not_declared_for_purpose',
      message: 'not declared for support: the data catalog does not let this purpose use the field',
    });
  });

  it('keeps personal values out of the audit entry of a catalog change', async () => {
    const phone = '+44 20 7946 0813';
    const contact = await t.request(workspace.keys.admin, { method: 'POST', url: '/api/v1/contacts', payload: { firstName: 'Catalogina', phone } });
    expect(contact.statusCode).toBe(201);
    expect((await change('contact', 'firstName', { purposes: ['sales', 'support'] })).statusCode).toBe(200);
    const text = JSON.stringify(await catalogChanges());
    expect(text).not.toContain('Catalogina');
    expect(text).not.toContain('7946');
  });

  it('makes a field special when its new data category is an Art. 9 special category, and refuses to call it ordinary', async () => {
    const response = await change('contact', 'jobTitle', { dataCategory: 'user.health_and_medical' });
    expect(response.statusCode).toBe(200);
    expect(response.json().data).toMatchObject({ dataCategory: 'user.health_and_medical', sensitivity: 'special' });
    expect(declarationOf(await workspaceCatalog(t.database.db, workspace.id), 'contact', 'job_title')?.sensitivity).toBe('special');

    const ordinary = await change('contact', 'jobTitle', { sensitivity: 'ordinary' });
    expect(ordinary.statusCode).toBe(422);
    expect(errorFields(ordinary.json())).toEqual(['sensitivity']);
  });

  it('refuses a bad data category, an unknown purpose and an undeclared field with 422 naming each, changing nothing', async () => {
    const auditBefore = (await catalogChanges()).length;
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['email', { dataCategory: 'user.shoe_size' }, 'dataCategory'],
      ['email', { purposes: ['sales', 'telepathy'] }, 'purposes'],
      ['email', { purposes: ['sales', 'sales'] }, 'purposes'],
      ['shoe_size', { purposes: ['sales'] }, 'shoe_size'],
    ];
    for (const [field, payload, named] of cases) {
      const response = await change('contact', field, payload);
      expect({ field, status: response.statusCode, named: errorFields(response.json()) }).toEqual({ field, status: 422, named: [named] });
    }
    expect((await change('contact', 'email', { purposes: ['telepathy'] })).json().errors[0].reason).toMatch(/telepathy/);
    expect(declarationOf(await workspaceCatalog(t.database.db, workspace.id), 'contact', 'email')?.dataCategory).toBe('user.contact.email');
    expect(await catalogChanges()).toHaveLength(auditBefore);
  });

  it('refuses storage settings the vault cannot honour with 422 saying why', async () => {
    const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
      ['email', { encrypted: false }, 'encrypted', /encrypts every personal value/],
      ['email', { lookup: false }, 'lookup', /keeps its exact-match blind index/],
      ['lastName', { search: false }, 'search', /keeps its name-prefix blind index/],
      ['city', { lookup: true }, 'lookup', /no exact-match blind index for contact\.city/],
    ];
    for (const [field, payload, named, why] of cases) {
      const response = await change('contact', field, payload);
      expect({ field, status: response.statusCode, named: errorFields(response.json()) }).toEqual({ field, status: 422, named: [named] });
      expect(response.json().errors[0].reason).toMatch(why);
    }
    // Restating what the storage does is accepted.
    expect((await change('contact', 'email', { encrypted: true, lookup: true, search: false })).statusCode).toBe(200);
  });

  it('refuses an unknown object or setting before reaching the catalog', async () => {
    expect(errorFields((await change('planet', 'email', { purposes: [] })).json())).toEqual(['params.object']);
    expect((await change('contact', 'email', { colour: 'blue' })).statusCode).toBe(422);
    expect((await change('contact', 'email', {})).statusCode).toBe(422);
  });

  it('lets only admins and privacy officers read or change the catalog', async () => {
    for (const role of ['sales', 'support', 'marketing', 'analyst'] as const) {
      const read = await t.request(workspace.keys[role], { method: 'GET', url: '/api/v1/catalog' });
      const write = await change('contact', 'city', { purposes: ['sales'] }, workspace.keys[role]);
      expect({ role, read: read.statusCode, write: write.statusCode }).toEqual({ role, read: 403, write: 403 });
    }
    expect((await change('contact', 'city', { purposes: ['sales', 'legal_compliance'] }, workspace.keys.privacy_officer)).statusCode).toBe(200);
  });

  it('lists the fideslang data categories a field may take, none deprecated, each one the catalog accepts', async () => {
    const response = await t.request(workspace.keys.privacy_officer, { method: 'GET', url: '/api/v1/catalog/data-categories' });
    expect(response.statusCode).toBe(200);
    const categories = response.json().data as Array<{ key: string; name: string; parentKey: string | null }>;
    expect(categories.find((category) => category.key === 'user.contact.address.city')).toMatchObject({
      name: expect.any(String),
      parentKey: 'user.contact.address',
    });
    expect(categories.map((category) => dataCategoryProblem(category.key)).filter(Boolean)).toEqual([]);
    expect(categories.length).toBeGreaterThan(50);
    expect((await t.request(workspace.keys.sales, { method: 'GET', url: '/api/v1/catalog/data-categories' })).statusCode).toBe(403);
  });
});

describe('contact custom fields in the catalog', () => {
  const defineField = (key: string, dataCategory: string) =>
    t.request(workspace.keys.admin, {
      method: 'POST',
      url: '/api/v1/custom-fields',
      payload: { object: 'contact', key, label: key, type: 'text', dataCategory },
    });

  it('declares each contact custom field, special when its data category is an Art. 9 category', async () => {
    expect((await defineField('allergies', 'user.health_and_medical')).statusCode).toBe(201);
    expect((await defineField('favourite_team', 'user.demographic.profile')).statusCode).toBe(201);
    const catalog = await workspaceCatalog(t.database.db, workspace.id);
    expect(declarationOf(catalog, 'contact', 'allergies')).toMatchObject({
      dataCategory: 'user.health_and_medical',
      sensitivity: 'special',
      encrypted: true,
      lookup: false,
      search: false,
    });
    expect(declarationOf(catalog, 'contact', 'favourite_team')).toMatchObject({ sensitivity: 'ordinary', purposes: ['sales', 'support', 'order_fulfilment'] });
    const listed = await t.request(workspace.keys.admin, { method: 'GET', url: '/api/v1/catalog?object=contact' });
    expect(listed.json().data.find((field: { field: string }) => field.field === 'allergies')).toMatchObject({ origin: 'custom_field', updatedAt: null });
  });

  it('keeps a changed custom field declaration, and forgets it when the field is deleted and defined again', async () => {
    expect((await defineField('loyalty_tier', 'user.demographic.profile')).statusCode).toBe(201);
    const changed = await change('contact', 'loyalty_tier', { purposes: ['sales', 'email_marketing'] });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().data).toMatchObject({ origin: 'custom_field', purposes: ['sales', 'email_marketing'] });
    expect(declarationOf(await workspaceCatalog(t.database.db, workspace.id), 'contact', 'loyalty_tier')?.purposes).toEqual(['sales', 'email_marketing']);

    const deleted = await t.request(workspace.keys.admin, { method: 'DELETE', url: '/api/v1/custom-fields/contact/loyalty_tier' });
    expect(deleted.statusCode).toBe(204);
    expect(declarationOf(await workspaceCatalog(t.database.db, workspace.id), 'contact', 'loyalty_tier')).toBeUndefined();
    expect((await defineField('loyalty_tier', 'user.demographic.profile')).statusCode).toBe(201);
    expect(declarationOf(await workspaceCatalog(t.database.db, workspace.id), 'contact', 'loyalty_tier')?.purposes).toEqual([
      'sales',
      'support',
      'order_fulfilment',
    ]);
  });

  it('names built-in fields as the API does and custom fields by their keys, and takes either spelling of a built-in field', async () => {
    expect((await defineField('shoe_size_eu', 'user.demographic.profile')).statusCode).toBe(201);
    const names = async (object: string) =>
      ((await t.request(workspace.keys.admin, { method: 'GET', url: `/api/v1/catalog?object=${object}` })).json().data as Array<{ field: string }>).map(
        (entry) => entry.field,
      );
    expect(await names('contact')).toContain('shoe_size_eu');
    expect(await names('visitor')).toEqual(['anonymousId']);
    const camel = await change('contact', 'externalId', { purposes: ['sales', 'support'] });
    expect(camel.json().data).toMatchObject({ field: 'externalId', purposes: ['sales', 'support'] });
    const stored = await change('contact', 'external_id', { purposes: ['sales'] });
    expect(stored.json().data).toMatchObject({ field: 'externalId', purposes: ['sales'] });
  });

  it('reads the whole workspace catalog in one statement', async () => {
    const statements: string[] = [];
    const counting = new Proxy(t.database.db, {
      get(target, property, receiver) {
        if (property === 'execute')
          return (query: unknown) => {
            statements.push('execute');
            return target.execute(query as never);
          };
        if (property === 'select')
          return (...args: unknown[]) => {
            statements.push('select');
            return (target.select as (...a: unknown[]) => unknown)(...args);
          };
        return Reflect.get(target, property, receiver);
      },
    });
    await workspaceCatalog(counting, workspace.id);
    expect(statements).toEqual(['execute']);
  });
});
