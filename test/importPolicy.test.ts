import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

// Issue 7, finding 1: an import is a write of personal data like any other, so the field
// policy of the purpose it names applies to it exactly as it does to POST /contacts.

let t: TestApp;
let workspace: TestWorkspace;
const purpose = 'email_marketing_existing_customers';

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
});
afterAll(() => t.close());

async function contactCount(): Promise<number> {
  const [row] = await t.database.query<{ n: number }>('select count(*)::int as n from contacts where tenant_id = $1', [workspace.id]);
  return row.n;
}

describe('imports under a purpose', () => {
  it('refuses a phone through POST /contacts for a purpose not declared to use it (the control)', async () => {
    const response = await t.request(workspace.keys.marketing, { method: 'POST', url: '/api/v1/contacts', payload: { email: 'ana@example.org', phone: '+34915550101' }, purpose });
    expect(response.statusCode).toBe(403);
    expect(response.json().errors).toContainEqual({ field: 'phone', reason: `not declared for the purpose ${purpose}` });
  });

  it('refuses a CSV import with a phone column under the same purpose, naming the column, and stores nothing', async () => {
    const before = await contactCount();
    const csv = 'Email,Phone\nana@example.org,+34915550101\nbea@example.org,+34915550102\n';
    const response = await t.request(workspace.keys.marketing, { method: 'POST', url: '/api/v1/imports?object=contact', payload: csv, headers: { 'content-type': 'text/csv' }, purpose });
    expect(response.statusCode).toBe(403);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.json().errors).toContainEqual({ field: 'phone', reason: `not declared for the purpose ${purpose}` });
    expect(JSON.stringify(response.json())).not.toContain('+34915550101');
    expect(await contactCount()).toBe(before);
    const [staged] = await t.database.query<{ n: number }>('select count(*)::int as n from import_staging where tenant_id = $1', [workspace.id]);
    expect(staged.n).toBe(0);
  });

  it('imports the columns the purpose may use when the file holds only those', async () => {
    const csv = 'Email,First Name\ncarla@example.org,Carla\n';
    const response = await t.request(workspace.keys.marketing, { method: 'POST', url: '/api/v1/imports?object=contact', payload: csv, headers: { 'content-type': 'text/csv' }, purpose });
    expect(response.statusCode).toBe(201);
    expect(response.json().data).toMatchObject({ status: 'published', importedRows: 1 });
  });
});
