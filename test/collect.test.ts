import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectLimits } from '../src/http/routes/collect.ts';
import { giveConsent } from './support/consentLedger.ts';
import { createTestApp, errorFields, type TestApp, type TestWorkspace } from './support/testApp.ts';

/*
 * POST /api/v1/collect under public form keys: only fields a holding purpose is declared for
 * are stored (422 naming the others and storing nothing, or dropped and reported); a known
 * e-mail changes no field and its marketing consent stays pending; events without a live
 * consent are not stored (here and on POST /events); CORS per allowed origin; limits; keys
 * that were rotated or revoked are refused. Checked in the raw tables.
 */

let t: TestApp;
let workspace: TestWorkspace;
const origin = 'https://www.shop.example';

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
});
afterAll(() => t.close());

async function formKey(body: Record<string, unknown> = {}): Promise<{ id: string; publicKey: string }> {
  const response = await t.request(workspace.keys.admin, {
    method: 'POST',
    url: '/api/v1/form-keys',
    payload: { name: 'Newsletter', allowedOrigins: [origin], ...body },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().data;
}

const collect = (publicKey: string, payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/collect',
    payload,
    headers: { 'candor-form-key': publicKey, origin, 'user-agent': 'TestBrowser/1.0', ...headers },
    remoteAddress: headers['x-test-ip'] ?? '203.0.113.7',
  });

async function count(table: string): Promise<number> {
  const [row] = await t.database.query<{ n: number }>(`select count(*)::int as n from ${table} where tenant_id = $1`, [workspace.id]);
  return row.n;
}
const counts = async () => ({
  contacts: await count('contacts'),
  consents: await count('consent_events'),
  events: await count('events'),
  visitors: await count('visitors'),
  pending: await count('pending_consents'),
});

async function contactIdOf(email: string): Promise<string | undefined> {
  const response = await t.request(workspace.keys.admin, { method: 'POST', url: '/api/v1/contacts/search', payload: { email }, purpose: 'sales' });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().data?.[0]?.id;
}

describe('fields a holding purpose is declared for', () => {
  it('refuses a field no holding purpose is declared for, naming every one, and stores nothing', async () => {
    const key = await formKey();
    const before = await counts();
    const response = await collect(key.publicKey, {
      fields: { email: 'refused@example.org', phone: '+15550100101', favouriteColour: 'green' },
      consents: [{ purposeKey: 'email_marketing', given: true }],
    });
    expect(response.statusCode, response.body).toBe(422);
    expect(errorFields(response.json()).sort()).toEqual(['fields.favouriteColour', 'fields.phone']);
    expect(await counts()).toEqual(before);
  });

  it('drops them instead when the key says so, and reports them', async () => {
    const key = await formKey({ unneededFields: 'drop', purposes: ['sales'] });
    const response = await collect(key.publicKey, { fields: { email: 'dropped@example.org', firstName: 'Dora', favouriteColour: 'green' }, consents: [] });
    expect(response.statusCode, response.body).toBe(202);
    expect(response.json().data.dropped).toEqual(['fields.favouriteColour']);
    expect(await contactIdOf('dropped@example.org')).toBeDefined();
  });

  it('counts a consent given in the same request: its fields become storable', async () => {
    const key = await formKey();
    const without = await collect(key.publicKey, { fields: { email: 'same.request@example.org', country: 'NL' }, consents: [] });
    expect(without.statusCode).toBe(422);
    expect(errorFields(without.json()).sort()).toEqual(['fields.country', 'fields.email']);
    const withConsent = await collect(key.publicKey, {
      fields: { email: 'same.request@example.org', country: 'NL' },
      consents: [
        { purposeKey: 'email_marketing', given: true },
        { purposeKey: 'web_analytics', given: true },
      ],
    });
    expect(withConsent.statusCode, withConsent.body).toBe(202);
    expect(withConsent.json().data.consents).toEqual([
      { purposeKey: 'email_marketing', state: 'pending' },
      { purposeKey: 'web_analytics', state: 'given' },
    ]);
  });
});

describe('who the submission names', () => {
  it('creates an unknown e-mail as a form contact with live consent for the purposes given (marketing pending)', async () => {
    const key = await formKey();
    const response = await collect(key.publicKey, {
      fields: { email: 'new.person@example.org', country: 'DE' },
      consents: [
        { purposeKey: 'web_analytics', given: true },
        { purposeKey: 'email_marketing', given: true },
      ],
    });
    expect(response.statusCode, response.body).toBe(202);
    const [contact] = await t.database.query<{ id: string; source: string }>(
      "select c.id, c.source from contacts c join consent_events e on e.tenant_id = c.tenant_id and e.subject_id = c.id where c.tenant_id = $1 and e.channel = 'form' and e.purpose_key = 'web_analytics' order by e.recorded_at desc limit 1",
      [workspace.id],
    );
    expect(contact.source).toBe('form');
    const states = await t.database.query<{ purpose_key: string; state: string }>(
      'select purpose_key, state from consent_states where tenant_id = $1 and subject_id = $2',
      [workspace.id, contact.id],
    );
    expect(states).toEqual([{ purpose_key: 'web_analytics', state: 'given' }]);
    const [pending] = await t.database.query<{ n: number }>('select count(*)::int as n from pending_consents where tenant_id = $1 and subject_id = $2', [
      workspace.id,
      contact.id,
    ]);
    expect(pending.n).toBe(1);
  });

  it('changes no field of a known contact, and its marketing consent is not live', async () => {
    const created = await t.request(workspace.keys.admin, {
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { email: 'known@example.org', firstName: 'Kim', lastName: 'Known' },
      purpose: 'sales',
    });
    const id = created.json().data.id;
    const read = async () => (await t.request(workspace.keys.admin, { method: 'GET', url: `/api/v1/contacts/${id}`, purpose: 'sales' })).json().data;
    const before = await read();
    const key = await formKey({ purposes: ['sales'] });
    const response = await collect(key.publicKey, {
      fields: { email: 'known@example.org', firstName: 'Mallory', lastName: 'Overwrite' },
      consents: [{ purposeKey: 'email_marketing', given: true }],
    });
    expect(response.statusCode, response.body).toBe(202);
    expect(response.json().data.consents).toEqual([{ purposeKey: 'email_marketing', state: 'pending' }]);
    expect(await read()).toEqual(before);
    const live = await t.database.query('select 1 from consent_states where tenant_id = $1 and subject_id = $2', [workspace.id, id]);
    expect(live).toEqual([]);
  });

  it("records no refusal or consent a form says of a known contact: a stranger cannot cancel someone's consent", async () => {
    const created = await t.request(workspace.keys.admin, {
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { email: 'consenting@example.org', firstName: 'Connie' },
      purpose: 'sales',
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().data.id;
    await giveConsent(t.database.db, workspace.id, id, 'web_analytics');
    const ledger = () =>
      t.database.query('select purpose_key, state from consent_events where tenant_id = $1 and subject_id = $2 order by recorded_at', [workspace.id, id]);
    const before = await ledger();
    const key = await formKey({ purposes: ['sales'] });
    const refusal = await collect(key.publicKey, {
      fields: { email: 'consenting@example.org' },
      consents: [
        { purposeKey: 'web_analytics', given: false },
        { purposeKey: 'email_marketing', given: false },
      ],
    });
    expect(refusal.statusCode, refusal.body).toBe(202);
    // The same answer a new address gets: the form tells nobody who is a contact.
    expect(refusal.json().data.consents).toEqual([
      { purposeKey: 'web_analytics', state: 'refused' },
      { purposeKey: 'email_marketing', state: 'refused' },
    ]);
    expect(await ledger()).toEqual(before);
    const [state] = await t.database.query<{ state: string }>(
      "select state from consent_states where tenant_id = $1 and subject_id = $2 and purpose_key = 'web_analytics'",
      [workspace.id, id],
    );
    expect(state.state).toBe('given');
  });

  it('keeps no raw address or agent in the evidence', async () => {
    const key = await formKey({ purposes: ['sales'] });
    const response = await collect(key.publicKey, {
      fields: { email: 'evidence@example.org', country: 'FR' },
      consents: [{ purposeKey: 'web_analytics', given: true }],
    });
    expect(response.statusCode, response.body).toBe(202);
    const rows = await t.database.query<{ evidence: string }>("select evidence from consent_events where tenant_id = $1 and channel = 'form'", [workspace.id]);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.evidence).not.toContain('203.0.113.7');
      expect(row.evidence).not.toContain('TestBrowser');
    }
    const id = await contactIdOf('evidence@example.org');
    const history = await t.request(workspace.keys.admin, { method: 'GET', url: `/api/v1/contacts/${id}/consents`, purpose: 'web_analytics' });
    const [event] = history.json().data;
    expect(event.evidence).toMatchObject({ formKeyId: key.id, origin, ipHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(JSON.stringify(event.evidence)).not.toContain('203.0.113.7');
  });
});

describe('events without a live consent', () => {
  const event = () => ({ type: 'page_view', occurredAt: new Date().toISOString(), properties: { url: 'https://www.shop.example/' } });

  it('are not stored on /collect, and are once the visitor consents', async () => {
    const key = await formKey();
    const before = await counts();
    const refused = await collect(key.publicKey, {
      visitorId: 'visitor-no-consent',
      eventPurposeKey: 'web_analytics',
      events: [event(), event()],
      consents: [],
    });
    expect(refused.statusCode, refused.body).toBe(202);
    expect(refused.json().data).toMatchObject({ notStored: 2, notStoredReason: 'no_live_consent' });
    expect(await counts()).toEqual(before);
    const consented = await collect(key.publicKey, {
      visitorId: 'visitor-consents',
      eventPurposeKey: 'web_analytics',
      events: [event()],
      consents: [{ purposeKey: 'web_analytics', given: true }],
    });
    expect(consented.json().data.notStored).toBe(0);
    expect(await count('events')).toBe(before.events + 1);
  });

  it('are not stored on POST /events either', async () => {
    const before = await counts();
    const single = await t.request(workspace.keys.marketing, {
      method: 'POST',
      url: '/api/v1/events',
      payload: { ...event(), anonymousId: 'events-no-consent' },
      purpose: 'web_analytics',
    });
    expect(single.statusCode, single.body).toBe(202);
    expect(single.json()).toMatchObject({ data: null, notStored: 1, notStoredReason: 'no_live_consent' });
    const batch = await t.request(workspace.keys.marketing, {
      method: 'POST',
      url: '/api/v1/events/batch',
      payload: {
        events: [
          { ...event(), anonymousId: 'events-no-consent' },
          { ...event(), anonymousId: 'visitor-consents' },
        ],
      },
      purpose: 'web_analytics',
    });
    expect(batch.statusCode, batch.body).toBe(201);
    expect(batch.json().data).toMatchObject({ accepted: 1, notStored: 1, notStoredReason: 'no_live_consent' });
    expect(await count('events')).toBe(before.events + 1);
    expect(await count('visitors')).toBe(before.visitors);
  });
});

describe('the door: keys, origins and limits', () => {
  it('answers CORS for allowed origins only', async () => {
    const key = await formKey();
    const preflight = await t.app.inject({ method: 'OPTIONS', url: '/api/v1/collect', headers: { origin, 'access-control-request-method': 'POST' } });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(origin);
    const otherPreflight = await t.app.inject({ method: 'OPTIONS', url: '/api/v1/collect', headers: { origin: 'https://evil.example' } });
    expect(otherPreflight.statusCode).toBe(403);
    expect(otherPreflight.headers['access-control-allow-origin']).toBeUndefined();
    const other = await collect(key.publicKey, { consents: [] }, { origin: 'https://evil.example' });
    expect(other.statusCode).toBe(403);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const allowed = await collect(key.publicKey, { consents: [] });
    expect(allowed.statusCode).toBe(202);
    expect(allowed.headers['access-control-allow-origin']).toBe(origin);
  });

  it('refuses rotated and revoked keys with 401', async () => {
    const key = await formKey();
    const rotated = await t.request(workspace.keys.admin, { method: 'POST', url: `/api/v1/form-keys/${key.id}/rotate` });
    expect(rotated.statusCode, rotated.body).toBe(200);
    const old = await collect(key.publicKey, { consents: [] });
    expect(old.statusCode).toBe(401);
    expect(old.headers['content-type']).toContain('application/problem+json');
    const fresh = rotated.json().data.publicKey;
    expect((await collect(fresh, { consents: [] })).statusCode).toBe(202);
    expect((await t.request(workspace.keys.admin, { method: 'DELETE', url: `/api/v1/form-keys/${key.id}` })).statusCode).toBe(200);
    expect((await collect(fresh, { consents: [] })).statusCode).toBe(401);
  });

  it('limits each client under a key: 429 past the limit', async () => {
    const key = await formKey();
    for (let attempt = 0; attempt < collectLimits.perClient; attempt++) {
      expect((await collect(key.publicKey, { consents: [] }, { 'x-test-ip': '198.51.100.9' })).statusCode).toBe(202);
    }
    const over = await collect(key.publicKey, { consents: [] }, { 'x-test-ip': '198.51.100.9' });
    expect(over.statusCode).toBe(429);
    expect(over.headers['retry-after']).toBeDefined();
  });
});
