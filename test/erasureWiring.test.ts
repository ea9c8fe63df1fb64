import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db/rows.ts';
import { readFileSync } from 'node:fs';
import { erasureSurvivors, tablesNamingErasedIds } from '../src/kernel/index.ts';
import { consentingVisitors } from './support/consentingVisitors.ts';
import { tableName, tablesHolding } from './support/databaseScan.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

/*
 * Every erasure takes one path (src/privacy/erasure/subjectErasure.ts eraseSubject): a
 * verified erasure request completes through it and shreds the requester's identity, and a
 * legal hold (Art. 17(3)) stops it on every path until it is released; the request record
 * and the hold are what survive, as the survivors list says.
 */

let t: TestApp;
let workspace: TestWorkspace;
beforeAll(async () => {
  t = await createTestApp({ config: { publicUrl: 'https://crm.example.org' } });
  workspace = await t.createWorkspace();
});
afterAll(() => t.close());

const desk = (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) =>
  t.request(workspace.keys.privacy_officer, { method, url, payload, purpose: 'legal_compliance' });

async function createContact(email: string): Promise<string> {
  const response = await t.request(workspace.keys.admin, { method: 'POST', url: '/api/v1/contacts', payload: { firstName: 'Erin', email }, purpose: 'sales' });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().data.id;
}

const erasureOf = async (id: string) =>
  rowsOf<{ reason: string; request_id: string | null }>(
    await t.database.db.execute(sql`select reason, request_id from erasures where tenant_id = ${workspace.id} and subject_id = ${id}`),
  );

describe('the one path of every erasure', () => {
  it('completes a verified erasure request: the contact is erased and suppressed, the request kept with its identity shredded', async () => {
    const contactId = await createContact('erin.request@example.org');
    const created = await desk('POST', '/api/v1/requests', { regime: 'gdpr', kind: 'erasure', email: 'erin.request@example.org', verified: true });
    expect(created.statusCode, created.body).toBe(201);
    const requestId: string = created.json().data.id;
    const completed = await desk('POST', `/api/v1/requests/${requestId}/complete`);
    expect(completed.statusCode, completed.body).toBe(200);
    expect(completed.json().data).toMatchObject({ state: 'completed', outcome: { status: 'done', erased: true, suppressedEmails: 1 } });

    expect((await t.request(workspace.keys.admin, { method: 'GET', url: `/api/v1/contacts/${contactId}`, purpose: 'sales' })).statusCode).toBe(404);
    expect(await erasureOf(contactId)).toEqual([{ reason: 'erasure_request', request_id: requestId }]);
    expect((await desk('GET', `/api/v1/requests/${requestId}`)).json().data).toMatchObject({ id: requestId, state: 'completed', identity: null });
    const naming = [...(await tablesHolding(t.database, contactId)).keys()].map(tableName);
    expect(naming.filter((table) => !tablesNamingErasedIds().has(table))).toEqual([]);
    const again = await t.request(workspace.keys.admin, {
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { email: 'erin.request@example.org' },
      purpose: 'sales',
    });
    expect(again.json().code).toBe('suppressed');
  });

  it('refuses to erase a subject under a legal hold (409 legal_hold) until the hold is released; the hold outlives the erasure', async () => {
    const contactId = await createContact('erin.held@example.org');
    const hold = await t.request(workspace.keys.privacy_officer, {
      method: 'POST',
      url: '/api/v1/legal-holds',
      payload: { subjectId: contactId, reason: 'Pending tax audit' },
    });
    expect(hold.statusCode, hold.body).toBe(201);
    const refused = await t.request(workspace.keys.admin, { method: 'DELETE', url: `/api/v1/contacts/${contactId}`, purpose: 'sales' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().errors).toEqual([{ field: 'subjectId', reason: 'legal_hold' }]);
    expect((await t.request(workspace.keys.admin, { method: 'GET', url: `/api/v1/contacts/${contactId}`, purpose: 'sales' })).statusCode).toBe(200);
    expect(await erasureOf(contactId)).toEqual([]);

    const released = await t.request(workspace.keys.privacy_officer, { method: 'POST', url: `/api/v1/legal-holds/${hold.json().data.id}/release` });
    expect(released.statusCode, released.body).toBe(200);
    expect((await t.request(workspace.keys.admin, { method: 'DELETE', url: `/api/v1/contacts/${contactId}`, purpose: 'sales' })).statusCode).toBe(204);
    expect(await erasureOf(contactId)).toEqual([{ reason: 'staff_deletion', request_id: null }]);
    expect([...(await tablesHolding(t.database, contactId)).keys()].map(tableName)).toContain('legal_holds');
  });

  it('erases a visitor profile through the same path: an erasures row, and only the survivors still name its id', async () => {
    const visitorId = (await consentingVisitors(t.database, workspace.id, ['erasure-wiring-browser'])).get('erasure-wiring-browser')!;
    const erased = await t.request(workspace.keys.admin, { method: 'DELETE', url: `/api/v1/visitors/${visitorId}`, purpose: 'web_analytics' });
    expect(erased.statusCode, erased.body).toBe(204);
    expect(await erasureOf(visitorId)).toEqual([{ reason: 'staff_deletion', request_id: null }]);
    const naming = [...(await tablesHolding(t.database, visitorId)).keys()].map(tableName);
    expect(naming.filter((table) => !tablesNamingErasedIds().has(table))).toEqual([]);
    expect((await t.request(workspace.keys.admin, { method: 'DELETE', url: `/api/v1/visitors/${visitorId}`, purpose: 'web_analytics' })).statusCode).toBe(404);
  });

  it("names in the README's section every table the survivors list keeps, with its reason", () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('### Erasure that leaves nothing'), readme.indexOf('### Configuration'));
    for (const survivor of erasureSurvivors) expect(section, survivor.table).toContain(`\`${survivor.table}\``);
  });
});
