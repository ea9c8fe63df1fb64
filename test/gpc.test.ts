import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wasConsentLive } from '../src/kernel/index.ts';
import { gpcCoveredDataUse, gpcOptsOut, gpcSupportLastUpdated } from '../src/privacy/gpc.ts';
import { giveConsent, eventsWithoutTheirNotice } from './support/consentLedger.ts';
import { consentingVisitors } from './support/consentingVisitors.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

/*
 * Global Privacy Control (src/privacy/gpc.ts): the header's meaning as a pure function, then
 * the same cases as raw bytes on a socket to the real server (POST /api/v1/events), where
 * Node's HTTP parser has the first say: it strips the whitespace around a field value and
 * joins repeated headers with ", ", so the test shows what actually reaches Candor.
 */

const gpcPurposes = ['targeted_advertising', 'third_party_sharing'];

describe('what a Sec-GPC header value means', () => {
  it('"1" opts out; "0", "true", " 1", "", "1 " and no header do not', () => {
    expect(gpcOptsOut('1')).toBe(true);
    for (const value of ['0', 'true', ' 1', '', '1 ', '\u00a01', 'yes', '11', undefined]) expect(gpcOptsOut(value), JSON.stringify(value)).toBe(false);
  });

  it('two headers, one of them "1", opt out: in the form Node joins them (", ") or as separate lines', () => {
    expect(gpcOptsOut('0, 1')).toBe(true);
    expect(gpcOptsOut('1, 1')).toBe(true);
    expect(gpcOptsOut('0,1')).toBe(true);
    expect(gpcOptsOut(['0', '1'])).toBe(true);
    expect(gpcOptsOut('0, true')).toBe(false);
    expect(gpcOptsOut(['0', ' 1'])).toBe(false);
  });

  it('covers sale, sharing and targeted advertising, not contextual ads or sharing the law requires', () => {
    for (const use of [
      'third_party_sharing',
      'marketing.advertising.third_party.targeted',
      'marketing.advertising.first_party.targeted',
      'marketing.advertising.profiling',
    ])
      expect(gpcCoveredDataUse(use), use).toBe(true);
    for (const use of [
      'third_party_sharing.legal_obligation',
      'marketing.advertising.first_party.contextual',
      'marketing.communications.email',
      'analytics.reporting',
    ])
      expect(gpcCoveredDataUse(use), use).toBe(false);
  });
});

let t: TestApp;
let workspace: TestWorkspace;
let port: number;

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.server.address() as AddressInfo).port;
});
afterAll(() => t?.close());

type RawResponse = { status: number; headers: string; body: string };

/** Writes the request byte for byte on a socket, so the server's own parser reads the headers. */
function rawRequest(method: string, path: string, headerLines: string[], body = ''): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      const lines = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', ...headerLines];
      if (body) lines.push('Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`);
      // write, not end: a half-closed socket may be dropped before a slower answer; Connection: close ends it.
      socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`);
    });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const [head, ...rest] = text.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), headers: head, body: rest.join('\r\n\r\n') });
    });
  });
}

let visitorCounter = 0;

/** POST /api/v1/events as the marketing key (web analytics) with the given raw Sec-GPC lines; the subject's ids. */
async function postEvent(gpcLines: string[], subject: { contactId?: string } = {}, key = workspace.keys.marketing) {
  visitorCounter += 1;
  const anonymousId = `gpc-visitor-${visitorCounter}`;
  const who = subject.contactId ? { contactId: subject.contactId } : { anonymousId };
  // Page views are stored only for a browser that agreed to web analytics (the consent gate).
  if (subject.contactId) await giveConsent(t.database.db, workspace.id, subject.contactId, 'web_analytics');
  else await consentingVisitors(t.database, workspace.id, [anonymousId]);
  const body = JSON.stringify({ type: 'page_view', occurredAt: new Date().toISOString(), ...who });
  const response = await rawRequest('POST', '/api/v1/events', [`Authorization: Bearer ${key}`, 'Candor-Purpose: web_analytics', ...gpcLines], body);
  expect(response.status, response.body).toBe(201);
  const event = JSON.parse(response.body).data as { visitorId: string | null; contactId: string | null };
  return event;
}

async function optOuts(subjectId: string) {
  return t.database.query<{ purpose_key: string; channel: string; actor: string }>(
    `select purpose_key, channel, actor from consent_events where tenant_id = $1 and subject_id = $2 and state = 'opted_out' order by purpose_key`,
    [workspace.id, subjectId],
  );
}

async function createContact(): Promise<string> {
  const response = await t.request(workspace.keys.admin, { method: 'POST', url: '/api/v1/contacts', payload: { firstName: 'Gia' }, purpose: 'sales' });
  return response.json().data.id;
}

describe('Sec-GPC on POST /api/v1/events, over a raw socket', () => {
  it('"Sec-GPC: 1" opts the visitor out of sale, sharing and targeted advertising, as ledger events with channel gpc', async () => {
    const { visitorId } = await postEvent(['Sec-GPC: 1']);
    const recorded = await optOuts(visitorId!);
    expect(recorded.map((row) => row.purpose_key)).toEqual(gpcPurposes);
    expect(new Set(recorded.map((row) => row.channel))).toEqual(new Set(['gpc']));
    // The marketing role is not granted third-party sharing: hearing an opt-out needs no grant of them.
    expect(recorded[0].actor).toMatch(/^api_key:/);
  });

  it('"0", "true" and no header opt out of nothing', async () => {
    for (const lines of [['Sec-GPC: 0'], ['Sec-GPC: true'], []]) {
      const { visitorId } = await postEvent(lines);
      expect(await optOuts(visitorId!), JSON.stringify(lines)).toEqual([]);
    }
  });

  it('" 1" on the wire arrives as "1": the parser strips the whitespace HTTP puts around a value, so it opts out; a non-breaking space stays and does not', async () => {
    // RFC 9110 §5.5: the optional whitespace around a field value is not part of it, and
    // Node drops it even from rawHeaders; the GPC grammar allows it too (OWS "1" OWS).
    for (const line of ['Sec-GPC:  1', 'Sec-GPC:\t1', 'Sec-GPC: 1 ', 'Sec-GPC:1']) {
      const { visitorId } = await postEvent([line]);
      expect((await optOuts(visitorId!)).length, JSON.stringify(line)).toBe(2);
    }
    const { visitorId } = await postEvent(['Sec-GPC: \u00a01']);
    expect(await optOuts(visitorId!)).toEqual([]);
  });

  it('two Sec-GPC headers, one of them "1", opt out; two without "1" do not', async () => {
    const both = await postEvent(['Sec-GPC: 0', 'Sec-GPC: 1']);
    expect((await optOuts(both.visitorId!)).length).toBe(2);
    const neither = await postEvent(['Sec-GPC: true', 'sec-gpc: 0']);
    expect(await optOuts(neither.visitorId!)).toEqual([]);
  });

  it('opts out the known contact an event names, once however often the signal repeats', async () => {
    const contactId = await createContact();
    await postEvent(['Sec-GPC: 1'], { contactId });
    expect((await optOuts(contactId)).length).toBe(2);
    // Again: the ledger's latest word is already the opt-out, so nothing is added.
    await postEvent(['Sec-GPC: 1'], { contactId });
    expect((await optOuts(contactId)).length).toBe(2);
    const { visitorId } = await postEvent(['Sec-GPC: 1']);
    visitorCounter -= 1;
    await postEvent(['Sec-GPC: 1']);
    expect((await optOuts(visitorId!)).length).toBe(2);
  });

  it('opts out a known contact without analytics consent too, though the page view itself is not stored', async () => {
    const contactId = await createContact();
    const body = JSON.stringify({ type: 'page_view', occurredAt: new Date().toISOString(), contactId });
    const headers = [`Authorization: Bearer ${workspace.keys.marketing}`, 'Candor-Purpose: web_analytics', 'Sec-GPC: 1'];
    const response = await rawRequest('POST', '/api/v1/events', headers, body);
    expect(response.status, response.body).toBe(202);
    expect(JSON.parse(response.body)).toMatchObject({ data: null, notStored: 1 });
    expect((await optOuts(contactId)).map((row) => row.purpose_key)).toEqual(gpcPurposes);
    const stored = await t.database.query('select 1 from events where tenant_id = $1 and contact_id = $2', [workspace.id, contactId]);
    expect(stored).toEqual([]);
  });
});

describe('a GPC opt-out that conflicts with an earlier opt-in', () => {
  it('is honoured (the consent is no longer live) and listed for the privacy officer, newest first, a page at a time, without personal values', async () => {
    const contacts = [await createContact(), await createContact()];
    for (const contactId of contacts) {
      const given = await t.request(workspace.keys.admin, {
        method: 'POST',
        url: `/api/v1/contacts/${contactId}/consents`,
        purpose: 'sales',
        payload: { purposeKey: 'targeted_advertising', state: 'given', note: 'Ticked the partner-ads box' },
      });
      expect(given.statusCode, given.body).toBe(201);
      expect(await wasConsentLive(t.database.db, workspace.id, contactId, 'targeted_advertising', new Date())).toBe(true);
    }
    for (const contactId of contacts) await postEvent(['Sec-GPC: 1'], { contactId });
    for (const contactId of contacts) expect(await wasConsentLive(t.database.db, workspace.id, contactId, 'targeted_advertising', new Date())).toBe(false);

    const first = await t.request(workspace.keys.privacy_officer, {
      method: 'GET',
      url: '/api/v1/consents/gpc-conflicts?limit=1',
      purpose: 'legal_compliance',
    });
    expect(first.statusCode, first.body).toBe(200);
    const page = first.json() as { data: Array<Record<string, string>>; nextCursor: string | null };
    expect(page.data).toHaveLength(1);
    expect(page.data[0]).toMatchObject({ subjectId: contacts[1], purposeKey: 'targeted_advertising', overrode: 'given' });
    expect(Object.keys(page.data[0]).sort()).toEqual(['eventId', 'optedInAt', 'optedOutAt', 'overrode', 'overrodeEventId', 'purposeKey', 'subjectId']);
    expect(first.body).not.toContain('partner-ads');
    const second = await t.request(workspace.keys.admin, {
      method: 'GET',
      url: `/api/v1/consents/gpc-conflicts?limit=1&cursor=${page.nextCursor}`,
      purpose: 'legal_compliance',
    });
    expect(second.json().data.map((conflict: { subjectId: string }) => conflict.subjectId)).toEqual([contacts[0]]);
    // Opt-outs with no opt-in before them (the visitors above, the third-party-sharing purpose) are not conflicts.
    const all = await t.request(workspace.keys.admin, { method: 'GET', url: '/api/v1/consents/gpc-conflicts', purpose: 'legal_compliance' });
    expect(all.json().data).toHaveLength(2);
    expect(all.json().nextCursor).toBeNull();
  });

  it('the list is for privacy officers and admins only', async () => {
    const response = await t.request(workspace.keys.marketing, { method: 'GET', url: '/api/v1/consents/gpc-conflicts', purpose: 'email_marketing' });
    expect(response.statusCode).toBe(403);
  });
});

describe('/.well-known/gpc.json', () => {
  it('answers {"gpc": true, "lastUpdate": "YYYY-MM-DD"} as application/json to anyone', async () => {
    const response = await rawRequest('GET', '/.well-known/gpc.json', []);
    expect(response.status).toBe(200);
    expect(response.headers).toMatch(/\r\ncontent-type: application\/json/i);
    expect(JSON.parse(response.body)).toEqual({ gpc: true, lastUpdate: gpcSupportLastUpdated });
    expect(gpcSupportLastUpdated).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe('the notice each event was recorded under', () => {
  it('GPC opt-outs each name the notice version in force and its own hash', async () => {
    const { recorded, unstamped } = await eventsWithoutTheirNotice(t.database, workspace.id);
    expect(recorded).toBeGreaterThan(0);
    expect(unstamped).toBe(0);
  });
});
