import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentingVisitors } from './support/consentingVisitors.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

// Issue 7, "one front door": every path that writes personal data follows the field policy
// of the purpose it names, exactly as POST /contacts does: imports (finding 1), events'
// properties and visitors' anonymous ids (declared for web analytics only), activity text.

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
    const response = await t.request(workspace.keys.marketing, {
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { email: 'ana@example.org', phone: '+34915550101' },
      purpose,
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().errors).toContainEqual({ field: 'phone', reason: `not declared for the purpose ${purpose}` });
  });

  it('refuses a CSV import with a phone column under the same purpose, naming the column, and stores nothing', async () => {
    const before = await contactCount();
    const csv = 'Email,Phone\nana@example.org,+34915550101\nbea@example.org,+34915550102\n';
    const response = await t.request(workspace.keys.marketing, {
      method: 'POST',
      url: '/api/v1/imports?object=contact',
      payload: csv,
      headers: { 'content-type': 'text/csv' },
      purpose,
    });
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
    const response = await t.request(workspace.keys.marketing, {
      method: 'POST',
      url: '/api/v1/imports?object=contact',
      payload: csv,
      headers: { 'content-type': 'text/csv' },
      purpose,
    });
    expect(response.statusCode).toBe(201);
    expect(response.json().data).toMatchObject({ status: 'published', importedRows: 1 });
  });
});

describe('tracking and activity writes under a purpose', () => {
  const occurredAt = () => new Date().toISOString();
  async function contactId(): Promise<string> {
    const created = await t.request(workspace.keys.admin, {
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { email: `tracked.${Date.now()}@example.org` },
      purpose: 'sales',
    });
    expect(created.statusCode).toBe(201);
    return created.json().data.id;
  }
  async function eventCount(): Promise<number> {
    const [row] = await t.database.query<{ n: number }>('select count(*)::int as n from events where tenant_id = $1', [workspace.id]);
    return row.n;
  }

  it('refuses event properties for a purpose they are not declared for, naming properties, and stores nothing', async () => {
    const before = await eventCount();
    const response = await t.request(workspace.keys.admin, {
      method: 'POST',
      url: '/api/v1/events',
      payload: { type: 'page_view', occurredAt: occurredAt(), contactId: await contactId(), properties: { url: 'https://example.org/pricing' } },
      purpose: 'sales',
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().errors).toContainEqual({ field: 'properties', reason: 'not declared for the purpose sales' });
    expect(await eventCount()).toBe(before);
  });

  it('refuses a browser anonymous id for a purpose it is not declared for, naming anonymousId', async () => {
    const response = await t.request(workspace.keys.admin, {
      method: 'POST',
      url: '/api/v1/events',
      payload: { type: 'page_view', occurredAt: occurredAt(), anonymousId: 'anon-write-policy-1' },
      purpose: 'sales',
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().errors).toContainEqual({ field: 'anonymousId', reason: 'not declared for the purpose sales' });
    const [visitors] = await t.database.query<{ n: number }>('select count(*)::int as n from visitors where tenant_id = $1', [workspace.id]);
    expect(visitors.n).toBe(0);
  });

  it('stores both for web analytics, the purpose the catalog declares them for', async () => {
    await consentingVisitors(t.database, workspace.id, ['anon-write-policy-2']);
    const response = await t.request(workspace.keys.admin, {
      method: 'POST',
      url: '/api/v1/events',
      payload: { type: 'page_view', occurredAt: occurredAt(), anonymousId: 'anon-write-policy-2', properties: { url: 'https://example.org/' } },
      purpose: 'web_analytics',
    });
    expect(response.statusCode).toBe(201);
  });

  it('refuses activity text for a purpose it is not declared for', async () => {
    const response = await t.request(workspace.keys.admin, {
      method: 'POST',
      url: '/api/v1/activities',
      payload: { type: 'note', subject: 'Call notes', body: 'Asked about pricing', links: { contactIds: [await contactId()] } },
      purpose: 'web_analytics',
    });
    expect(response.statusCode).toBe(403);
    expect(
      response
        .json()
        .errors.map((issue: { field: string }) => issue.field)
        .sort(),
    ).toEqual(['body', 'subject']);
  });
});
