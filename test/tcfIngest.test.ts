import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookUpAnonymousIds, wasConsentLive } from '../src/kernel/index.ts';
import { giveConsent } from './support/consentLedger.ts';
import { tcStringOf } from './support/tcStrings.ts';
import { collectRequests } from './support/collectRequests.ts';
import { createTestApp, errorFields, type TestApp, type TestWorkspace } from './support/testApp.ts';

/*
 * IAB TCF ingest (src/privacy/tcf/): a TC string built here with @iabtechlabtcf/core becomes
 * consent ledger events, channel tcf, for the consent purposes its TCF purposes map to
 * through fideslang (7, 8, 9 → web_analytics; 4 → targeted_advertising), on the staff
 * consent API and on POST /collect. Checked in the raw tables and through the history API.
 */

let t: TestApp;
let workspace: TestWorkspace;
const analytics = [7, 8, 9];
const unmapped = [1, 2, 3, 5, 6, 10, 11];

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
});
afterAll(() => t?.close());

async function createContact(email: string): Promise<string> {
  const created = await t.request(workspace.keys.admin, { method: 'POST', url: '/api/v1/contacts', payload: { email, lastName: 'Reader' }, purpose: 'sales' });
  expect(created.statusCode, created.body).toBe(201);
  return created.json().data.id;
}

const postTcf = (contactId: string, tcString: string, extra: Record<string, unknown> = {}) =>
  t.request(workspace.keys.admin, {
    method: 'POST',
    url: `/api/v1/contacts/${contactId}/consents`,
    payload: { channel: 'tcf', tcString, ...extra },
    purpose: 'web_analytics',
  });

type LedgerRow = { subject_id: string; purpose_key: string; state: string; channel: string; evidence: string | null };
const ledgerOf = (subjectId: string) =>
  t.database.query<LedgerRow>(
    'select subject_id, purpose_key, state, channel, evidence from consent_events where tenant_id = $1 and subject_id = $2 order by recorded_at, id',
    [workspace.id, subjectId],
  );
const live = (subjectId: string, purposeKey: string) => wasConsentLive(t.database.db, workspace.id, subjectId, purposeKey, new Date());

describe('a TC string on the staff consent API', () => {
  it('is ingested as ledger events, channel tcf, for the mapped purposes, and reports the TCF purposes it cannot map', async () => {
    const id = await createContact('tcf-staff@example.org');
    const tcString = tcStringOf({ consents: [1, ...analytics], cmpId: 42, cmpVersion: 3 });
    const response = await postTcf(id, tcString, { note: 'from the CMP log' });
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json();
    expect(body.tcf.unmappedPurposes).toEqual(unmapped);
    expect(body.tcf.purposes).toEqual([
      { purposeKey: 'targeted_advertising', consented: false, recorded: 'refused', eventId: expect.any(String) },
      { purposeKey: 'web_analytics', consented: true, recorded: 'given', eventId: expect.any(String) },
    ]);
    expect(body.data.map((event: { purposeKey: string; state: string; channel: string }) => [event.purposeKey, event.state, event.channel])).toEqual([
      ['targeted_advertising', 'refused', 'tcf'],
      ['web_analytics', 'given', 'tcf'],
    ]);

    const rows = await ledgerOf(id);
    expect(rows.map((row) => [row.purpose_key, row.state, row.channel])).toEqual([
      ['targeted_advertising', 'refused', 'tcf'],
      ['web_analytics', 'given', 'tcf'],
    ]);
    // Sealed under the person's key: the string is not in the table in the clear.
    for (const row of rows) expect(row.evidence).not.toContain(tcString);
    expect(await live(id, 'web_analytics')).toBe(true);
    expect(await live(id, 'targeted_advertising')).toBe(false);

    const history = await t.request(workspace.keys.admin, { method: 'GET', url: `/api/v1/contacts/${id}/consents`, purpose: 'web_analytics' });
    expect(history.statusCode, history.body).toBe(200);
    const given = history.json().data.find((event: { purposeKey: string }) => event.purposeKey === 'web_analytics');
    expect(given.channel).toBe('tcf');
    expect(given.evidence).toMatchObject({ tcString, cmpId: 42, cmpVersion: 3, tcfPurposes: '7,8,9', vendorListVersion: 7, note: 'from the CMP log' });
    expect(new Date(given.evidence.tcfCreated).getTime()).not.toBeNaN();
  });

  it('records nothing again for the same string, and a withdrawal when a later string leaves a purpose out', async () => {
    const id = await createContact('tcf-repeat@example.org');
    const first = tcStringOf({ consents: analytics });
    expect((await postTcf(id, first)).statusCode).toBe(201);
    const again = await postTcf(id, first);
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json().data).toEqual([]);
    expect(again.json().tcf.purposes.map((purpose: { recorded: unknown }) => purpose.recorded)).toEqual([null, null]);

    const response = await postTcf(id, tcStringOf({ consents: [7, 9] }));
    expect(response.json().data.map((event: { purposeKey: string; state: string }) => [event.purposeKey, event.state])).toEqual([
      ['web_analytics', 'withdrawn'],
    ]);
    expect(await live(id, 'web_analytics')).toBe(false);
    expect((await ledgerOf(id)).map((row) => row.state)).toEqual(['refused', 'given', 'withdrawn']);
  });

  it('gives consent again only for a string updated after the ledger last changed', async () => {
    const id = await createContact('tcf-later@example.org');
    const dayAgo = new Date(Date.now() - 86_400_000);
    await giveConsent(t.database.db, workspace.id, id, 'targeted_advertising', { givenAt: new Date(dayAgo.getTime() - 3_600_000), withdrawnAt: dayAgo });
    const stale = await postTcf(id, tcStringOf({ consents: [4], lastUpdated: new Date(dayAgo.getTime() - 60_000) }));
    expect(stale.json().tcf.purposes.find((p: { purposeKey: string }) => p.purposeKey === 'targeted_advertising')).toMatchObject({
      consented: true,
      recorded: null,
    });
    expect(await live(id, 'targeted_advertising')).toBe(false);
    const fresh = await postTcf(id, tcStringOf({ consents: [4], lastUpdated: new Date() }));
    expect(fresh.json().tcf.purposes.find((p: { purposeKey: string }) => p.purposeKey === 'targeted_advertising')).toMatchObject({ recorded: 'given' });
    expect(await live(id, 'targeted_advertising')).toBe(true);
  });

  it('refuses a string that does not decode with 422 naming tcString, and stores nothing', async () => {
    const id = await createContact('tcf-bad@example.org');
    for (const tcString of ['garbage', 'CQ', tcStringOf({ consents: analytics }).slice(0, 12)]) {
      const response = await postTcf(id, tcString);
      expect(response.statusCode, response.body).toBe(422);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(errorFields(response.json())).toEqual(['tcString']);
      expect(response.body).not.toContain(tcString);
    }
    expect(await ledgerOf(id)).toEqual([]);
  });

  it('refuses a string last updated in the future', async () => {
    const id = await createContact('tcf-future@example.org');
    const response = await postTcf(id, tcStringOf({ consents: analytics, lastUpdated: new Date(Date.now() + 86_400_000) }));
    expect(response.statusCode, response.body).toBe(422);
    expect(errorFields(response.json())).toEqual(['tcString']);
  });
});

describe('a TC string on POST /collect', () => {
  const requests = collectRequests(() => ({ t, workspace }));
  const formKey = async (purposes: string[] = []) => (await requests.formKey({ name: 'News site', purposes })).publicKey;
  const collect = (publicKey: string, payload: Record<string, unknown>) => requests.collect(publicKey, payload);
  const visitorOf = async (anonymousId: string) =>
    (await lookUpAnonymousIds(t.database.db, workspace.id, [anonymousId])).get(anonymousId)?.visitorId ?? undefined;

  it("records the visitor's consent from the string, so the page view it came with is stored", async () => {
    const publicKey = await formKey();
    const tcString = tcStringOf({ consents: analytics, cmpId: 7 });
    const response = await collect(publicKey, {
      visitorId: 'tcf-visitor-1',
      tcString,
      eventPurposeKey: 'web_analytics',
      events: [{ type: 'page_view', occurredAt: new Date().toISOString() }],
    });
    expect(response.statusCode, response.body).toBe(202);
    expect(response.json().data).toMatchObject({
      notStored: 0,
      tcf: {
        purposes: [
          { purposeKey: 'targeted_advertising', consented: false },
          { purposeKey: 'web_analytics', consented: true },
        ],
        unmappedPurposes: unmapped,
      },
    });
    const visitorId = await visitorOf('tcf-visitor-1');
    expect(visitorId).toBeDefined();
    const rows = await ledgerOf(visitorId!);
    expect(rows.map((row) => [row.purpose_key, row.state, row.channel])).toEqual([
      ['targeted_advertising', 'refused', 'tcf'],
      ['web_analytics', 'given', 'tcf'],
    ]);
    const [events] = await t.database.query<{ n: number }>('select count(*)::int as n from events where tenant_id = $1 and visitor_id = $2', [
      workspace.id,
      visitorId,
    ]);
    expect(events.n).toBe(1);
  });

  it('refuses a string that does not decode with 422 naming tcString, and stores nothing', async () => {
    const publicKey = await formKey();
    const [before] = await t.database.query<{ n: number }>('select count(*)::int as n from consent_events where tenant_id = $1', [workspace.id]);
    const response = await collect(publicKey, { visitorId: 'tcf-visitor-2', tcString: 'not-a-tc-string' });
    expect(response.statusCode, response.body).toBe(422);
    expect(errorFields(response.json())).toEqual(['tcString']);
    const [after] = await t.database.query<{ n: number }>('select count(*)::int as n from consent_events where tenant_id = $1', [workspace.id]);
    expect(after.n).toBe(before.n);
    expect(await visitorOf('tcf-visitor-2')).toBeUndefined();
  });

  it("records nothing for a known contact's address: a form cannot speak for someone else", async () => {
    const id = await createContact('tcf-known@example.org');
    const publicKey = await formKey(['sales']);
    const response = await collect(publicKey, { fields: { email: 'tcf-known@example.org' }, tcString: tcStringOf({ consents: analytics }) });
    expect(response.statusCode, response.body).toBe(202);
    expect(await ledgerOf(id)).toEqual([]);
  });
});
