import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../src/db/ids.ts';
import { systemContext } from '../src/kernel/accessContext.ts';
import { insertContacts } from '../src/kernel/contactRecords.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';
import { giveConsent } from './support/consentLedger.ts';
import { consentingVisitors } from './support/consentingVisitors.ts';

let t: TestApp;
let workspace: TestWorkspace;
let otherWorkspace: TestWorkspace;
let contactId: string;
let otherContactId: string;

/** A contact with a live consent to web analytics, so its event properties may be read for that purpose. */
async function createContact(tenantId: string): Promise<string> {
  const id = newId();
  await insertContacts(t.database.db, systemContext(tenantId, 'events-test', 'sales'), [
    { id, ownerId: null, companyId: null, lifecycleStage: 'lead', source: 'api', personal: {} },
  ]);
  await giveConsent(t.database.db, tenantId, id, 'web_analytics');
  return id;
}

const analyticsRead = (url: string) => t.request(workspace.keys.marketing, { method: 'GET', url, purpose: 'web_analytics' });

const occurredAt = (secondsAgo = 60) => new Date(Date.now() - secondsAgo * 1000).toISOString();

function postBatch(key: string, events: unknown[], headers: Record<string, string> = {}) {
  return t.request(key, { method: 'POST', url: '/api/v1/events/batch', payload: { events }, headers, purpose: 'web_analytics' });
}

async function eventCount(tenantId: string): Promise<number> {
  const [row] = await t.database.query<{ count: number }>('select count(*)::int as count from events where tenant_id = $1', [tenantId]);
  return row.count;
}

async function visitorCount(tenantId: string): Promise<number> {
  const [row] = await t.database.query<{ count: number }>('select count(*)::int as count from visitors where tenant_id = $1', [tenantId]);
  return row.count;
}

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
  otherWorkspace = await t.createWorkspace();
  contactId = await createContact(workspace.id);
  otherContactId = await createContact(otherWorkspace.id);
});
afterAll(() => t.close());

describe('bulk event ingest', () => {
  it('accepts a batch of 10,000 events and stores every one', async () => {
    const before = await eventCount(workspace.id);
    await consentingVisitors(
      t.database,
      workspace.id,
      Array.from({ length: 50 }, (_, index) => `bulk-${index}`),
    );
    const events = Array.from({ length: 10_000 }, (_, index) =>
      index % 2 === 0
        ? { type: 'page_view', occurredAt: occurredAt(index), contactId, properties: { url: `https://shop.example/p/${index}` } }
        : { type: 'click', occurredAt: occurredAt(index), anonymousId: `bulk-${Math.floor(index / 2) % 50}`, properties: { element: 'buy', position: index } },
    );
    const response = await postBatch(workspace.keys.marketing, events);
    expect(response.statusCode).toBe(201);
    expect(response.json().data).toMatchObject({ accepted: 10_000, visitorsCreated: 0, notStored: 0 });
    expect((await eventCount(workspace.id)) - before).toBe(10_000);
  });

  it('refuses a batch with one invalid item whole, naming events[i].field, and stores nothing', async () => {
    const before = { events: await eventCount(workspace.id), visitors: await visitorCount(workspace.id) };
    const events = Array.from({ length: 20 }, (_, index) => ({ type: 'page_view', occurredAt: occurredAt(), anonymousId: `refused-${index}` }));
    events[12] = { type: 'page_view', occurredAt: 'yesterday-ish', anonymousId: 'refused-12' };
    const response = await postBatch(workspace.keys.marketing, events);
    expect(response.statusCode).toBe(422);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().errors).toEqual([{ index: 12, field: 'events[12].occurredAt', reason: expect.any(String) }]);
    expect(response.json().invalidItems).toBe(1);
    expect(await eventCount(workspace.id)).toBe(before.events);
    expect(await visitorCount(workspace.id)).toBe(before.visitors);
  });

  it('reports every invalid item of a batch, not just the first', async () => {
    const response = await postBatch(workspace.keys.marketing, [
      { type: 'page_view', occurredAt: occurredAt(), contactId },
      { type: 'teleport', occurredAt: occurredAt(), contactId },
      { type: 'click', occurredAt: occurredAt(), contactId, anonymousId: 'both-given' },
      { type: 'click', occurredAt: occurredAt(), contactId, properties: { nested: { deep: true } } },
    ]);
    expect(response.statusCode).toBe(422);
    expect(response.json().errors.map((error: { field: string }) => error.field)).toEqual([
      'events[1].type',
      'events[2].contactId',
      'events[3].properties.nested',
    ]);
  });

  it('refuses a body over the 5 MiB limit with 413 problem+json', async () => {
    const padding = 'x'.repeat(600);
    const events = Array.from({ length: 10_000 }, () => ({ type: 'page_view', occurredAt: occurredAt(), contactId, properties: { url: padding } }));
    const response = await postBatch(workspace.keys.marketing, events);
    expect(response.statusCode).toBe(413);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().code).toBe('payload_too_large');
  });

  it('refuses more than 10,000 events in one batch', async () => {
    const events = Array.from({ length: 10_001 }, () => ({ type: 'page_view', occurredAt: occurredAt(), contactId }));
    const response = await postBatch(workspace.keys.marketing, events);
    expect(response.statusCode).toBe(422);
    expect(response.json().errors[0].field).toBe('events');
  });

  it('refuses an unknown contact id as a per-item error', async () => {
    const before = await eventCount(workspace.id);
    const response = await postBatch(workspace.keys.marketing, [
      { type: 'page_view', occurredAt: occurredAt(), contactId },
      { type: 'page_view', occurredAt: occurredAt(), contactId: newId() },
    ]);
    expect(response.statusCode).toBe(422);
    expect(response.json().errors).toEqual([{ index: 1, field: 'events[1].contactId', reason: 'no contact with this id in this workspace' }]);
    expect(await eventCount(workspace.id)).toBe(before);
  });

  it("refuses another workspace's contact as a per-item error", async () => {
    const response = await postBatch(workspace.keys.marketing, [{ type: 'email_open', occurredAt: occurredAt(), contactId: otherContactId }]);
    expect(response.statusCode).toBe(422);
    expect(response.json().errors).toEqual([{ index: 0, field: 'events[0].contactId', reason: 'no contact with this id in this workspace' }]);
    expect(await eventCount(otherWorkspace.id)).toBe(0);
  });

  it('keeps one visitor profile per anonymous id, however many batches repeat it', async () => {
    const before = await visitorCount(workspace.id);
    await consentingVisitors(t.database, workspace.id, ['cookie-repeat']);
    const batch = [
      { type: 'page_view', occurredAt: occurredAt(30), anonymousId: 'cookie-repeat' },
      { type: 'click', occurredAt: occurredAt(20), anonymousId: 'cookie-repeat' },
    ];
    const first = await postBatch(workspace.keys.marketing, batch);
    const second = await postBatch(workspace.keys.marketing, batch);
    expect(first.json().data).toMatchObject({ accepted: 2, visitorsCreated: 0 });
    expect(second.json().data).toMatchObject({ accepted: 2, visitorsCreated: 0 });
    expect((await visitorCount(workspace.id)) - before).toBe(1);
  });

  it('replays a batch sent again with the same Idempotency-Key without storing it twice', async () => {
    const before = await eventCount(workspace.id);
    await consentingVisitors(t.database, workspace.id, ['cookie-idempotent']);
    const events = [
      { type: 'page_view', occurredAt: occurredAt(), contactId },
      { type: 'click', occurredAt: occurredAt(), anonymousId: 'cookie-idempotent' },
    ];
    const first = await postBatch(workspace.keys.marketing, events, { 'idempotency-key': 'batch-retry-1' });
    const retry = await postBatch(workspace.keys.marketing, events, { 'idempotency-key': 'batch-retry-1' });
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(retry.json().data).toEqual(first.json().data);
    expect((await eventCount(workspace.id)) - before).toBe(2);
  });

  it('records one audit entry per batch, with counts and field names but no values', async () => {
    const response = await postBatch(workspace.keys.marketing, [
      { type: 'form_submit', occurredAt: occurredAt(), contactId, properties: { formId: 'audit-form-value-91', campaign: 'audit-campaign-value-91' } },
      { type: 'click', occurredAt: occurredAt(), contactId, properties: { element: 'audit-element-value-91' } },
    ]);
    const { batchId } = response.json().data;
    const entries = await t.database.query<{ action: string; fields: string[]; detail: Record<string, unknown> }>(
      'select action, fields, detail from audit_entries where tenant_id = $1 and $2 = any(record_ids)',
      [workspace.id, batchId],
    );
    expect(entries).toHaveLength(1);
    expect(entries[0].action).toBe('event_batch.created');
    expect(entries[0].fields).toEqual(expect.arrayContaining(['properties.formId', 'properties.campaign', 'properties.element']));
    expect(entries[0].detail).toMatchObject({ accepted: 2 });
    expect(JSON.stringify(entries)).not.toContain('value-91');
  });
});

describe('single events and event history', () => {
  it('stores one event and returns it with its properties', async () => {
    const response = await t.request(workspace.keys.marketing, {
      method: 'POST',
      url: '/api/v1/events',
      payload: { type: 'email_open', occurredAt: occurredAt(5), contactId, properties: { campaign: 'spring' } },
      purpose: 'web_analytics',
    });
    expect(response.statusCode).toBe(201);
    expect(response.json().data).toMatchObject({ type: 'email_open', contactId, visitorId: null, properties: { campaign: 'spring' } });
  });

  it('names the field of a single invalid event without an index prefix', async () => {
    const response = await t.request(workspace.keys.marketing, {
      method: 'POST',
      url: '/api/v1/events',
      payload: { type: 'page_view', occurredAt: occurredAt() },
      purpose: 'web_analytics',
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors[0].field).toBe('contactId');
  });

  it('keeps property values with quotes, backslashes, control characters and non-Latin text intact', async () => {
    const contact = await createContact(workspace.id);
    const properties = { url: 'https://example.com/a?q="x"\\y\\N', referrer: 'Zürich — 東京 {"a":1}\tend\nnext\r', score: 4.5, consented: false };
    await postBatch(workspace.keys.marketing, [{ type: 'page_view', occurredAt: occurredAt(), contactId: contact, properties }]);
    const response = await analyticsRead(`/api/v1/contacts/${contact}/events`);
    expect(response.statusCode).toBe(200);
    expect(response.json().data[0].properties).toEqual(properties);
  });

  it("pages a contact's events newest first with a cursor over occurredAt", async () => {
    const contact = await createContact(workspace.id);
    const events = Array.from({ length: 7 }, (_, index) => ({
      type: 'page_view',
      occurredAt: occurredAt(100 - index),
      contactId: contact,
      properties: { step: index },
    }));
    await postBatch(workspace.keys.marketing, events);
    const first = await analyticsRead(`/api/v1/contacts/${contact}/events?limit=4`);
    expect(first.statusCode).toBe(200);
    const page = first.json();
    expect(page.data.map((event: { properties: { step: number } }) => event.properties.step)).toEqual([6, 5, 4, 3]);
    const second = await analyticsRead(`/api/v1/contacts/${contact}/events?limit=4&cursor=${page.nextCursor}`);
    expect(second.json().data.map((event: { properties: { step: number } }) => event.properties.step)).toEqual([2, 1, 0]);
    expect(second.json().nextCursor).toBeNull();
  });

  it("answers 404 for another workspace's contact and for a malformed id", async () => {
    const other = await t.request(workspace.keys.sales, { method: 'GET', url: `/api/v1/contacts/${otherContactId}/events`, purpose: 'sales' });
    const malformed = await t.request(workspace.keys.sales, { method: 'GET', url: '/api/v1/contacts/not-a-uuid/events', purpose: 'sales' });
    expect(other.statusCode).toBe(404);
    expect(malformed.statusCode).toBe(404);
  });
});

describe('who may ingest events', () => {
  const oneEvent = () => [{ type: 'page_view', occurredAt: occurredAt(), contactId }];

  it('lets marketing and admin ingest', async () => {
    expect((await postBatch(workspace.keys.marketing, oneEvent())).statusCode).toBe(201);
    expect((await postBatch(workspace.keys.admin, oneEvent())).statusCode).toBe(201);
  });

  it('refuses ingest for a purpose the role is not granted with 403 purpose_not_granted, storing nothing', async () => {
    const before = await eventCount(workspace.id);
    const response = await t.request(workspace.keys.marketing, {
      method: 'POST',
      url: '/api/v1/events/batch',
      payload: { events: oneEvent() },
      purpose: 'sales',
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('purpose_not_granted');
    expect(await eventCount(workspace.id)).toBe(before);
  });

  it('refuses analysts and sales with 403, storing nothing', async () => {
    const before = await eventCount(workspace.id);
    const analyst = await postBatch(workspace.keys.analyst, oneEvent());
    const sales = await postBatch(workspace.keys.sales, oneEvent());
    expect(analyst.statusCode).toBe(403);
    expect(sales.statusCode).toBe(403);
    expect(await eventCount(workspace.id)).toBe(before);
  });

  it('refuses analysts reading a contact event history', async () => {
    const response = await t.request(workspace.keys.analyst, { method: 'GET', url: `/api/v1/contacts/${contactId}/events`, purpose: 'web_analytics' });
    expect(response.statusCode).toBe(403);
  });
});

describe('event properties stay out of logs and errors', () => {
  it('never logs or echoes a property value or an anonymous id, accepted or refused', async () => {
    const marker = 'leak-marker-3b9c';
    await postBatch(workspace.keys.marketing, [
      { type: 'page_view', occurredAt: occurredAt(), anonymousId: `${marker}-cookie`, properties: { url: `https://x.example/${marker}` } },
    ]);
    const refused = await postBatch(workspace.keys.marketing, [
      {
        type: 'page_view',
        occurredAt: `${marker}-date`,
        anonymousId: `${marker}-cookie`,
        properties: { url: `https://x.example/${marker}`, [`${marker}@mail.example`]: 1 },
      },
      { type: 'page_view', occurredAt: occurredAt(), anonymousId: `${marker}-cookie`, properties: { referrer: marker.repeat(300) } },
    ]);
    expect(refused.statusCode).toBe(422);
    expect(refused.body).not.toContain(marker);
    expect(t.logs.join('\n')).not.toContain(marker);
    const deliveries = await t.database.query<{ payload: unknown }>('select payload from webhook_deliveries where tenant_id = $1', [workspace.id]);
    expect(JSON.stringify(deliveries)).not.toContain(marker);
  });
});
