import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookUpAnonymousIds, wasConsentLive } from '../src/kernel/index.ts';
import { doubleOptInMailLimit } from '../src/privacy/doubleOptIn.ts';
import { collectOrigin as origin, collectRequests, openCollectApp } from './support/collectRequests.ts';
import { giveConsent, eventsWithoutTheirNotice } from './support/consentLedger.ts';
import { errorFields, type TestApp, type TestWorkspace } from './support/testApp.ts';

/*
 * POST /api/v1/collect under public form keys: only fields a holding purpose is declared for
 * are stored (422 naming the others and storing nothing, or dropped and reported); a known
 * e-mail changes no field; e-mail marketing consent is live only once the person uses the
 * link mailed to the address (double opt-in), and the answer never tells a known address
 * from a new one; Sec-GPC opts out. Checked in the raw tables. Events without consent and the door (CORS, keys,
 * limits): collectDoor.test.ts.
 */

let t: TestApp;
let workspace: TestWorkspace;
const { formKey, collect, counts } = collectRequests(() => ({ t, workspace }));

beforeAll(async () => {
  ({ t, workspace } = await openCollectApp());
});
afterAll(() => t.close());

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
    const requests = await t.database.query<{ purpose_key: string; channel: string }>(
      'select purpose_key, channel from consent_requests where tenant_id = $1 and subject_id = $2',
      [workspace.id, contact.id],
    );
    expect(requests).toEqual([{ purpose_key: 'email_marketing', channel: 'form' }]);
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

/** The confirmation link's token from the last mail, which must have gone to `email`. */
function tokenMailedTo(email: string): string {
  const mail = t.mail.at(-1)!;
  expect(mail.to).toBe(email);
  const link = new URL(/https:\/\/crm\.example\.org\/\S+/.exec(mail.text)![0]);
  expect(link.pathname).toBe('/api/v1/consents/confirm');
  return link.searchParams.get('token')!;
}

const confirmByPost = (token: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/consents/confirm',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    payload: new URLSearchParams({ token }).toString(),
  });

const marketingLive = (contactId: string) => wasConsentLive(t.database.db, workspace.id, contactId, 'email_marketing', new Date());

async function createContact(email: string, firstName = 'Kim'): Promise<string> {
  const created = await t.request(workspace.keys.admin, {
    method: 'POST',
    url: '/api/v1/contacts',
    payload: { email, firstName, lastName: 'Known' },
    purpose: 'sales',
  });
  expect(created.statusCode, created.body).toBe(201);
  return created.json().data.id;
}

describe('e-mail marketing consent given on a form (double opt-in)', () => {
  const signUp = (publicKey: string, email: string, headers: Record<string, string> = {}) =>
    collect(publicKey, { fields: { email, firstName: 'Mallory', lastName: 'Overwrite' }, consents: [{ purposeKey: 'email_marketing', given: true }] }, headers);
  const pendingAnswer = { data: { consents: [{ purposeKey: 'email_marketing', state: 'pending' }], dropped: [], notStored: 0 }, withheld: [] };

  it("A /collect submission with a known e-mail changes none of that contact's fields, and its e-mail-marketing consent is live only after the confirmation link", async () => {
    const id = await createContact('known@example.org');
    const read = async () => (await t.request(workspace.keys.admin, { method: 'GET', url: `/api/v1/contacts/${id}`, purpose: 'sales' })).json().data;
    const before = await read();
    const key = await formKey({ purposes: ['sales'] });
    const mailsBefore = t.mail.length;
    const response = await signUp(key.publicKey, 'known@example.org');
    expect(response.statusCode, response.body).toBe(202);
    expect(response.json()).toEqual(pendingAnswer);
    expect(await read()).toEqual(before);
    expect(await marketingLive(id)).toBe(false);
    expect(t.mail).toHaveLength(mailsBefore + 1);
    const token = tokenMailedTo('known@example.org');
    expect(await marketingLive(id)).toBe(false);

    const confirmed = await confirmByPost(token);
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(await marketingLive(id)).toBe(true);
    expect(await read()).toEqual(before);
    const history = await t.request(workspace.keys.marketing, { method: 'GET', url: `/api/v1/contacts/${id}/consents`, purpose: 'email_marketing' });
    const [event] = history.json().data;
    expect(event).toMatchObject({ purposeKey: 'email_marketing', state: 'given', channel: 'email_link' });
    expect(event.evidence).toMatchObject({ requestedVia: 'form', formKeyId: key.id, origin, ipHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('is refused from an anonymous visitor, naming the choice, since no address can confirm it, and stores nothing', async () => {
    const key = await formKey();
    const before = await counts();
    const response = await collect(key.publicKey, {
      visitorId: 'visitor-wants-newsletter',
      consents: [
        { purposeKey: 'web_analytics', given: true },
        { purposeKey: 'email_marketing', given: true },
      ],
    });
    expect(response.statusCode, response.body).toBe(422);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(errorFields(response.json())).toEqual(['consents.1.given']);
    expect(await counts()).toEqual(before);
    // A "no" needs no confirmation.
    const declined = await collect(key.publicKey, { visitorId: 'visitor-wants-newsletter', consents: [{ purposeKey: 'email_marketing', given: false }] });
    expect(declined.statusCode, declined.body).toBe(202);
  });

  it('the same for a new e-mail: the contact is created, and its marketing consent is live only after the confirmation link', async () => {
    const key = await formKey({ purposes: ['sales'] });
    const response = await signUp(key.publicKey, 'brand.new@example.org');
    expect(response.statusCode, response.body).toBe(202);
    expect(response.json()).toEqual(pendingAnswer);
    const id = (await contactIdOf('brand.new@example.org'))!;
    expect(id).toBeDefined();
    expect(await marketingLive(id)).toBe(false);
    const token = tokenMailedTo('brand.new@example.org');
    expect((await confirmByPost(token)).statusCode).toBe(200);
    expect(await marketingLive(id)).toBe(true);
    // The link works once.
    expect((await confirmByPost(token)).statusCode).toBe(422);
  });

  it('answers a known address exactly as a new one when the consent is already live or the mail limit is reached, and mails nothing then', async () => {
    const key = await formKey({ purposes: ['sales'] });
    const fresh = await signUp(key.publicKey, 'fresh.comparison@example.org');
    expect(fresh.json()).toEqual(pendingAnswer);

    const live = await createContact('already.live@example.org');
    await giveConsent(t.database.db, workspace.id, live, 'email_marketing');
    const mailsBefore = t.mail.length;
    const alreadyLive = await signUp(key.publicKey, 'already.live@example.org');
    expect(alreadyLive.statusCode).toBe(fresh.statusCode);
    expect(alreadyLive.json()).toEqual(fresh.json());
    expect(t.mail).toHaveLength(mailsBefore);

    const flooded = await createContact('flooded@example.org');
    const requestsOf = async () =>
      (
        await t.database.query<{ n: number }>('select count(*)::int as n from consent_requests where tenant_id = $1 and subject_id = $2', [
          workspace.id,
          flooded,
        ])
      )[0].n;
    for (let attempt = 0; attempt < doubleOptInMailLimit.limit; attempt++) {
      expect((await signUp(key.publicKey, 'flooded@example.org')).json()).toEqual(fresh.json());
    }
    expect(await requestsOf()).toBe(doubleOptInMailLimit.limit);
    const mailsAtLimit = t.mail.length;
    const over = await signUp(key.publicKey, 'flooded@example.org');
    expect(over.statusCode).toBe(fresh.statusCode);
    expect(over.json()).toEqual(fresh.json());
    expect(t.mail).toHaveLength(mailsAtLimit);
    // The refused request left nothing behind, and nothing became live.
    expect(await requestsOf()).toBe(doubleOptInMailLimit.limit);
    expect(await marketingLive(flooded)).toBe(false);
  });

  it('mails no second link when an idempotent submission is replayed', async () => {
    const key = await formKey({ purposes: ['sales'] });
    const first = await signUp(key.publicKey, 'replayed@example.org', { 'idempotency-key': 'signup-replayed-1' });
    expect(first.statusCode, first.body).toBe(202);
    const mails = t.mail.length;
    const replay = await signUp(key.publicKey, 'replayed@example.org', { 'idempotency-key': 'signup-replayed-1' });
    expect(replay.statusCode, replay.body).toBe(202);
    expect(replay.json()).toEqual(first.json());
    expect(t.mail).toHaveLength(mails);
  });
});

describe('Sec-GPC on /collect', () => {
  const optOuts = (subjectId: string) =>
    t.database.query<{ purpose_key: string; channel: string }>(
      "select purpose_key, channel from consent_events where tenant_id = $1 and subject_id = $2 and state = 'opted_out' order by purpose_key",
      [workspace.id, subjectId],
    );
  const gpcOptOuts = [
    { purpose_key: 'targeted_advertising', channel: 'gpc' },
    { purpose_key: 'third_party_sharing', channel: 'gpc' },
  ];

  it('"Sec-GPC: 1" opts a known contact out of sale, sharing and targeted advertising, channel gpc, with the same answer', async () => {
    const id = await createContact('gpc.known@example.org');
    const key = await formKey({ purposes: ['sales'] });
    const response = await collect(key.publicKey, { fields: { email: 'gpc.known@example.org' }, consents: [] }, { 'sec-gpc': '1' });
    expect(response.statusCode, response.body).toBe(202);
    expect(response.json().data).toEqual({ consents: [], dropped: [], notStored: 0 });
    expect(await optOuts(id)).toEqual(gpcOptOuts);
  });

  it('opts out the visitor profile and the new contact it names; any other value opts out nothing', async () => {
    const key = await formKey({ purposes: ['sales'] });
    const visitor = await collect(
      key.publicKey,
      { visitorId: 'gpc-form-visitor', consents: [{ purposeKey: 'web_analytics', given: true }] },
      { 'sec-gpc': '1' },
    );
    expect(visitor.statusCode, visitor.body).toBe(202);
    const profile = (await lookUpAnonymousIds(t.database.db, workspace.id, ['gpc-form-visitor'])).get('gpc-form-visitor')!;
    expect(await optOuts(profile.visitorId!)).toEqual(gpcOptOuts);

    const named = await collect(key.publicKey, { fields: { email: 'gpc.new@example.org' }, visitorId: 'gpc-form-visitor', consents: [] }, { 'sec-gpc': '1' });
    expect(named.statusCode, named.body).toBe(202);
    expect(await optOuts((await contactIdOf('gpc.new@example.org'))!)).toEqual(gpcOptOuts);

    for (const value of ['0', 'true']) {
      const email = `gpc.${value}@example.org`;
      expect((await collect(key.publicKey, { fields: { email }, consents: [] }, { 'sec-gpc': value })).statusCode).toBe(202);
      expect(await optOuts((await contactIdOf(email))!), value).toEqual([]);
    }
  });
});

describe('the notice each event was recorded under', () => {
  it('form consents, GPC opt-outs and double opt-in confirmations each name the notice version in force and its own hash', async () => {
    const { recorded, unstamped } = await eventsWithoutTheirNotice(t.database, workspace.id);
    expect(recorded).toBeGreaterThan(0);
    expect(unstamped).toBe(0);
  });
});
