import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../src/db/ids.ts';
import { systemContext } from '../src/kernel/accessContext.ts';
import { auditTrailForSubject } from '../src/kernel/audit.ts';
import { insertContacts } from '../src/kernel/contactRecords.ts';
import { createTestApp, withheldCodes, type TestApp, type TestWorkspace } from './support/testApp.ts';
import { giveConsent } from './support/consentLedger.ts';
import { consentingVisitors } from './support/consentingVisitors.ts';

let t: TestApp;
let workspace: TestWorkspace;
let otherWorkspace: TestWorkspace;

async function createContact(tenantId: string): Promise<string> {
  const id = newId();
  await insertContacts(t.database.db, systemContext(tenantId, 'visitors-test', 'sales'), [
    { id, ownerId: null, companyId: null, lifecycleStage: 'lead', source: 'form', personal: {} },
  ]);
  return id;
}

const occurredAt = (secondsAgo: number) => new Date(Date.now() - secondsAgo * 1000).toISOString();

/** Events from a browser that consented to web analytics (only those are stored). */
async function sendAnonymous(anonymousId: string, count: number, key = workspace.keys.marketing) {
  await consentingVisitors(t.database, workspace.id, [anonymousId]);
  const events = Array.from({ length: count }, (_, index) => ({
    type: 'page_view',
    occurredAt: occurredAt(300 - index),
    anonymousId,
    properties: { step: index },
  }));
  return t.request(key, { method: 'POST', url: '/api/v1/events/batch', payload: { events }, purpose: 'web_analytics' });
}

/** The visitor behind an anonymous id that consented, found the way a client would: from an event it sent. */
async function visitorOf(anonymousId: string): Promise<string> {
  await consentingVisitors(t.database, workspace.id, [anonymousId]);
  const response = await t.request(workspace.keys.marketing, {
    method: 'POST',
    url: '/api/v1/events',
    payload: { type: 'click', occurredAt: occurredAt(200), anonymousId },
    purpose: 'web_analytics',
  });
  expect(response.statusCode).toBe(201);
  return response.json().data.visitorId;
}

function merge(visitorId: string, contactId: string, key = workspace.keys.marketing) {
  return t.request(key, { method: 'POST', url: `/api/v1/visitors/${visitorId}/merge`, payload: { contactId }, purpose: 'web_analytics' });
}

/** A live consent of the subject to web analytics (given an hour ago, in the consent ledger). */
async function consentToAnalytics(subjectId: string): Promise<void> {
  await giveConsent(t.database.db, workspace.id, subjectId, 'web_analytics');
}

const asAnalytics = (url: string) => t.request(workspace.keys.marketing, { method: 'GET', url, purpose: 'web_analytics' });

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
  otherWorkspace = await t.createWorkspace();
});
afterAll(() => t.close());

describe('visitor profiles', () => {
  it('shows a visitor with its anonymous id and when it was first and last seen', async () => {
    await sendAnonymous('cookie-profile', 3);
    const visitorId = await visitorOf('cookie-profile');
    await consentToAnalytics(visitorId);
    const response = await asAnalytics(`/api/v1/visitors/${visitorId}`);
    expect(response.statusCode).toBe(200);
    const visitor = response.json().data;
    expect(visitor).toMatchObject({ id: visitorId, anonymousId: 'cookie-profile', mergedIntoContactId: null });
    expect(response.json().withheld).toEqual([]);
    expect(Date.parse(visitor.firstSeenAt)).toBeLessThan(Date.parse(visitor.lastSeenAt));
  });

  it('withholds the anonymous id of a visitor without a live consent to web analytics, saying why', async () => {
    const visitorId = await visitorOf('cookie-no-consent');
    await giveConsent(t.database.db, workspace.id, visitorId, 'web_analytics', { withdrawnAt: new Date() });
    const response = await asAnalytics(`/api/v1/visitors/${visitorId}`);
    expect(response.statusCode).toBe(200);
    expect(response.json().data).not.toHaveProperty('anonymousId');
    expect(withheldCodes(response.json())).toEqual([{ field: 'anonymousId', reason: 'no_live_consent' }]);
  });

  it('withholds the anonymous id from a purpose the catalog does not declare it for', async () => {
    const visitorId = await visitorOf('cookie-sales');
    await consentToAnalytics(visitorId);
    const response = await t.request(workspace.keys.sales, { method: 'GET', url: `/api/v1/visitors/${visitorId}`, purpose: 'sales' });
    expect(response.statusCode).toBe(200);
    expect(response.json().data).not.toHaveProperty('anonymousId');
    expect(withheldCodes(response.json())).toEqual([{ field: 'anonymousId', reason: 'field_not_declared_for_purpose' }]);
  });

  it('refuses a purpose the role is not granted with 403', async () => {
    const visitorId = await visitorOf('cookie-not-granted');
    const response = await t.request(workspace.keys.sales, { method: 'GET', url: `/api/v1/visitors/${visitorId}`, purpose: 'web_analytics' });
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('purpose_not_granted');
  });

  it("lists a visitor's events", async () => {
    await sendAnonymous('cookie-list', 4);
    const visitorId = await visitorOf('cookie-list');
    await consentToAnalytics(visitorId);
    const response = await asAnalytics(`/api/v1/visitors/${visitorId}/events`);
    expect(response.statusCode).toBe(200);
    expect(response.json().data).toHaveLength(5);
    expect(response.json().data.filter((event: { properties?: object }) => event.properties !== undefined)).toHaveLength(5);
  });

  it("answers 404 for another workspace's visitor", async () => {
    const visitorId = await visitorOf('cookie-foreign');
    const other = await t.request(otherWorkspace.keys.admin, { method: 'GET', url: `/api/v1/visitors/${visitorId}`, purpose: 'web_analytics' });
    const otherEvents = await t.request(otherWorkspace.keys.admin, { method: 'GET', url: `/api/v1/visitors/${visitorId}/events`, purpose: 'web_analytics' });
    expect(other.statusCode).toBe(404);
    expect(otherEvents.statusCode).toBe(404);
  });
});

describe('merging a visitor into a contact', () => {
  it("moves the visitor's events to the contact and marks the visitor merged", async () => {
    const contactId = await createContact(workspace.id);
    await sendAnonymous('cookie-merge', 3);
    const visitorId = await visitorOf('cookie-merge');
    await consentToAnalytics(contactId);
    const before = (await asAnalytics(`/api/v1/visitors/${visitorId}`)).json().data;
    const response = await merge(visitorId, contactId);
    expect(response.statusCode).toBe(200);
    // When the visitor was seen survives the move of its events.
    expect(response.json().data).toMatchObject({
      id: visitorId,
      mergedIntoContactId: contactId,
      firstSeenAt: before.firstSeenAt,
      lastSeenAt: before.lastSeenAt,
    });
    const contactEvents = await asAnalytics(`/api/v1/contacts/${contactId}/events`);
    expect(contactEvents.json().data).toHaveLength(4);
    expect(contactEvents.json().data.every((event: { visitorId: string | null }) => event.visitorId === null)).toBe(true);
    // Re-sealed under the contact's key: the contact's consent opens them.
    expect(contactEvents.json().data.filter((event: { properties?: object }) => event.properties !== undefined)).toHaveLength(4);
    const visitorEvents = await asAnalytics(`/api/v1/visitors/${visitorId}/events`);
    expect(visitorEvents.json().data).toEqual([]);
  });

  it("sends later events for the merged visitor's anonymous id to the contact, creating no new visitor", async () => {
    const contactId = await createContact(workspace.id);
    await sendAnonymous('cookie-after-merge', 1);
    await merge(await visitorOf('cookie-after-merge'), contactId);
    const later = await sendAnonymous('cookie-after-merge', 2);
    expect(later.json().data).toMatchObject({ accepted: 2, visitorsCreated: 0 });
    await consentToAnalytics(contactId);
    const contactEvents = await asAnalytics(`/api/v1/contacts/${contactId}/events`);
    expect(contactEvents.json().data).toHaveLength(4);
  });

  it('removes the visitor lookup token and records the merge as a change', async () => {
    const contactId = await createContact(workspace.id);
    const visitorId = await visitorOf('cookie-token');
    await merge(visitorId, contactId);
    const tokens = await t.database.query("select 1 from lookup_tokens where tenant_id = $1 and object = 'visitor' and record_id = $2", [
      workspace.id,
      visitorId,
    ]);
    expect(tokens).toEqual([]);
    // A visitor is a data subject: the change is found by its pseudonym, never by its id.
    const audits = await auditTrailForSubject(t.database.db, workspace.id, { subjectId: visitorId });
    expect(audits.map((entry) => entry.action)).toContain('visitor.merged');
    const byId = await t.database.query('select 1 from audit_entries where tenant_id = $1 and $2 = any(record_ids)', [workspace.id, visitorId]);
    expect(byId).toEqual([]);
  });

  it('deletes the visitor profiles merged into a contact with the contact, and shreds their keys', async () => {
    const contactId = await createContact(workspace.id);
    await sendAnonymous('cookie-erase', 2);
    const visitorId = await visitorOf('cookie-erase');
    expect((await merge(visitorId, contactId)).statusCode).toBe(200);
    const deleted = await t.request(workspace.keys.admin, { method: 'DELETE', url: `/api/v1/contacts/${contactId}`, purpose: 'sales' });
    expect(deleted.statusCode).toBe(204);
    expect(await t.database.query('select 1 from visitors where tenant_id = $1 and id = $2', [workspace.id, visitorId])).toEqual([]);
    expect(await t.database.query('select 1 from subject_keys where tenant_id = $1 and subject_id = $2', [workspace.id, visitorId])).toEqual([]);
    expect(
      await t.database.query("select 1 from lookup_tokens where tenant_id = $1 and object = 'visitor' and record_id = $2", [workspace.id, visitorId]),
    ).toEqual([]);
  });

  it('refuses to merge a visitor twice with 409', async () => {
    const visitorId = await visitorOf('cookie-twice');
    expect((await merge(visitorId, await createContact(workspace.id))).statusCode).toBe(200);
    const again = await merge(visitorId, await createContact(workspace.id));
    expect(again.statusCode).toBe(409);
  });

  it("refuses another workspace's contact as the merge target, changing nothing", async () => {
    const visitorId = await visitorOf('cookie-cross');
    const response = await merge(visitorId, await createContact(otherWorkspace.id));
    expect(response.statusCode).toBe(422);
    expect(response.json().errors[0].field).toBe('contactId');
    const visitor = await asAnalytics(`/api/v1/visitors/${visitorId}`);
    expect(visitor.json().data.mergedIntoContactId).toBeNull();
  });

  it('answers 404 for an unknown visitor', async () => {
    const response = await merge(newId(), await createContact(workspace.id));
    expect(response.statusCode).toBe(404);
  });

  it('lets only roles that may change visitors and contacts merge', async () => {
    const visitorId = await visitorOf('cookie-roles');
    const contactId = await createContact(workspace.id);
    expect((await merge(visitorId, contactId, workspace.keys.sales)).statusCode).toBe(403);
    expect((await merge(visitorId, contactId, workspace.keys.analyst)).statusCode).toBe(403);
    expect((await t.request(workspace.keys.analyst, { method: 'GET', url: `/api/v1/visitors/${visitorId}`, purpose: 'web_analytics' })).statusCode).toBe(403);
    expect((await merge(visitorId, contactId, workspace.keys.marketing)).statusCode).toBe(200);
  });
});
