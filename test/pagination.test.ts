import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { newId } from '../src/db/ids.ts';
import { systemContext } from '../src/kernel/accessContext.ts';
import { insertContacts, type NewContact } from '../src/kernel/contactRecords.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const sameInstant = new Date('2024-03-01T12:00:00.000Z');

async function seedContacts(workspace: TestWorkspace, count: number, extra: (index: number) => Partial<NewContact> = () => ({})): Promise<string[]> {
  const rows = Array.from(
    { length: count },
    (_, index): NewContact => ({
      id: newId(),
      ownerId: null,
      companyId: null,
      lifecycleStage: 'lead',
      source: 'import',
      createdAt: sameInstant,
      personal: { first_name: `Row ${index}` },
      ...extra(index),
    }),
  );
  await t.database.db.transaction((tx) => insertContacts(tx, systemContext(workspace.id, 'test', 'sales'), rows));
  return rows.map((row) => row.id);
}

/** Walks every page of a list, calling `between` after each page; returns the ids served, in order. */
async function walk(key: string, url: string, between: (page: number) => Promise<void>): Promise<string[]> {
  const served: string[] = [];
  let cursor: string | null = null;
  let page = 0;
  do {
    const separator = url.includes('?') ? '&' : '?';
    const response = await t.request(key, { method: 'GET', url: `${url}${separator}limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}` });
    expect(response.statusCode).toBe(200);
    const body = response.json() as { data: Array<{ id: string }>; nextCursor: string | null };
    served.push(...body.data.map((row) => row.id));
    cursor = body.nextCursor;
    page += 1;
    await between(page);
  } while (cursor && page < 50);
  return served;
}

const repeated = (ids: string[]) => ids.filter((id, index) => ids.indexOf(id) !== index);

describe('cursor pagination', () => {
  it('serves every contact once when contacts with the same created time are inserted between pages', async () => {
    const workspace = await t.createWorkspace();
    const original = await seedContacts(workspace, 10);
    const inserted: string[] = [];
    const served = await walk(workspace.keys.admin, '/api/v1/contacts?sort=createdAt', async () => {
      inserted.push(...(await seedContacts(workspace, 2)));
    });
    expect(repeated(served)).toEqual([]);
    expect(served.slice(0, 10)).toEqual(original);
    // Rows inserted after the cursor's position (same time, later id) are served too, once each.
    expect(served.filter((id) => inserted.includes(id)).length).toBeGreaterThan(0);
  });

  it('never repeats or skips a contact when newer contacts arrive during a newest-first walk', async () => {
    const workspace = await t.createWorkspace();
    const original: string[] = [];
    for (let index = 0; index < 8; index += 1) {
      const response = await t.request(workspace.keys.admin, { method: 'POST', url: '/api/v1/contacts', payload: { firstName: `N${index}` } });
      original.push(response.json().data.id);
    }
    const served = await walk(workspace.keys.admin, '/api/v1/contacts?sort=-createdAt', async () => {
      await t.request(workspace.keys.admin, { method: 'POST', url: '/api/v1/contacts', payload: { firstName: 'Late' } });
    });
    expect(served).toEqual([...original].reverse());
  });

  it('pages by last activity with contacts that have none last', async () => {
    const workspace = await t.createWorkspace();
    const ids = await seedContacts(workspace, 7);
    for (const [index, id] of ids.slice(0, 4).entries()) {
      await t.database.db.execute(
        sql`update contacts set last_activity_at = ${new Date(Date.UTC(2024, 0, 1 + (index % 2))).toISOString()}::timestamptz where tenant_id = ${workspace.id} and id = ${id}`,
      );
    }
    const served = await walk(workspace.keys.admin, '/api/v1/contacts?sort=-lastActivityAt', async () => {
      await seedContacts(workspace, 1);
    });
    expect(repeated(served)).toEqual([]);
    expect(served.slice(0, 4)).toEqual([ids[3], ids[1], ids[2], ids[0]]); // ties go by id, in the same direction
    for (const id of ids) expect(served).toContain(id);
  });

  it('serves every company once by name with duplicate names and inserts between pages', async () => {
    const workspace = await t.createWorkspace();
    const names = ['delta', 'Alpha', 'charlie', 'Bravo', 'alpha', 'Echo', 'bravo'];
    const original: string[] = [];
    for (const name of names) {
      original.push((await t.request(workspace.keys.admin, { method: 'POST', url: '/api/v1/companies', payload: { name } })).json().data.id);
    }
    const served = await walk(workspace.keys.admin, '/api/v1/companies?sort=name', async (page) => {
      await t.request(workspace.keys.admin, { method: 'POST', url: '/api/v1/companies', payload: { name: page % 2 ? 'Aardvark' : 'Zulu' } });
    });
    expect(repeated(served)).toEqual([]);
    for (const id of original) expect(served).toContain(id);
    const servedNames = await Promise.all(
      served.map(async (id) => (await t.request(workspace.keys.admin, { method: 'GET', url: `/api/v1/companies/${id}` })).json().data.name.toLowerCase()),
    );
    expect(servedNames).toEqual([...servedNames].sort());
  });

  it('refuses a cursor made for another sort order, naming cursor', async () => {
    const workspace = await t.createWorkspace();
    await seedContacts(workspace, 4);
    const first = await t.request(workspace.keys.admin, { method: 'GET', url: '/api/v1/contacts?sort=createdAt&limit=2' });
    const response = await t.request(workspace.keys.admin, { method: 'GET', url: `/api/v1/contacts?sort=updatedAt&cursor=${first.json().nextCursor}` });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors[0].field).toBe('cursor');
  });
});
