import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntries, contacts, idempotencyKeys, webhookDeliveries } from '../src/db/schema/index.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';
import { addBareCompany, addBareContact, addTestUser, firstErrorField } from './support/salesRecords.ts';

let t: TestApp;
let workspace: TestWorkspace;
let other: TestWorkspace;

type Links = { contactIds: string[]; companyIds: string[]; dealIds: string[] };
type Activity = {
  id: string;
  type: string;
  subject?: string;
  body?: string;
  occurredAt: string;
  dueAt: string | null;
  completedAt: string | null;
  assigneeId: string | null;
  links: Links;
  version: number;
};

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
  other = await t.createWorkspace();
});
afterAll(() => t.close());

const sales = () => workspace.keys.sales;

async function createActivity(payload: Record<string, unknown>, key = sales()): Promise<Activity> {
  const response = await t.request(key, { method: 'POST', url: '/api/v1/activities', payload: { type: 'note', ...payload }, purpose: 'sales' });
  expect(response.statusCode).toBe(201);
  return response.json().data;
}

async function createDeal(): Promise<string> {
  const response = await t.request(sales(), { purpose: 'sales', method: 'POST', url: '/api/v1/deals', payload: { name: 'Deal' } });
  return response.json().data.id;
}

async function patchActivity(activity: Activity, payload: Record<string, unknown>, key = sales()) {
  return t.request(key, {
    method: 'PATCH',
    url: `/api/v1/activities/${activity.id}`,
    payload,
    headers: { 'if-match': `"${activity.version}"` },
    purpose: 'sales',
  });
}

async function listIds(query: string, key = sales()): Promise<string[]> {
  const response = await t.request(key, { method: 'GET', url: `/api/v1/activities?${query}`, purpose: 'sales' });
  expect(response.statusCode).toBe(200);
  return response.json().data.map((activity: Activity) => activity.id);
}

async function lastActivityAt(contactId: string): Promise<string | null> {
  const [row] = await t.database.db
    .select({ at: contacts.lastActivityAt })
    .from(contacts)
    .where(and(eq(contacts.tenantId, workspace.id), eq(contacts.id, contactId)));
  return row.at ? row.at.toISOString() : null;
}

describe('activities', () => {
  it('logs a call with subject, body and links to contacts, companies and deals, and reads it back', async () => {
    const contactId = await addBareContact(t, workspace.id);
    const companyId = await addBareCompany(t, workspace.id);
    const dealId = await createDeal();
    const response = await t.request(sales(), {
      method: 'POST',
      url: '/api/v1/activities',
      purpose: 'sales',
      payload: {
        type: 'call',
        subject: 'Intro call',
        body: 'Discussed the pilot.',
        occurredAt: '2026-02-03T10:00:00Z',
        links: { contactIds: [contactId], companyIds: [companyId], dealIds: [dealId] },
      },
    });
    expect(response.statusCode).toBe(201);
    expect(response.headers.etag).toBe('"1"');
    const activity: Activity = response.json().data;
    expect(activity).toMatchObject({
      type: 'call',
      subject: 'Intro call',
      body: 'Discussed the pilot.',
      occurredAt: '2026-02-03T10:00:00.000Z',
      dueAt: null,
      completedAt: null,
      links: { contactIds: [contactId], companyIds: [companyId], dealIds: [dealId] },
    });
    const read = await t.request(workspace.keys.support, { purpose: 'support', method: 'GET', url: `/api/v1/activities/${activity.id}` });
    expect(read.json()).toEqual({ data: activity, withheld: [] });
    // Marketing may see the activity, but its free text serves only the relationship purposes.
    const marketing = await t.request(workspace.keys.marketing, {
      method: 'GET',
      url: `/api/v1/activities/${activity.id}`,
      purpose: 'email_marketing_existing_customers',
    });
    const { subject: _subject, body: _body, ...withoutText } = activity;
    const notDeclared = 'not declared for email_marketing_existing_customers: the data catalog does not let this purpose use the field';
    expect(marketing.json()).toEqual({
      data: withoutText,
      withheld: [
        { field: 'subject', reason: 'field_not_declared_for_purpose', message: notDeclared },
        { field: 'body', reason: 'field_not_declared_for_purpose', message: notDeclared },
      ],
    });
  });

  it("moves linked contacts' last activity forward to the newest activity, never back", async () => {
    const [first, second] = [await addBareContact(t, workspace.id), await addBareContact(t, workspace.id)];
    await createActivity({ occurredAt: '2026-03-01T09:00:00Z', links: { contactIds: [first, second] } });
    expect(await lastActivityAt(first)).toBe('2026-03-01T09:00:00.000Z');
    await createActivity({ occurredAt: '2026-01-01T09:00:00Z', links: { contactIds: [first] } });
    expect(await lastActivityAt(first)).toBe('2026-03-01T09:00:00.000Z');
    const later = await createActivity({ type: 'meeting', occurredAt: '2026-04-01T09:00:00Z', links: { contactIds: [second] } });
    expect(await lastActivityAt(second)).toBe('2026-04-01T09:00:00.000Z');
    expect(await lastActivityAt(first)).toBe('2026-03-01T09:00:00.000Z');
    const third = await addBareContact(t, workspace.id);
    expect(await lastActivityAt(third)).toBeNull();
    expect((await patchActivity(later, { links: { contactIds: [second, third] } })).statusCode).toBe(200);
    expect(await lastActivityAt(third)).toBe('2026-04-01T09:00:00.000Z');
  });

  it('creates tasks with a due date and assignee, and completes them once', async () => {
    const assigneeId = await addTestUser(t, workspace.id);
    const task = await createActivity({ type: 'task', subject: 'Send quote', dueAt: '2026-05-01T12:00:00Z', assigneeId });
    expect(task).toMatchObject({ dueAt: '2026-05-01T12:00:00.000Z', assigneeId, completedAt: null });
    const completed = await t.request(sales(), { purpose: 'sales', method: 'POST', url: `/api/v1/activities/${task.id}/complete` });
    expect(completed.statusCode).toBe(200);
    const completedAt = completed.json().data.completedAt;
    expect(completedAt).toEqual(expect.any(String));
    const again = await t.request(sales(), {
      purpose: 'sales',
      method: 'POST',
      url: `/api/v1/activities/${task.id}/complete`,
      payload: { completedAt: '2030-01-01T00:00:00Z' },
    });
    expect(again.json().data).toMatchObject({ completedAt, version: 2 });
    const reopened = await patchActivity(again.json().data, { completedAt: null });
    expect(reopened.json().data.completedAt).toBeNull();
  });

  it('keeps due dates, assignees and completion to tasks, naming the field', async () => {
    const assigneeId = await addTestUser(t, workspace.id);
    const note = await createActivity({});
    const completing = await t.request(sales(), { purpose: 'sales', method: 'POST', url: `/api/v1/activities/${note.id}/complete` });
    expect([completing.statusCode, firstErrorField(completing.json())]).toEqual([422, 'type']);
    const foreignContact = await addBareContact(t, other.id);
    const foreignUser = await addTestUser(t, other.id);
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ type: 'note', dueAt: '2026-05-01T12:00:00Z' }, 422, 'dueAt'],
      [{ type: 'call', assigneeId }, 422, 'assigneeId'],
      [{ type: 'lunch' }, 422, 'type'],
      [{ type: 'task', assigneeId: foreignUser }, 422, 'assigneeId'],
      [{ type: 'task', dueAt: 'tomorrow' }, 422, 'dueAt'],
      [{ type: 'note', links: { contactIds: [foreignContact] } }, 422, 'links.contactIds.0'],
      [{ type: 'note', links: { dealIds: ['0190a0a0-0000-7000-8000-000000000001'] } }, 422, 'links.dealIds.0'],
      [{ type: 'note', subject: 'x'.repeat(1001) }, 422, 'subject'],
    ];
    for (const [payload, status, field] of cases) {
      const response = await t.request(sales(), { purpose: 'sales', method: 'POST', url: '/api/v1/activities', payload });
      expect({ field, status: response.statusCode, named: firstErrorField(response.json()) }).toEqual({ field, status, named: field });
    }
    expect((await patchActivity(note, { dueAt: '2026-05-01T12:00:00Z' })).statusCode).toBe(422);
  });

  it('filters by linked record, type, assignee, open tasks and due date', async () => {
    const contactId = await addBareContact(t, workspace.id);
    const companyId = await addBareCompany(t, workspace.id);
    const dealId = await createDeal();
    const assigneeId = await addTestUser(t, workspace.id);
    const note = await createActivity({ links: { contactIds: [contactId], companyIds: [companyId] } });
    const email = await createActivity({ type: 'email', links: { dealIds: [dealId], contactIds: [contactId] } });
    const overdue = await createActivity({ type: 'task', dueAt: '2026-01-10T00:00:00Z', assigneeId, links: { contactIds: [contactId] } });
    const later = await createActivity({ type: 'task', dueAt: '2026-09-10T00:00:00Z', assigneeId, links: { contactIds: [contactId] } });
    const done = await createActivity({
      type: 'task',
      dueAt: '2026-01-05T00:00:00Z',
      assigneeId,
      completedAt: '2026-01-04T00:00:00Z',
      links: { contactIds: [contactId] },
    });
    expect((await listIds(`contactId=${contactId}`)).sort()).toEqual([note.id, email.id, overdue.id, later.id, done.id].sort());
    expect(await listIds(`companyId=${companyId}`)).toEqual([note.id]);
    expect(await listIds(`dealId=${dealId}`)).toEqual([email.id]);
    expect(await listIds(`contactId=${contactId}&type=email`)).toEqual([email.id]);
    expect(await listIds(`assigneeId=${assigneeId}&sort=dueAt`)).toEqual([done.id, overdue.id, later.id]);
    expect(await listIds(`assigneeId=${assigneeId}&dueBefore=2026-06-01T00:00:00Z`)).toEqual([overdue.id]);
    expect(await listIds(`assigneeId=${assigneeId}&status=open&sort=-dueAt`)).toEqual([later.id, overdue.id]);
    expect(await listIds(`assigneeId=${assigneeId}&status=completed`)).toEqual([done.id]);
    expect(await listIds(`contactId=${contactId}&sort=dueAt&limit=5`)).toEqual([done.id, overdue.id, later.id, expect.any(String), expect.any(String)]);
  });

  it('pages through activities without repeats or gaps while activities are inserted between pages', async () => {
    const companyId = await addBareCompany(t, workspace.id);
    const before: string[] = [];
    for (let index = 0; index < 5; index += 1)
      before.push((await createActivity({ occurredAt: `2026-02-0${index + 1}T00:00:00Z`, links: { companyIds: [companyId] } })).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let page = 0;
    do {
      const url: string = `/api/v1/activities?companyId=${companyId}&sort=occurredAt&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const response = await t.request(sales(), { purpose: 'sales', method: 'GET', url });
      seen.push(...response.json().data.map((activity: Activity) => activity.id));
      cursor = response.json().nextCursor;
      page += 1;
      // One lands among the pages already read, one after them.
      if (page === 1) await createActivity({ occurredAt: '2026-01-15T00:00:00Z', links: { companyIds: [companyId] } });
      if (page === 2) before.push((await createActivity({ occurredAt: '2026-03-01T00:00:00Z', links: { companyIds: [companyId] } })).id);
    } while (cursor);
    expect(seen).toEqual(before);
  });

  it('changes subject and body under If-Match, removes a field sent as null, and refuses a stale ETag', async () => {
    const activity = await createActivity({ subject: 'Draft', body: 'First words' });
    expect((await t.request(sales(), { purpose: 'sales', method: 'PATCH', url: `/api/v1/activities/${activity.id}`, payload: { body: 'x' } })).statusCode).toBe(
      428,
    );
    const updated = await patchActivity(activity, { subject: null, body: 'Second words' });
    expect(updated.statusCode).toBe(200);
    expect(updated.json().data.subject).toBeUndefined();
    expect(updated.json().data).toMatchObject({ body: 'Second words', version: 2 });
    const stale = await patchActivity(activity, { body: 'Lost update' });
    expect(stale.statusCode).toBe(412);
  });

  it('drops the link to a deal when the deal is deleted', async () => {
    const dealId = await createDeal();
    const activity = await createActivity({ links: { dealIds: [dealId] } });
    expect((await t.request(sales(), { purpose: 'sales', method: 'DELETE', url: `/api/v1/deals/${dealId}` })).statusCode).toBe(204);
    const read = await t.request(sales(), { purpose: 'sales', method: 'GET', url: `/api/v1/activities/${activity.id}` });
    expect(read.json().data.links.dealIds).toEqual([]);
  });

  it('deletes an activity for good', async () => {
    const activity = await createActivity({});
    expect((await t.request(sales(), { purpose: 'sales', method: 'DELETE', url: `/api/v1/activities/${activity.id}` })).statusCode).toBe(204);
    expect((await t.request(sales(), { purpose: 'sales', method: 'GET', url: `/api/v1/activities/${activity.id}` })).statusCode).toBe(404);
  });

  it('keeps subject and body out of logs, audit entries, idempotency records and webhook payloads', async () => {
    const marker = `Confidential-${Date.now()}`;
    const activity = await t.request(sales(), {
      method: 'POST',
      url: '/api/v1/activities',
      purpose: 'sales',
      payload: { type: 'note', subject: `${marker} subject`, body: `${marker} body` },
      headers: { 'idempotency-key': 'activity-with-marker' },
    });
    expect(activity.statusCode).toBe(201);
    await patchActivity(activity.json().data, { body: `${marker} edited` });
    const stored = JSON.stringify([
      await t.database.db.select().from(auditEntries).where(eq(auditEntries.tenantId, workspace.id)),
      await t.database.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.tenantId, workspace.id)),
      await t.database.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.tenantId, workspace.id)),
    ]);
    expect(stored).toContain('activity.created');
    expect(stored).not.toContain(marker);
    expect(t.logs.join('\n')).not.toContain(marker);
  });

  it('follows the role matrix: marketing reads only, support cannot delete, analysts cannot read', async () => {
    const activity = await createActivity({});
    expect((await t.request(workspace.keys.analyst, { method: 'GET', url: '/api/v1/activities' })).statusCode).toBe(403);
    expect((await t.request(workspace.keys.marketing, { method: 'GET', url: `/api/v1/activities/${activity.id}` })).statusCode).toBe(200);
    expect((await t.request(workspace.keys.marketing, { method: 'POST', url: '/api/v1/activities', payload: { type: 'note' } })).statusCode).toBe(403);
    expect((await t.request(workspace.keys.privacy_officer, { method: 'POST', url: `/api/v1/activities/${activity.id}/complete` })).statusCode).toBe(403);
    expect(
      (await t.request(workspace.keys.support, { purpose: 'support', method: 'POST', url: '/api/v1/activities', payload: { type: 'call' } })).statusCode,
    ).toBe(201);
    expect((await t.request(workspace.keys.support, { purpose: 'support', method: 'DELETE', url: `/api/v1/activities/${activity.id}` })).statusCode).toBe(403);
    expect((await t.request(workspace.keys.sales, { purpose: 'sales', method: 'DELETE', url: `/api/v1/activities/${activity.id}` })).statusCode).toBe(204);
  });

  it("answers 404 for another workspace's activity and never lists it", async () => {
    const contactId = await addBareContact(t, workspace.id);
    const activity = await createActivity({ links: { contactIds: [contactId] } });
    const key = other.keys.sales;
    expect((await t.request(key, { method: 'GET', url: `/api/v1/activities/${activity.id}` })).statusCode).toBe(404);
    expect((await patchActivity(activity, { body: 'Taken over' }, key)).statusCode).toBe(404);
    expect((await t.request(key, { method: 'POST', url: `/api/v1/activities/${activity.id}/complete` })).statusCode).toBe(404);
    expect((await t.request(key, { method: 'DELETE', url: `/api/v1/activities/${activity.id}` })).statusCode).toBe(404);
    expect(await listIds(`contactId=${contactId}`, key)).toEqual([]);
  });
});
