import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorFields, type TestApp, type TestWorkspace } from './support/testApp.ts';

/*
 * POST and GET /api/v1/contacts/{id}/consents: staff record a contact's consent; the very
 * next list for the purpose follows it; the history reads the ledger back with the note; each
 * event raises its consent.* webhook; a retried request records once.
 */

let t: TestApp;
let workspace: TestWorkspace;
beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
});
afterAll(() => t.close());

const marketing = (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>, headers?: Record<string, string>) =>
  t.request(workspace.keys.marketing, { method, url, payload, purpose: 'email_marketing', headers });

async function createContact(email: string): Promise<string> {
  const response = await t.request(workspace.keys.admin, {
    method: 'POST',
    url: '/api/v1/contacts',
    payload: { firstName: 'Consent', email },
    purpose: 'sales',
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().data.id;
}

const listedForMarketing = async () => (await marketing('GET', '/api/v1/contacts?limit=100')).json().data.map((row: { id: string }) => row.id);

describe('staff recording consent on a contact', () => {
  it('gives, withdraws, and the very next list follows; the history shows both with the note; webhooks are raised', async () => {
    const hook = await t.request(workspace.keys.admin, {
      method: 'POST',
      url: '/api/v1/webhooks',
      payload: { url: 'https://hooks.example.org/consent', eventTypes: ['consent.given', 'consent.withdrawn'] },
    });
    expect(hook.statusCode, hook.body).toBe(201);
    const id = await createContact('consent.route@example.org');
    expect(await listedForMarketing()).not.toContain(id);

    const given = await marketing('POST', `/api/v1/contacts/${id}/consents`, {
      purposeKey: 'email_marketing',
      state: 'given',
      note: 'Asked for the newsletter by phone',
    });
    expect(given.statusCode).toBe(201);
    expect(given.json().data).toMatchObject({
      contactId: id,
      state: 'given',
      channel: 'staff',
      dpvStatus: 'https://w3id.org/dpv#ConsentGiven',
      evidence: { note: 'Asked for the newsletter by phone' },
    });
    expect(await listedForMarketing()).toContain(id);

    const withdrawn = await marketing('POST', `/api/v1/contacts/${id}/consents`, { purposeKey: 'email_marketing', state: 'withdrawn' });
    expect(withdrawn.statusCode).toBe(201);
    expect(await listedForMarketing()).not.toContain(id);
    expect((await marketing('GET', `/api/v1/contacts/${id}`)).json().withheld).toContainEqual(
      expect.objectContaining({ field: 'email', reason: 'no_live_consent' }),
    );

    const history = await marketing('GET', `/api/v1/contacts/${id}/consents`);
    expect(history.statusCode).toBe(200);
    expect(history.json().data.map((event: { state: string; evidence: unknown }) => [event.state, event.evidence])).toEqual([
      ['given', { note: 'Asked for the newsletter by phone' }],
      ['withdrawn', null],
    ]);
    const deliveries = await t.database.query<{ event_type: string; payload: { data: { id: string; relatedIds: string[] } } }>(
      'select event_type, payload from webhook_deliveries where tenant_id = $1 order by event_type',
      [workspace.id],
    );
    expect(deliveries.map((delivery) => delivery.event_type)).toEqual(['consent.given', 'consent.withdrawn']);
    expect(deliveries[0]!.payload.data).toMatchObject({ id: given.json().data.id, relatedIds: [id] });
    expect(JSON.stringify(deliveries)).not.toContain('newsletter by phone');
  });

  it('records a retried request once, and refuses what the ledger cannot take', async () => {
    const id = await createContact('consent.retry@example.org');
    const headers = { 'idempotency-key': `consent-${id}` };
    const first = await marketing('POST', `/api/v1/contacts/${id}/consents`, { purposeKey: 'email_marketing', state: 'given' }, headers);
    const again = await marketing('POST', `/api/v1/contacts/${id}/consents`, { purposeKey: 'email_marketing', state: 'given' }, headers);
    expect([first.statusCode, again.statusCode]).toEqual([201, 201]);
    expect(again.json().data.id).toBe(first.json().data.id);
    expect((await marketing('GET', `/api/v1/contacts/${id}/consents`)).json().data).toHaveLength(1);

    const contract = await marketing('POST', `/api/v1/contacts/${id}/consents`, { purposeKey: 'email_marketing_existing_customers', state: 'given' });
    expect(contract.statusCode).toBe(422);
    expect(errorFields(contract.json())).toContain('purposeKey');
    const badState = await marketing('POST', `/api/v1/contacts/${id}/consents`, { purposeKey: 'email_marketing', state: 'expired' });
    expect(badState.statusCode).toBe(422);
    const missing = await marketing('POST', '/api/v1/contacts/0190f5b4-0000-7000-8000-000000000000/consents', {
      purposeKey: 'email_marketing',
      state: 'given',
    });
    expect(missing.statusCode).toBe(404);
    const ungranted = await t.request(workspace.keys.sales, {
      method: 'POST',
      url: `/api/v1/contacts/${id}/consents`,
      payload: { purposeKey: 'email_marketing', state: 'given' },
      purpose: 'sales',
    });
    expect(ungranted.statusCode).toBe(403);
  });

  it("expires a consent after the purpose's consent validity, which only a consent purpose takes", async () => {
    const admin = (method: 'GET' | 'PATCH', url: string, payload?: Record<string, unknown>, headers?: Record<string, string>) =>
      t.request(workspace.keys.admin, { method, url, payload, headers });
    const purposes = (await admin('GET', '/api/v1/purposes')).json().data as Array<{ key: string; version: number; consentValidityDays: number | null }>;
    const purpose = (key: string) => purposes.find((entry) => entry.key === key)!;
    expect(purpose('email_marketing').consentValidityDays).toBeNull();
    const changed = await admin(
      'PATCH',
      '/api/v1/purposes/email_marketing',
      { consentValidityDays: 30 },
      { 'if-match': `"${purpose('email_marketing').version}"` },
    );
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().data.consentValidityDays).toBe(30);
    const refused = await admin('PATCH', '/api/v1/purposes/sales', { consentValidityDays: 30 }, { 'if-match': `"${purpose('sales').version}"` });
    expect(refused.statusCode).toBe(422);
    expect(errorFields(refused.json())).toEqual(['consentValidityDays']);

    const id = await createContact('consent.expiry@example.org');
    const given = (await marketing('POST', `/api/v1/contacts/${id}/consents`, { purposeKey: 'email_marketing', state: 'given' })).json().data;
    expect(Date.parse(given.expiresAt) - Date.parse(given.recordedAt)).toBe(30 * 86_400_000);
  });
});
