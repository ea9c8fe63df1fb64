import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noticeLimits } from '../src/http/routes/collectNotices.ts';
import { lookUpAnonymousIds } from '../src/kernel/index.ts';
import { createTestApp, errorFields, type TestApp, type TestWorkspace } from './support/testApp.ts';

/*
 * What the consent widget needs of the server: its script (small, for any site to load), the
 * consent purposes' published notices under a form key (CORS for the key's origins, limits),
 * and /collect with channel widget — each choice recorded in the ledger with channel widget
 * and the notice version read, a "no" to a live consent as its withdrawal, and page views
 * stored only while analytics consent is live. Checked in the raw tables.
 */

let t: TestApp;
let workspace: TestWorkspace;
let publicKey: string;
const origin = 'https://www.shop.example';
const stranger = 'https://evil.example';

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
  const key = await t.request(workspace.keys.admin, { method: 'POST', url: '/api/v1/form-keys', payload: { name: 'Widget', allowedOrigins: [origin] } });
  expect(key.statusCode, key.body).toBe(201);
  publicKey = key.json().data.publicKey;
});
afterAll(() => t.close());

type WidgetNotice = { purposeKey: string; version: number; title: string; text: string; gpcCovered: boolean };

const notices = (headers: Record<string, string> = {}, ip = '198.51.100.1') =>
  t.app.inject({ method: 'GET', url: '/api/v1/collect/notices', headers: { 'candor-form-key': publicKey, origin, ...headers }, remoteAddress: ip });

const collect = (payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/collect',
    payload,
    headers: { 'candor-form-key': publicKey, origin, ...headers },
    remoteAddress: '198.51.100.2',
  });

async function versionOf(purposeKey: string): Promise<number> {
  const list = (await notices()).json().data.purposes as WidgetNotice[];
  return list.find((notice) => notice.purposeKey === purposeKey)!.version;
}

const ledger = (visitorId: string) =>
  t.database.query<{ purpose_key: string; state: string; channel: string; notice_version: number | null; notice_hash: string | null }>(
    'select purpose_key, state, channel, notice_version, notice_hash from consent_events where tenant_id = $1 and subject_id = $2 order by recorded_at, id',
    [workspace.id, visitorId],
  );

async function profileOf(anonymousId: string): Promise<string | undefined> {
  const found = (await lookUpAnonymousIds(t.database.db, workspace.id, [anonymousId])).get(anonymousId);
  return found?.visitorId ?? undefined;
}

async function eventCount(visitorId: string): Promise<number> {
  const [row] = await t.database.query<{ n: number }>('select count(*)::int as n from events where tenant_id = $1 and visitor_id = $2', [
    workspace.id,
    visitorId,
  ]);
  return row.n;
}

describe('the widget script', () => {
  it('is served for any site to embed, and stays under 15 kB gzipped', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/widget/consent.js' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(response.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(response.headers['set-cookie']).toBeUndefined();
    const gzipped = gzipSync(response.rawPayload, { level: 9 }).length;
    expect(gzipped).toBeLessThanOrEqual(15 * 1024);
    // No module loader, no import: one classic script.
    expect(response.body).not.toMatch(/\bimport\s*[({'"]|\brequire\(/);
  });

  it('answers an unknown path beside it with the API 404, not the web app', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/widget/other.js' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
  });
});

describe('GET /collect/notices', () => {
  it("lists the consent purposes in their notices' plain words, e-mail marketing aside", async () => {
    const response = await notices();
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe(origin);
    const body = response.json().data as { purposes: WidgetNotice[]; gpc: boolean };
    expect(body.gpc).toBe(false);
    expect(body.purposes.map((notice) => notice.purposeKey)).toEqual(['targeted_advertising', 'third_party_sharing', 'web_analytics']);
    const analytics = body.purposes.find((notice) => notice.purposeKey === 'web_analytics')!;
    expect(analytics).toMatchObject({ version: 1, gpcCovered: false });
    expect(analytics.text).toContain('Understanding how visitors use our website');
    expect(body.purposes.find((notice) => notice.purposeKey === 'targeted_advertising')!.gpcCovered).toBe(true);
  });

  it('says whether the request carried a GPC opt-out', async () => {
    expect((await notices({ 'sec-gpc': '1' })).json().data.gpc).toBe(true);
    expect((await notices({ 'sec-gpc': '0' })).json().data.gpc).toBe(false);
  });

  it('answers the preflight of an allowed origin only, and refuses a bad key or another origin', async () => {
    const preflight = await t.app.inject({ method: 'OPTIONS', url: '/api/v1/collect/notices', headers: { origin, 'access-control-request-method': 'GET' } });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-methods']).toBe('GET');
    expect(preflight.headers['access-control-allow-headers']).toContain('Candor-Form-Key');
    const otherPreflight = await t.app.inject({ method: 'OPTIONS', url: '/api/v1/collect/notices', headers: { origin: stranger } });
    expect(otherPreflight.statusCode).toBe(403);
    expect(otherPreflight.headers['access-control-allow-origin']).toBeUndefined();
    const other = await notices({ origin: stranger });
    expect(other.statusCode).toBe(403);
    expect(errorFields(other.json())).toEqual(['Origin']);
    const badKey = await notices({ 'candor-form-key': 'cfk_nope' });
    expect(badKey.statusCode).toBe(401);
    expect(errorFields(badKey.json())).toEqual(['Candor-Form-Key']);
  });

  it('limits each client: 429 past the limit', async () => {
    const ip = '198.51.100.99';
    for (let i = 0; i < noticeLimits.perClient; i++) expect((await notices({}, ip)).statusCode).toBe(200);
    const refused = await notices({}, ip);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
  }, 120_000);
});

describe('choices through the widget', () => {
  it('records each choice with channel widget and the notice version read, with its hash', async () => {
    const anonymousId = 'widget-visitor-choices';
    const version = await versionOf('web_analytics');
    const response = await collect({
      channel: 'widget',
      visitorId: anonymousId,
      consents: [
        { purposeKey: 'web_analytics', given: true, noticeVersion: version },
        { purposeKey: 'third_party_sharing', given: false, noticeVersion: await versionOf('third_party_sharing') },
      ],
    });
    expect(response.statusCode, response.body).toBe(202);
    const visitorId = (await profileOf(anonymousId))!;
    const [hash] = await t.database.query<{ content_hash: string }>(
      "select content_hash from purpose_notices where tenant_id = $1 and purpose_key = 'web_analytics' and status = 'published'",
      [workspace.id],
    );
    expect(await ledger(visitorId)).toEqual([
      { purpose_key: 'web_analytics', state: 'given', channel: 'widget', notice_version: version, notice_hash: hash.content_hash },
      { purpose_key: 'third_party_sharing', state: 'refused', channel: 'widget', notice_version: 1, notice_hash: expect.any(String) },
    ]);
  });

  it('stores page views only while analytics consent is live: accept, browse, withdraw, browse', async () => {
    const anonymousId = 'widget-visitor-browsing';
    const version = await versionOf('web_analytics');
    const choose = (given: boolean) =>
      collect({ channel: 'widget', visitorId: anonymousId, consents: [{ purposeKey: 'web_analytics', given, noticeVersion: version }] });
    const view = (path: string) =>
      collect({
        visitorId: anonymousId,
        eventPurposeKey: 'web_analytics',
        events: [{ type: 'page_view', occurredAt: new Date().toISOString(), properties: { path } }],
      });

    expect((await view('/before')).json().data.notStored).toBe(1);
    expect(await profileOf(anonymousId)).toBeUndefined();
    expect((await choose(true)).json().data.consents).toEqual([{ purposeKey: 'web_analytics', state: 'given' }]);
    for (const path of ['/a', '/b', '/c']) expect((await view(path)).json().data.notStored).toBe(0);
    const withdrawn = await choose(false);
    expect(withdrawn.json().data.consents).toEqual([{ purposeKey: 'web_analytics', state: 'withdrawn' }]);
    for (const path of ['/d', '/e']) expect((await view(path)).json().data).toMatchObject({ notStored: 1, notStoredReason: 'no_live_consent' });

    const visitorId = (await profileOf(anonymousId))!;
    expect(await eventCount(visitorId)).toBe(3);
    expect((await ledger(visitorId)).map((event) => `${event.state}/${event.channel}`)).toEqual(['given/widget', 'withdrawn/widget']);
  });

  it('honours Sec-GPC on a widget choice as on any /collect request: the covered purposes end opted out', async () => {
    const anonymousId = 'widget-visitor-gpc';
    const response = await collect(
      {
        channel: 'widget',
        visitorId: anonymousId,
        consents: [
          { purposeKey: 'web_analytics', given: true, noticeVersion: await versionOf('web_analytics') },
          { purposeKey: 'third_party_sharing', given: true, noticeVersion: await versionOf('third_party_sharing') },
        ],
      },
      { 'sec-gpc': '1' },
    );
    expect(response.statusCode, response.body).toBe(202);
    const states = await t.database.query<{ purpose_key: string; state: string }>(
      'select purpose_key, state from consent_states where tenant_id = $1 and subject_id = $2 order by purpose_key',
      [workspace.id, (await profileOf(anonymousId))!],
    );
    expect(states).toEqual([
      { purpose_key: 'targeted_advertising', state: 'opted_out' },
      { purpose_key: 'third_party_sharing', state: 'opted_out' },
      { purpose_key: 'web_analytics', state: 'given' },
    ]);
  });

  it('refuses a choice made under a notice replaced since, naming it, and stores nothing', async () => {
    const draft = await t.request(workspace.keys.privacy_officer, {
      method: 'PUT',
      url: '/api/v1/purposes/targeted_advertising/notices/draft',
      payload: { title: 'Ads from partners', bodyMarkdown: 'We show you our ads on other sites.' },
    });
    expect(draft.statusCode, draft.body).toBeLessThan(300);
    const published = await t.request(workspace.keys.privacy_officer, {
      method: 'POST',
      url: '/api/v1/purposes/targeted_advertising/notices/draft/publish',
      payload: { material: false },
    });
    expect(published.statusCode, published.body).toBeLessThan(300);
    const response = await collect({
      channel: 'widget',
      visitorId: 'widget-visitor-stale',
      consents: [{ purposeKey: 'targeted_advertising', given: true, noticeVersion: 1 }],
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors).toEqual([{ field: 'consents.0.noticeVersion', reason: 'not the notice published now (version 2); show it and ask again' }]);
    expect(await profileOf('widget-visitor-stale')).toBeUndefined();
    expect(await versionOf('targeted_advertising')).toBe(2);
  });

  it('refuses what the widget may not send: fields, e-mail marketing, a choice without its notice, no visitor', async () => {
    const response = await collect({
      channel: 'widget',
      fields: { email: 'someone@example.org' },
      consents: [
        { purposeKey: 'email_marketing', given: true, noticeVersion: 1 },
        { purposeKey: 'web_analytics', given: true },
      ],
    });
    expect(response.statusCode).toBe(422);
    expect(errorFields(response.json())).toEqual(['visitorId', 'fields.email', 'consents.0.purposeKey', 'consents.1.noticeVersion']);
  });
});
