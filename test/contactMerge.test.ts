import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEvent, recordObjection, recordRestriction, systemContext } from '../src/kernel/index.ts';
import { recordChange } from '../src/platform/changes.ts';
import { grantTestDefaults } from './support/contactPolicy.ts';
import { swapSealedEventProperties } from './support/eventTampering.ts';
import { createTestApp, withheldCodes, type TestApp, type TestWorkspace } from './support/testApp.ts';
import { testDatabaseUrl } from './support/testDatabase.ts';
import { giveConsent } from './support/consentLedger.ts';
import { consentingVisitors } from './support/consentingVisitors.ts';

/*
 * Merging two contacts loses nothing: everything that belonged to the duplicate — its
 * events (sealed under its key, re-sealed under the survivor's), the visitor profiles merged
 * into it, activities, deals and purchases — reaches the survivor in one transaction, and the
 * duplicate's key is shredded. Events left unreadable by merges that moved them without
 * re-sealing read as withheld ('unrecoverable'), never as a 500.
 */

let t: TestApp;
let workspace: TestWorkspace;

type EventBody = { id: string; contactId: string | null; visitorId: string | null; properties?: { label: string } };

const occurredAt = (secondsAgo = 60) => new Date(Date.now() - secondsAgo * 1000).toISOString();
const asAdmin = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: Record<string, unknown>) =>
  t.request(workspace.keys.admin, { method, url, payload });
const asAnalytics = (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) =>
  t.request(workspace.keys.marketing, { method, url, payload, purpose: 'web_analytics' });

async function createContact(payload: Record<string, unknown>): Promise<string> {
  const response = await asAdmin('POST', '/api/v1/contacts?allowDuplicate=true', payload);
  expect(response.statusCode).toBe(201);
  return response.json().data.id;
}

async function consentToAnalytics(subjectId: string): Promise<void> {
  await giveConsent(t.database.db, workspace.id, subjectId, 'web_analytics');
}

/** An event from a subject that consented to web analytics (a browser's visitor profile is made with its consent). */
async function track(subject: { contactId: string } | { anonymousId: string }, label: string): Promise<EventBody> {
  if ('anonymousId' in subject) await consentingVisitors(t.database, workspace.id, [subject.anonymousId]);
  const response = await asAnalytics('POST', '/api/v1/events', { type: 'click', occurredAt: occurredAt(), ...subject, properties: { label } });
  expect(response.statusCode).toBe(201);
  return response.json().data;
}

async function contactEvents(contactId: string): Promise<{ statusCode: number; events: EventBody[]; withheld: unknown[]; code?: string }> {
  const response = await asAnalytics('GET', `/api/v1/contacts/${contactId}/events`);
  const body = response.json();
  return { statusCode: response.statusCode, events: body.data ?? [], withheld: withheldCodes(body), code: body.code };
}

const labels = (events: EventBody[]) => events.map((event) => event.properties?.label ?? '(withheld)').sort();
const merge = (survivorId: string, duplicateId: string) => asAdmin('POST', `/api/v1/contacts/${survivorId}/merge`, { duplicateId });

/** What merges did before they re-sealed: moved the events with a bare UPDATE, deleted (shredded) the duplicate, recorded the merge. */
async function mergeTheOldWay(survivorId: string, duplicateId: string): Promise<void> {
  await t.database.query('update events set contact_id = $2 where tenant_id = $1 and contact_id = $3', [workspace.id, survivorId, duplicateId]);
  await t.database.db.transaction((tx) =>
    recordChange(tx, systemContext(workspace.id, 'contact-merge-test', 'sales'), {
      object: 'contact',
      recordId: survivorId,
      kind: 'merged',
      relatedIds: [duplicateId],
    }),
  );
  expect((await asAdmin('DELETE', `/api/v1/contacts/${duplicateId}`)).statusCode).toBe(204);
}

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
  await grantTestDefaults(t, workspace.id);
});
afterAll(() => t.close());

describe('merging two contacts', () => {
  it("moves every event of the duplicate to the survivor, re-sealed so that the survivor's consent opens them", async () => {
    const survivor = await createContact({ firstName: 'Mira', email: 'mira@merge-events.example' });
    const duplicate = await createContact({ lastName: 'Kovač', email: 'mira@merge-events.example', city: 'Zagreb' });
    for (const id of [survivor, duplicate]) await consentToAnalytics(id);
    await track({ contactId: survivor }, 'survivor-own');
    await track({ contactId: duplicate }, 'duplicate-direct-1');
    await track({ contactId: duplicate }, 'duplicate-direct-2');
    const visitorId = (await track({ anonymousId: 'cookie-of-the-duplicate' }, 'visitor-before-merge')).visitorId!;
    expect((await asAnalytics('POST', `/api/v1/visitors/${visitorId}/merge`, { contactId: duplicate })).statusCode).toBe(200);
    expect(labels((await contactEvents(duplicate)).events)).toEqual(['duplicate-direct-1', 'duplicate-direct-2', 'visitor-before-merge']);

    expect((await merge(survivor, duplicate)).statusCode).toBe(200);

    const read = await contactEvents(survivor);
    expect(read.statusCode).toBe(200);
    expect(read.withheld).toEqual([]);
    expect(labels(read.events)).toEqual(['duplicate-direct-1', 'duplicate-direct-2', 'survivor-own', 'visitor-before-merge']);
    expect(read.events.every((event) => event.contactId === survivor && event.visitorId === null)).toBe(true);
    const left = await t.database.query('select 1 from events where tenant_id = $1 and contact_id = $2', [workspace.id, duplicate]);
    expect(left).toEqual([]);
  });

  it('moves the visitor profiles merged into the duplicate, so later events for their browsers reach the survivor', async () => {
    const survivor = await createContact({ firstName: 'Ines' });
    const duplicate = await createContact({ lastName: 'Brandt' });
    for (const id of [survivor, duplicate]) await consentToAnalytics(id);
    const visitorId = (await track({ anonymousId: 'cookie-followed-through-merges' }, 'first-visit')).visitorId!;
    expect((await asAnalytics('POST', `/api/v1/visitors/${visitorId}/merge`, { contactId: duplicate })).statusCode).toBe(200);

    expect((await merge(survivor, duplicate)).statusCode).toBe(200);

    expect((await asAnalytics('GET', `/api/v1/visitors/${visitorId}`)).json().data.mergedIntoContactId).toBe(survivor);
    const later = await track({ anonymousId: 'cookie-followed-through-merges' }, 'after-contact-merge');
    expect(later).toMatchObject({ contactId: survivor, visitorId: null });
    expect(labels((await contactEvents(survivor)).events)).toEqual(['after-contact-merge', 'first-visit']);
  });

  it("moves activities, deals and purchases, and shreds the duplicate's key so nothing of it can be read any more", async () => {
    const survivor = await createContact({ firstName: 'Ravi' });
    const duplicate = await createContact({ lastName: 'Menon', phone: '+91 80 1234 5678' });
    const activity = await asAdmin('POST', '/api/v1/activities', { type: 'note', subject: 'Met at the fair', links: { contactIds: [duplicate] } });
    const deal = await asAdmin('POST', '/api/v1/deals', { name: 'Fair deal', contactIds: [duplicate] });
    const purchase = await asAdmin('POST', '/api/v1/purchases', {
      orderNumber: 'MERGE-1',
      currency: 'EUR',
      lines: [{ sku: 'A-1', name: 'Ticket', quantity: 1, unitPriceMinor: 1200 }],
      contactId: duplicate,
    });
    for (const created of [activity, deal, purchase]) expect(created.statusCode).toBe(201);
    expect((await t.database.query('select 1 from subject_keys where tenant_id = $1 and subject_id = $2', [workspace.id, duplicate])).length).toBeGreaterThan(
      0,
    );

    expect((await merge(survivor, duplicate)).statusCode).toBe(200);

    const ids = (response: { json: () => { data: Array<{ id: string }> } }) => response.json().data.map((row) => row.id);
    expect(ids(await asAdmin('GET', `/api/v1/activities?contactId=${survivor}`))).toEqual([activity.json().data.id]);
    expect(ids(await asAdmin('GET', `/api/v1/purchases?contactId=${survivor}`))).toEqual([purchase.json().data.id]);
    expect((await asAdmin('GET', `/api/v1/deals/${deal.json().data.id}`)).json().data.contactIds).toEqual([survivor]);
    expect((await asAdmin('GET', `/api/v1/contacts/${survivor}`)).json().data).toMatchObject({
      firstName: 'Ravi',
      lastName: 'Menon',
      phone: '+91 80 1234 5678',
    });
    expect((await asAdmin('GET', `/api/v1/contacts/${duplicate}`)).statusCode).toBe(404);
    expect(await t.database.query('select 1 from subject_keys where tenant_id = $1 and subject_id = $2', [workspace.id, duplicate])).toEqual([]);
  });

  it("hands the duplicate's objection, restriction and consent on to the survivor, so the merge loses none of them", async () => {
    const survivor = await createContact({ firstName: 'Keeps', email: 'keeps.state@example.org' });
    const duplicate = await createContact({ firstName: 'Keeps', email: 'keeps.state.2@example.org' });
    const rights = systemContext(workspace.id, 'contact-merge-test', 'legal_compliance');
    await recordObjection(t.database.db, rights, duplicate, { directMarketing: true });
    await consentToAnalytics(duplicate);
    // Merging under sales: an objection to direct marketing does not stop sales.
    expect((await merge(survivor, duplicate)).statusCode).toBe(200);
    const marketing = await t.request(workspace.keys.marketing, {
      method: 'GET',
      url: `/api/v1/contacts/${survivor}`,
      purpose: 'email_marketing_existing_customers',
    });
    expect(marketing.statusCode).toBe(200);
    expect(withheldCodes(marketing.json())).toContainEqual({ field: 'email', reason: 'objected' });
    // The duplicate's consent ledger is the survivor's too: its event carried, the state folded.
    const [consents] = await t.database.query<{ n: number; state: string }>(
      `select (select count(*)::int from consent_events where tenant_id = $1 and subject_id = $2 and purpose_key = 'web_analytics') as n,
              (select state from consent_states where tenant_id = $1 and subject_id = $2 and purpose_key = 'web_analytics') as state`,
      [workspace.id, survivor],
    );
    expect(consents).toEqual({ n: 1, state: 'given' });

    const restrictedSurvivor = await createContact({ firstName: 'Restricted', email: 'restricted.merge@example.org' });
    const restrictedDuplicate = await createContact({ firstName: 'Restricted', email: 'restricted.merge.2@example.org' });
    await recordRestriction(t.database.db, rights, restrictedDuplicate);
    // A restricted person is not processed, so a merge is refused rather than dropping the restriction.
    expect((await merge(restrictedSurvivor, restrictedDuplicate)).statusCode).toBe(403);
  });

  it('moves a history longer than one re-sealing chunk (5,000 events) whole', async () => {
    const survivor = await createContact({ firstName: 'Long' });
    const duplicate = await createContact({ lastName: 'History' });
    for (const id of [survivor, duplicate]) await consentToAnalytics(id);
    const events = Array.from({ length: 5_003 }, (_, index) => ({
      type: 'page_view',
      occurredAt: occurredAt(120),
      contactId: duplicate,
      properties: { label: `step-${index}` },
    }));
    expect((await asAnalytics('POST', '/api/v1/events/batch', { events })).statusCode).toBe(201);

    expect((await merge(survivor, duplicate)).statusCode).toBe(200);

    const [count] = await t.database.query<{ n: number }>('select count(*)::int as n from events where tenant_id = $1 and contact_id = $2', [
      workspace.id,
      survivor,
    ]);
    expect(count.n).toBe(5_003);
    const page = await asAnalytics('GET', `/api/v1/contacts/${survivor}/events?limit=200`);
    expect(page.statusCode).toBe(200);
    expect(page.json().data.filter((event: EventBody) => event.properties?.label.startsWith('step-'))).toHaveLength(200);
  });

  it('changes nothing when one of the moves fails: the merge is one transaction', async () => {
    const survivor = await createContact({ firstName: 'Olga' });
    const duplicate = await createContact({ lastName: 'Petrova' });
    for (const id of [survivor, duplicate]) await consentToAnalytics(id);
    await track({ contactId: duplicate }, 'tampered-1');
    await track({ contactId: duplicate }, 'tampered-2');
    // Two of the duplicate's events with their sealed properties swapped: they cannot be re-sealed.
    const swapped = await swapSealedEventProperties(t.database, workspace.id, duplicate);

    const refused = await merge(survivor, duplicate);
    expect(refused.statusCode).toBe(500);
    expect(refused.json().code).toBe('integrity_error');

    expect((await asAdmin('GET', `/api/v1/contacts/${duplicate}`)).json().data.lastName).toBe('Petrova');
    expect((await asAdmin('GET', `/api/v1/contacts/${survivor}`)).json().data).not.toHaveProperty('lastName');
    const stayed = await t.database.query<{ contact_id: string }>('select contact_id from events where tenant_id = $1 and id = any($2::uuid[])', [
      workspace.id,
      swapped,
    ]);
    expect(stayed.map((row) => row.contact_id)).toEqual([duplicate, duplicate]);
  });
});

describe('contacts and the browsers of visitors merged into them', () => {
  it("keep the browsers' anonymous ids when the contact's e-mail changes", async () => {
    const contact = await createContact({ firstName: 'Noor', email: 'noor@old.example' });
    await consentToAnalytics(contact);
    const visitorId = (await track({ anonymousId: 'cookie-kept-across-edits' }, 'before')).visitorId!;
    expect((await asAnalytics('POST', `/api/v1/visitors/${visitorId}/merge`, { contactId: contact })).statusCode).toBe(200);
    const patched = await t.request(workspace.keys.admin, {
      method: 'PATCH',
      url: `/api/v1/contacts/${contact}`,
      headers: { 'if-match': '"1"' },
      payload: { email: 'noor@new.example' },
    });
    expect(patched.statusCode).toBe(200);
    expect(await track({ anonymousId: 'cookie-kept-across-edits' }, 'after')).toMatchObject({ contactId: contact, visitorId: null });
  });

  // Two connections are needed to hold a merge open while an event arrives: PostgreSQL only.
  it.runIf(testDatabaseUrl)('wait for a merge in progress, and refuse an event for the contact it deletes instead of losing it', async () => {
    const survivor = await createContact({ firstName: 'Wait' });
    const duplicate = await createContact({ lastName: 'Forme' });
    await consentToAnalytics(duplicate);
    const merging = new pg.Client({ connectionString: t.database.url });
    await merging.connect();
    try {
      await merging.query('begin');
      // What a merge holds from its first statement until it commits.
      await merging.query('select id from contacts where tenant_id = $1 and id = any($2::uuid[]) order by id for update', [
        workspace.id,
        [survivor, duplicate],
      ]);
      const arriving = asAnalytics('POST', '/api/v1/events', {
        type: 'click',
        occurredAt: occurredAt(),
        contactId: duplicate,
        properties: { label: 'in-flight' },
      });
      const early = await Promise.race([arriving.then(() => 'answered'), new Promise((resolve) => setTimeout(() => resolve('waiting'), 500))]);
      expect(early).toBe('waiting');
      await merging.query('delete from contacts where tenant_id = $1 and id = $2', [workspace.id, duplicate]);
      await merging.query('commit');
      const response = await arriving;
      expect(response.statusCode).toBe(422);
      expect(response.json().errors[0].field).toBe('contactId');
      expect(await t.database.query('select 1 from events where tenant_id = $1 and contact_id = $2', [workspace.id, duplicate])).toEqual([]);
    } finally {
      await merging.end();
    }
  });
});

describe('events a merge left without their key', () => {
  it("read as withheld 'unrecoverable' beside the contact's readable events, never as a 500", async () => {
    const survivor = await createContact({ firstName: 'Tomás' });
    const duplicate = await createContact({ lastName: 'Ruiz' });
    for (const id of [survivor, duplicate]) await consentToAnalytics(id);
    await track({ contactId: survivor }, 'survivor-before');
    const lost = await track({ contactId: duplicate }, 'sealed-under-a-shredded-key');
    await mergeTheOldWay(survivor, duplicate);
    await track({ contactId: survivor }, 'survivor-after');

    const read = await contactEvents(survivor);
    expect(read.statusCode).toBe(200);
    expect(labels(read.events)).toEqual(['(withheld)', 'survivor-after', 'survivor-before']);
    expect(read.events.find((event) => event.id === lost.id)).toMatchObject({ id: lost.id, contactId: survivor });
    expect(read.withheld).toEqual([{ field: 'properties', reason: 'unrecoverable' }]);

    const single = await readEvent(t.database.db, systemContext(workspace.id, 'contact-merge-test', 'web_analytics'), lost.id);
    expect(single?.event).toMatchObject({ id: lost.id, contactId: survivor, properties: null });
    expect(single?.withheld).toEqual([{ field: 'properties', reason: 'unrecoverable' }]);
  });

  it('still refuse a tampered event of the same contact sealed after that merge (integrity_error)', async () => {
    const survivor = await createContact({ firstName: 'Greta' });
    const duplicate = await createContact({ lastName: 'Lind' });
    for (const id of [survivor, duplicate]) await consentToAnalytics(id);
    await track({ contactId: duplicate }, 'lost-in-merge');
    await mergeTheOldWay(survivor, duplicate);
    const first = await track({ contactId: survivor }, 'after-1');
    const second = await track({ contactId: survivor }, 'after-2');
    const rows = await t.database.query<{ id: string; properties: unknown }>(
      'select id, properties from events where tenant_id = $1 and id = any($2::uuid[])',
      [workspace.id, [first.id, second.id]],
    );
    await t.database.query('update events set properties = $3::jsonb where tenant_id = $1 and id = $2', [
      workspace.id,
      rows[0].id,
      JSON.stringify(rows[1].properties),
    ]);

    const read = await contactEvents(survivor);
    expect(read.statusCode).toBe(500);
    expect(read.code).toBe('integrity_error');
  });

  it('go along, still withheld, when their contact is merged again, and the merge keeps no ciphertext it cannot open', async () => {
    const first = await createContact({ firstName: 'Anouk' });
    const second = await createContact({ lastName: 'Visser' });
    const third = await createContact({ city: 'Utrecht' });
    for (const id of [first, second, third]) await consentToAnalytics(id);
    const lost = await track({ contactId: third }, 'lost-in-the-first-merge');
    await mergeTheOldWay(second, third);
    await track({ contactId: second }, 'readable');

    expect((await merge(first, second)).statusCode).toBe(200);

    const read = await contactEvents(first);
    expect(read.statusCode).toBe(200);
    expect(labels(read.events)).toEqual(['(withheld)', 'readable']);
    expect(read.withheld).toEqual([{ field: 'properties', reason: 'unrecoverable' }]);
    const [stored] = await t.database.query<{ properties: Record<string, unknown> }>('select properties from events where tenant_id = $1 and id = $2', [
      workspace.id,
      lost.id,
    ]);
    expect(stored.properties).not.toHaveProperty('properties');
  });
});
