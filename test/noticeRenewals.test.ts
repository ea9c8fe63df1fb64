import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wasConsentLive } from '../src/kernel/index.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

/*
 * Material notice changes and renewals, through the API on PGlite and (TEST_DATABASE_URL)
 * PostgreSQL: a consent records the notice it was given under; a material version published
 * with a grace period asks for renewal (the contact's consent read says renewalDue) while
 * the consent still counts; once the deadline passes it no longer counts in lists and reads,
 * though a point-in-time question about the grace period still finds it live; consent given
 * again under the new notice is a `renewed` event, and counts again.
 */

let t: TestApp;
let workspace: TestWorkspace;
beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
});
afterAll(() => t.close());

type Event = { state: string; noticeVersion: number | null; noticeHash: string | null };
type RenewalDue = { purposeKey: string; givenUnderVersion: number | null; noticeVersion: number; renewBy: string };

const marketing = (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) =>
  t.request(workspace.keys.marketing, { method, url, payload, purpose: 'email_marketing' });
const notices = '/api/v1/purposes/email_marketing/notices';

async function createContact(email: string): Promise<string> {
  const response = await t.request(workspace.keys.admin, { method: 'POST', url: '/api/v1/contacts', payload: { firstName: 'Renew', email }, purpose: 'sales' });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().data.id;
}

async function publishNotice(
  body: string,
  publish: { material: boolean; renewalGraceDays?: number },
): Promise<{ version: number; contentHash: string; renewBy: string | null }> {
  const key = workspace.keys.privacy_officer;
  const draft = await t.request(key, { method: 'PUT', url: `${notices}/draft`, payload: { title: 'E-mail marketing', bodyMarkdown: body } });
  expect(draft.statusCode, draft.body).toBe(200);
  const published = await t.request(key, { method: 'POST', url: `${notices}/draft/publish`, payload: publish });
  expect(published.statusCode, published.body).toBe(200);
  return published.json().data;
}

const give = async (id: string): Promise<Event> => {
  const response = await marketing('POST', `/api/v1/contacts/${id}/consents`, { purposeKey: 'email_marketing', state: 'given' });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().data;
};
const consents = async (id: string): Promise<{ data: Event[]; renewalDue: RenewalDue[] }> => (await marketing('GET', `/api/v1/contacts/${id}/consents`)).json();
const listed = async () => (await marketing('GET', '/api/v1/contacts?limit=100')).json().data.map((row: { id: string }) => row.id);

describe('a material notice change', () => {
  it('asks for renewal during its grace period, stops older consents counting after it, and a renewal under the new notice counts again', async () => {
    const id = await createContact('renew.me@example.org');
    const first = (await t.request(workspace.keys.admin, { method: 'GET', url: `${notices}/current` })).json().data;
    const given = await give(id);
    expect(given).toMatchObject({ state: 'given', noticeVersion: 1, noticeHash: first.contentHash });
    expect((await consents(id)).renewalDue).toEqual([]);

    // A minor change asks nothing of anyone.
    await publishNotice('We send our newsletter once a month.', { material: false });
    expect((await consents(id)).renewalDue).toEqual([]);

    const graced = await publishNotice('We send our newsletter and offers from partners.', { material: true, renewalGraceDays: 30 });
    expect(graced.version).toBe(3);
    expect(await listed()).toContain(id);
    expect((await consents(id)).renewalDue).toEqual([{ purposeKey: 'email_marketing', givenUnderVersion: 1, noticeVersion: 3, renewBy: graced.renewBy }]);
    // The kernel answers for the deadline too: after it, the consent under version 1 is not live.
    const deadline = Date.parse(graced.renewBy!);
    expect(await wasConsentLive(t.database.db, workspace.id, id, 'email_marketing', new Date(deadline - 1000))).toBe(true);
    expect(await wasConsentLive(t.database.db, workspace.id, id, 'email_marketing', new Date(deadline))).toBe(false);

    const duringGrace = new Date();
    const immediate = await publishNotice('We send our newsletter, offers from partners, and track opens.', { material: true, renewalGraceDays: 0 });
    expect(immediate.version).toBe(4);
    expect(await listed()).not.toContain(id);
    expect((await marketing('GET', `/api/v1/contacts/${id}`)).json().withheld).toContainEqual(
      expect.objectContaining({ field: 'email', reason: 'no_live_consent' }),
    );
    // Point in time: during the first grace period the consent still counted.
    expect(await wasConsentLive(t.database.db, workspace.id, id, 'email_marketing', duringGrace)).toBe(true);
    expect((await consents(id)).renewalDue).toEqual([{ purposeKey: 'email_marketing', givenUnderVersion: 1, noticeVersion: 4, renewBy: immediate.renewBy }]);

    const renewed = await give(id);
    expect(renewed).toMatchObject({ state: 'renewed', noticeVersion: 4, noticeHash: immediate.contentHash });
    expect(await listed()).toContain(id);
    const after = await consents(id);
    expect(after.renewalDue).toEqual([]);
    expect(after.data.map((event) => [event.state, event.noticeVersion])).toEqual([
      ['given', 1],
      ['renewed', 4],
    ]);
  });

  it('leaves consents given under the new notice alone, and a contact who never consented is not asked to renew', async () => {
    const fresh = await createContact('fresh.consent@example.org');
    const never = await createContact('never.consented@example.org');
    expect(await give(fresh)).toMatchObject({ state: 'given', noticeVersion: 4 });
    expect(await give(fresh)).toMatchObject({ state: 'given', noticeVersion: 4 });
    expect(await listed()).toContain(fresh);
    expect((await consents(fresh)).renewalDue).toEqual([]);
    expect((await consents(never)).renewalDue).toEqual([]);
  });
});
