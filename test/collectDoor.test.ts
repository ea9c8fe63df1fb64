import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectLimits } from '../src/http/routes/collect.ts';
import { collectOrigin as origin, collectRequests, openCollectApp } from './support/collectRequests.ts';
import type { TestApp, TestWorkspace } from './support/testApp.ts';

/*
 * The door of POST /api/v1/collect: behavioural events from a subject without a live consent
 * are not stored, there and on POST /events (counted in the raw tables); CORS only for the
 * key's allowed origins; rotated and revoked keys refused; each client limited under a key.
 */

let t: TestApp;
let workspace: TestWorkspace;
const { formKey, collect, count, counts } = collectRequests(() => ({ t, workspace }));

beforeAll(async () => {
  ({ t, workspace } = await openCollectApp());
});
afterAll(() => t.close());

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

  it('refuses rotated and revoked keys with 401 at once, though a live key is remembered for a second', async () => {
    const key = await formKey();
    expect((await collect(key.publicKey, { consents: [] })).statusCode).toBe(202);
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
