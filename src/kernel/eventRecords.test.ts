import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace } from '../accounts/workspaces.ts';
import { newId } from '../db/ids.ts';
import { giveConsent } from '../../test/support/consentLedger.ts';
import { openTestDatabase, type TestDatabase } from '../../test/support/testDatabase.ts';
import { parseSort } from '../shared/keyset.ts';
import { systemContext, type PurposeContext } from './accessContext.ts';
import { eventSortColumns, insertEvents, listSubjectEvents, moveVisitorEvents, type NewEventRecord } from './eventRecords.ts';
import { ensureTestKernel } from './runtime.ts';
import { shredSubjects } from './vault/index.ts';

let database: TestDatabase;
let ctx: PurposeContext;

beforeAll(async () => {
  ensureTestKernel();
  database = await openTestDatabase();
  ctx = systemContext((await createWorkspace(database.db, { slug: 'event-records', name: 'E' })).id, 'test', 'web_analytics');
});
afterAll(() => database.close());

const order = () => parseSort(undefined, eventSortColumns, '-occurred_at');

async function consent(subjectId: string): Promise<void> {
  await giveConsent(database.db, ctx.tenantId, subjectId, 'web_analytics');
}

function event(subject: { contactId: string } | { visitorId: string }, properties: NewEventRecord['properties']): NewEventRecord {
  return {
    id: newId(),
    contactId: 'contactId' in subject ? subject.contactId : null,
    visitorId: 'visitorId' in subject ? subject.visitorId : null,
    type: 'page_view',
    occurredAt: new Date(Date.now() - 60_000).toISOString(),
    properties,
  };
}

async function addVisitor(): Promise<string> {
  const id = newId();
  await database.query('insert into visitors (tenant_id, id) values ($1, $2)', [ctx.tenantId, id]);
  return id;
}

async function addContact(): Promise<string> {
  const id = newId();
  await database.query("insert into contacts (tenant_id, id, source) values ($1, $2, 'api')", [ctx.tenantId, id]);
  return id;
}

describe('event records in the vault', () => {
  it("seals each event's properties under its subject's key and reads them back for a consenting subject", async () => {
    const visitorId = await addVisitor();
    await consent(visitorId);
    await database.db.transaction((tx) =>
      insertEvents(tx, ctx, [event({ visitorId }, { url: 'https://a.example/one' }), event({ visitorId }, { url: 'https://a.example/two' })]),
    );
    const raw = await database.query<{ properties: string }>('select properties::text as properties from events where tenant_id = $1 and visitor_id = $2', [
      ctx.tenantId,
      visitorId,
    ]);
    expect(raw.map((row) => row.properties).join()).not.toContain('a.example');
    const read = await listSubjectEvents(database.db, ctx, { subject: { visitorId }, order: order(), limit: 10 });
    expect(read.events.map((record) => record.properties?.url).sort()).toEqual(['https://a.example/one', 'https://a.example/two']);
  });

  it("re-seals a merged visitor's events under the contact's key, so they outlive the visitor's key", async () => {
    const visitorId = await addVisitor();
    const contactId = await addContact();
    await consent(contactId);
    await database.db.transaction((tx) => insertEvents(tx, ctx, [event({ visitorId }, { step: 1 })]));
    await database.db.transaction((tx) => moveVisitorEvents(tx, ctx, visitorId, contactId));
    await shredSubjects(database.db, ctx.tenantId, [visitorId]);
    const read = await listSubjectEvents(database.db, ctx, { subject: { contactId }, order: order(), limit: 10 });
    expect(read.events.map((record) => record.properties)).toEqual([{ step: 1 }]);
  });

  it('withholds, as erased, the properties of a subject whose key was shredded', async () => {
    const contactId = await addContact();
    await consent(contactId);
    await database.db.transaction((tx) => insertEvents(tx, ctx, [event({ contactId }, { step: 2 })]));
    await shredSubjects(database.db, ctx.tenantId, [contactId]);
    const read = await listSubjectEvents(database.db, ctx, { subject: { contactId }, order: order(), limit: 10 });
    expect(read.events.map((record) => record.properties)).toEqual([null]);
    expect(read.withheld).toEqual([{ field: 'properties', reason: 'erased' }]);
  });
});
