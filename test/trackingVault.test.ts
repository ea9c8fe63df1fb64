import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../src/db/ids.ts';
import { systemContext } from '../src/kernel/accessContext.ts';
import { auditTrailForSubject } from '../src/kernel/audit.ts';
import { insertContacts } from '../src/kernel/contactRecords.ts';
import { kernelKeyStore } from '../src/kernel/runtime.ts';
import { blindIndex } from '../src/kernel/vault/index.ts';
import { swapSealedEventProperties } from './support/eventTampering.ts';
import { createTestApp, withheldCodes, type TestApp, type TestWorkspace } from './support/testApp.ts';
import { giveConsent } from './support/consentLedger.ts';
import { consentingVisitors } from './support/consentingVisitors.ts';

/*
 * The personal values of visitors, events and activities in the vault: sealed at rest,
 * found by blind index, read only through the policy, audited without values, shredded
 * with the record.
 */

const markers = {
  anonymousId: 'cookie-marker-vq81zx',
  pageUrl: 'https://shop.example/marker-page-kt4w',
  contactProperty: 'contact-prop-marker-h2p9',
  subject: 'Subject-marker-ow3n',
  body: 'Body-marker-lm7r',
};

let t: TestApp;
let workspace: TestWorkspace;
let consenting: string;
let silent: string;

const now = () => new Date(Date.now() - 60_000).toISOString();

async function createContact(): Promise<string> {
  const id = newId();
  await insertContacts(t.database.db, systemContext(workspace.id, 'tracking-vault-test', 'sales'), [
    { id, ownerId: null, companyId: null, lifecycleStage: 'lead', source: 'api', personal: {} },
  ]);
  return id;
}

async function consent(subjectId: string, withdrawn = false): Promise<void> {
  await giveConsent(t.database.db, workspace.id, subjectId, 'web_analytics', {
    givenAt: new Date(Date.now() - 7_200_000),
    withdrawnAt: withdrawn ? new Date(Date.now() - 3_600_000) : null,
  });
}

const track = (payload: Record<string, unknown>) =>
  t.request(workspace.keys.marketing, { method: 'POST', url: '/api/v1/events', payload, purpose: 'web_analytics' });
const analytics = (url: string) => t.request(workspace.keys.marketing, { method: 'GET', url, purpose: 'web_analytics' });

async function rawRows(table: string): Promise<string> {
  const rows = await t.database.query<{ row: string }>(`select t::text as row from ${table} t where t.tenant_id = $1`, [workspace.id]);
  return rows.map((row) => row.row).join('\n');
}

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
  consenting = await createContact();
  silent = await createContact();
  await consent(consenting);
  // Events are stored only under a live consent: the silent contact withdraws after its event arrived.
  await consent(silent);
  await consentingVisitors(t.database, workspace.id, [markers.anonymousId]);
  const batch = await t.request(workspace.keys.marketing, {
    method: 'POST',
    url: '/api/v1/events/batch',
    purpose: 'web_analytics',
    payload: {
      events: [
        { type: 'page_view', occurredAt: now(), anonymousId: markers.anonymousId, properties: { url: markers.pageUrl } },
        { type: 'click', occurredAt: now(), contactId: consenting, properties: { label: markers.contactProperty, n: 1 } },
        { type: 'click', occurredAt: now(), contactId: consenting, properties: { label: 'second', n: 2 } },
        { type: 'click', occurredAt: now(), contactId: silent, properties: { label: markers.contactProperty } },
      ],
    },
  });
  expect(batch.statusCode).toBe(201);
  await giveConsent(t.database.db, workspace.id, silent, 'web_analytics', { givenAt: new Date(Date.now() - 7_200_000), withdrawnAt: new Date() });
  const note = await t.request(workspace.keys.sales, {
    method: 'POST',
    url: '/api/v1/activities',
    purpose: 'sales',
    payload: { type: 'note', subject: markers.subject, body: markers.body, links: { contactIds: [consenting] } },
  });
  expect(note.statusCode).toBe(201);
});
afterAll(() => t.close());

describe('tracking values at rest', () => {
  it('are sealed: raw rows of visitors, events, activities and lookup tokens hold none of the seeded values', async () => {
    const text = [await rawRows('visitors'), await rawRows('events'), await rawRows('activities'), await rawRows('lookup_tokens')].join('\n');
    // The rows exist (the scan looks at something), and hold sealed strings where the values were.
    expect((await t.database.query('select 1 from visitors where tenant_id = $1', [workspace.id])).length).toBe(1);
    expect((await t.database.query('select 1 from events where tenant_id = $1', [workspace.id])).length).toBe(4);
    expect(text).toContain('anonymous_id');
    for (const marker of Object.values(markers)) expect(text.toLowerCase()).not.toContain(marker.toLowerCase());
    for (const fragment of ['marker-page', 'prop-marker', 'cookie-marker', 'Subject-marker', 'Body-marker']) expect(text).not.toContain(fragment);
  });

  it("keep each subject's values under that subject's key (one key per visitor, contact and activity)", async () => {
    const [visitor] = await t.database.query<{ id: string }>('select id from visitors where tenant_id = $1', [workspace.id]);
    const [activity] = await t.database.query<{ id: string }>('select id from activities where tenant_id = $1', [workspace.id]);
    const keys = await t.database.query<{ subject_id: string }>('select subject_id from subject_keys where tenant_id = $1 and subject_id = any($2::uuid[])', [
      workspace.id,
      [visitor.id, consenting, silent, activity.id],
    ]);
    expect(keys.map((row) => row.subject_id).sort()).toEqual([visitor.id, consenting, silent, activity.id].sort());
  });
});

describe('finding a visitor by anonymous id', () => {
  it('reaches the same visitor through the tracking API, by a blind index rather than the id itself', async () => {
    await consentingVisitors(t.database, workspace.id, ['cookie-found-again']);
    const first = await track({ type: 'page_view', occurredAt: now(), anonymousId: 'cookie-found-again' });
    const again = await track({ type: 'click', occurredAt: now(), anonymousId: 'cookie-found-again' });
    expect(first.statusCode).toBe(201);
    const visitorId = first.json().data.visitorId as string;
    expect(visitorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(again.json().data.visitorId).toBe(visitorId);
    const tokens = await t.database.query<{ token: string }>("select token from lookup_tokens where tenant_id = $1 and object = 'visitor' and record_id = $2", [
      workspace.id,
      visitorId,
    ]);
    const expected = blindIndex(await kernelKeyStore().blindIndexKey(workspace.id), 'anonymous_id', 'cookie-found-again');
    expect(tokens).toEqual([{ token: expected }]);
    await consent(visitorId);
    const visitor = await analytics(`/api/v1/visitors/${visitorId}`);
    expect(visitor.json().data.anonymousId).toBe('cookie-found-again');
  });
});

describe('sealed values bound to their place', () => {
  it("refuses to open two events' properties swapped between their rows (integrity_error, 500)", async () => {
    const contact = await createContact();
    await consent(contact);
    for (const label of ['one', 'two'])
      expect((await track({ type: 'click', occurredAt: now(), contactId: contact, properties: { label } })).statusCode).toBe(201);
    const before = await analytics(`/api/v1/contacts/${contact}/events`);
    expect(before.statusCode).toBe(200);
    expect(
      before
        .json()
        .data.map((event: { properties: { label: string } }) => event.properties.label)
        .sort(),
    ).toEqual(['one', 'two']);
    await swapSealedEventProperties(t.database, workspace.id, contact);
    const after = await analytics(`/api/v1/contacts/${contact}/events`);
    expect(after.statusCode).toBe(500);
    expect(after.json().code).toBe('integrity_error');
    expect(after.body).not.toContain('one');
  });
});

describe('reads for a consent purpose', () => {
  it('return the events of a subject with a live consent and exclude one without, saying why', async () => {
    const allowed = await analytics(`/api/v1/contacts/${consenting}/events`);
    expect(allowed.statusCode).toBe(200);
    expect(
      allowed
        .json()
        .data.map((event: { properties: { n: number } }) => event.properties.n)
        .sort(),
    ).toEqual([1, 2]);
    expect(allowed.json().withheld).toEqual([]);
    const refused = await analytics(`/api/v1/contacts/${silent}/events`);
    expect(refused.statusCode).toBe(200);
    expect(refused.json().data).toEqual([]);
    expect(withheldCodes(refused.json())).toEqual([{ field: 'properties', reason: 'no_live_consent' }]);
    expect(refused.body).not.toContain(markers.contactProperty);
  });

  it('exclude a subject whose consent was withdrawn', async () => {
    const contact = await createContact();
    await consent(contact, true);
    await track({ type: 'click', occurredAt: now(), contactId: contact, properties: { label: 'withdrawn' } });
    const response = await analytics(`/api/v1/contacts/${contact}/events`);
    expect(response.json().data).toEqual([]);
    expect(withheldCodes(response.json())).toEqual([{ field: 'properties', reason: 'no_live_consent' }]);
  });

  it('list events without properties for a purpose that may not use them', async () => {
    const response = await t.request(workspace.keys.sales, { method: 'GET', url: `/api/v1/contacts/${consenting}/events`, purpose: 'sales' });
    expect(response.statusCode).toBe(200);
    expect(response.json().data).toHaveLength(2);
    expect(response.json().data.every((event: object) => !('properties' in event))).toBe(true);
    expect(withheldCodes(response.json())).toEqual([{ field: 'properties', reason: 'field_not_declared_for_purpose' }]);
  });
});

describe('the audit of tracking reads', () => {
  it('names the subject by pseudonym and the fields opened, never a value', async () => {
    await analytics(`/api/v1/contacts/${consenting}/events`);
    const trail = await auditTrailForSubject(t.database.db, workspace.id, { subjectId: consenting });
    const read = trail.find((entry) => entry.action === 'event.read');
    expect(read).toMatchObject({ purpose: 'web_analytics', object: 'event', fields: ['properties'], decision: 'allow' });
    expect(read?.subjectPseudonyms).toHaveLength(1);
    expect(read?.subjectPseudonyms[0]).toMatch(/^[0-9a-f]{32}$/);
    const text = JSON.stringify(await t.database.query('select * from audit_entries where tenant_id = $1', [workspace.id]));
    expect(text).not.toContain(consenting);
    for (const marker of Object.values(markers)) expect(text).not.toContain(marker);
  });

  it('records a withheld read with its reason', async () => {
    await analytics(`/api/v1/contacts/${silent}/events`);
    const trail = await auditTrailForSubject(t.database.db, workspace.id, { subjectId: silent });
    expect(trail.find((entry) => entry.action === 'event.read')).toMatchObject({
      decision: 'deny',
      fields: [],
      reasons: [{ field: 'properties', reason: 'no_live_consent' }],
    });
  });
});

describe('deleting tracked records', () => {
  it("shreds a deleted visitor's key and removes its events and token", async () => {
    await consentingVisitors(t.database, workspace.id, ['cookie-to-delete']);
    const created = await track({ type: 'page_view', occurredAt: now(), anonymousId: 'cookie-to-delete', properties: { url: 'x' } });
    const visitorId = created.json().data.visitorId as string;
    const response = await t.request(workspace.keys.privacy_officer, { method: 'DELETE', url: `/api/v1/visitors/${visitorId}`, purpose: 'web_analytics' });
    expect(response.statusCode).toBe(204);
    for (const query of [
      'select 1 from subject_keys where tenant_id = $1 and subject_id = $2',
      'select 1 from visitors where tenant_id = $1 and id = $2',
      'select 1 from events where tenant_id = $1 and visitor_id = $2',
      "select 1 from lookup_tokens where tenant_id = $1 and object = 'visitor' and record_id = $2",
    ]) {
      expect(await t.database.query(query, [workspace.id, visitorId])).toEqual([]);
    }
    await consentingVisitors(t.database, workspace.id, ['cookie-to-delete']);
    const again = await track({ type: 'page_view', occurredAt: now(), anonymousId: 'cookie-to-delete' });
    expect(again.json().data.visitorId).not.toBe(visitorId);
  });

  it("shreds a deleted activity's key", async () => {
    const note = await t.request(workspace.keys.sales, {
      method: 'POST',
      url: '/api/v1/activities',
      purpose: 'sales',
      payload: { type: 'note', subject: 'short-lived' },
    });
    const id = note.json().data.id as string;
    expect(await t.database.query('select 1 from subject_keys where tenant_id = $1 and subject_id = $2', [workspace.id, id])).toHaveLength(1);
    expect((await t.request(workspace.keys.sales, { method: 'DELETE', url: `/api/v1/activities/${id}`, purpose: 'sales' })).statusCode).toBe(204);
    expect(await t.database.query('select 1 from subject_keys where tenant_id = $1 and subject_id = $2', [workspace.id, id])).toEqual([]);
  });
});
