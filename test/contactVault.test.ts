import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

// Contacts as the vault stores them, seen through the API and the raw tables: search over
// blind indexes finds exactly the right people while no table holds their values; sealed
// values moved between contacts or fields refuse to open; deletion shreds the key.

let t: TestApp;
let workspace: TestWorkspace;
let sales: string;

const create = async (payload: Record<string, unknown>) => {
  const response = await t.request(sales, { method: 'POST', url: '/api/v1/contacts', payload });
  expect(response.statusCode).toBe(201);
  return response.json().data as { id: string };
};
const search = (payload: Record<string, unknown>) => t.request(sales, { method: 'POST', url: '/api/v1/contacts/search', payload });
const ids = async (payload: Record<string, unknown>) => {
  const response = await search(payload);
  expect(response.statusCode).toBe(200);
  return (response.json().data as Array<{ id: string }>).map((row) => row.id);
};
const stored = async (id: string) =>
  (await t.database.query<{ personal: Record<string, string> }>('select personal from contacts where tenant_id = $1 and id = $2', [workspace.id, id]))[0]
    .personal;
const setStored = (id: string, personal: Record<string, string>) =>
  t.database.query('update contacts set personal = $1::jsonb where tenant_id = $2 and id = $3', [JSON.stringify(personal), workspace.id, id]);
const read = (id: string) => t.request(sales, { method: 'GET', url: `/api/v1/contacts/${id}` });

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
  sales = workspace.keys.sales;
});
afterAll(() => t.close());

describe('contacts in the vault', () => {
  it('finds contacts by exact e-mail, exact phone and name prefix while no table row holds those values', async () => {
    const ottilie = await create({ firstName: 'Ottilie', lastName: 'Brandvold', email: 'ottilie@vault.example', phone: '+47 22 33 44 55' });
    const otto = await create({ firstName: 'Otto', lastName: 'Brandt', email: 'otto@vault.example', phone: '+47 22 33 44 56' });
    const other = await create({ firstName: 'Bruno', lastName: 'Ottesen', email: 'bruno@vault.example' });

    expect(await ids({ email: 'OTTILIE@vault.example' })).toEqual([ottilie.id]);
    expect(await ids({ email: 'nobody@vault.example' })).toEqual([]);
    expect(await ids({ phone: '+47 22334456' })).toEqual([otto.id]);
    expect(await ids({ name: 'bran' })).toEqual([ottilie.id, otto.id]);
    expect(await ids({ name: 'brandv' })).toEqual([ottilie.id]);
    // "ott" starts a first name of two contacts and a last name of the third.
    expect(await ids({ name: 'ott' })).toEqual([ottilie.id, otto.id, other.id]);
    expect(await ids({ name: 'ottil' })).toEqual([ottilie.id]);

    const rows = await t.database.query<{ text: string }>(
      `select t::text as text from lookup_tokens t where tenant_id = $1
       union all select c::text from contacts c where tenant_id = $1`,
      [workspace.id],
    );
    const raw = rows
      .map((row) => row.text)
      .join('\n')
      .toLowerCase();
    for (const value of ['ottilie', 'brandvold', 'brandt', 'ottesen', 'bruno', 'vault.example', '4722334455', '4722334456']) expect(raw).not.toContain(value);
  });

  it('refuses to read two contacts whose sealed values were swapped, with integrity_error and no value', async () => {
    const first = await create({ firstName: 'Swapfirst', email: 'swapfirst@vault.example' });
    const second = await create({ firstName: 'Swapsecond', email: 'swapsecond@vault.example' });
    const [firstSealed, secondSealed] = [await stored(first.id), await stored(second.id)];
    expect((await read(first.id)).statusCode).toBe(200);
    await setStored(first.id, secondSealed);
    await setStored(second.id, firstSealed);
    for (const id of [first.id, second.id]) {
      const response = await read(id);
      expect(response.statusCode).toBe(500);
      expect(response.json().code).toBe('integrity_error');
      expect(response.body).toContain(id);
      expect(response.body.toLowerCase()).not.toMatch(/swapfirst|swapsecond/);
    }
  });

  it('refuses to read a contact whose sealed values were swapped between two of its fields', async () => {
    const contact = await create({ firstName: 'Fieldswap', lastName: 'Crossed', city: 'Tromsø' });
    const sealed = await stored(contact.id);
    await setStored(contact.id, { ...sealed, first_name: sealed.last_name, last_name: sealed.first_name });
    const response = await read(contact.id);
    expect(response.statusCode).toBe(500);
    expect(response.json().code).toBe('integrity_error');
    expect(response.body).toMatch(/first_name|last_name/);
    expect(response.body.toLowerCase()).not.toMatch(/fieldswap|crossed|troms/);
  });

  it('shreds the key of a deleted contact, so a copy of its sealed row no longer opens', async () => {
    const contact = await create({ firstName: 'Shredded', email: 'shredded@vault.example', phone: '+47 22 33 44 57' });
    const copy = await t.database.query<{ personal: Record<string, string>; lifecycle_stage: string; source: string }>(
      'select personal, lifecycle_stage, source from contacts where tenant_id = $1 and id = $2',
      [workspace.id, contact.id],
    );
    expect(await t.database.query('select 1 from subject_keys where tenant_id = $1 and subject_id = $2', [workspace.id, contact.id])).toHaveLength(1);

    const deleted = await t.request(workspace.keys.admin, { method: 'DELETE', url: `/api/v1/contacts/${contact.id}` });
    expect(deleted.statusCode).toBe(204);
    expect(await t.database.query('select 1 from subject_keys where tenant_id = $1 and subject_id = $2', [workspace.id, contact.id])).toHaveLength(0);
    expect(await ids({ email: 'shredded@vault.example' })).toEqual([]);

    // Restore the copied row as a backup would: it is there, but nothing of it opens.
    await t.database.query('insert into contacts (tenant_id, id, lifecycle_stage, source, personal) values ($1, $2, $3, $4, $5::jsonb)', [
      workspace.id,
      contact.id,
      copy[0].lifecycle_stage,
      copy[0].source,
      JSON.stringify(copy[0].personal),
    ]);
    expect(Object.keys(copy[0].personal)).toEqual(expect.arrayContaining(['first_name', 'email', 'phone']));
    const restored = await read(contact.id);
    expect(restored.statusCode).toBe(200);
    const data = restored.json().data as Record<string, unknown>;
    expect(data.id).toBe(contact.id);
    expect([data.firstName, data.email, data.phone].map((value) => value ?? null)).toEqual([null, null, null]);
    expect(restored.body.toLowerCase()).not.toContain('shredded');
  });
});
