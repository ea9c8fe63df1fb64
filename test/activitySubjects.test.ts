import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pseudonymsOfSubject, auditTrailForSubject, listAuditEntries, recordRestriction, type AuditEntry, type PurposeContext } from '../src/kernel/index.ts';
import { grantTestDefaults } from './support/contactPolicy.ts';
import { createTestApp, withheldCodes, type TestApp, type TestWorkspace } from './support/testApp.ts';

/*
 * An activity's text is about the people it is linked to: its reads are audited under
 * those people's pseudonyms, and their subject rules decide what a purpose may see.
 */

let t: TestApp;
let workspace: TestWorkspace;
let free: string;
let restricted: string;

type Activity = { id: string; subject?: string; body?: string; links: { contactIds: string[] }; version: number };

const get = (url: string) => t.request(workspace.keys.sales, { method: 'GET', url, purpose: 'sales' });

async function contact(name: string): Promise<string> {
  const created = await t.request(workspace.keys.admin, { method: 'POST', url: '/api/v1/contacts', payload: { firstName: name }, purpose: 'sales' });
  expect(created.statusCode).toBe(201);
  return created.json().data.id;
}

async function activity(subject: string, contactIds: string[]): Promise<Activity> {
  const created = await t.request(workspace.keys.sales, {
    method: 'POST',
    url: '/api/v1/activities',
    payload: { type: 'note', subject, body: `${subject} body`, links: { contactIds } },
    purpose: 'sales',
  });
  expect(created.statusCode).toBe(201);
  return created.json().data;
}

async function pseudonym(subjectId: string): Promise<string> {
  const found = await pseudonymsOfSubject(t.database.db, workspace.id, subjectId);
  if (!found) throw new Error(`no audit pseudonym for ${subjectId}`);
  return found.pseudonym;
}

async function entriesDuring(work: () => Promise<unknown>): Promise<AuditEntry[]> {
  const [last] = (await listAuditEntries(t.database.db, workspace.id, { limit: 100_000 })).slice(-1);
  await work();
  return listAuditEntries(t.database.db, workspace.id, { after: last?.sequence ?? 0, limit: 1000 });
}

let onlyRestricted: Activity;
let shared: Activity;

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
  await grantTestDefaults(t, workspace.id);
  free = await contact('Free');
  restricted = await contact('Restricted');
  onlyRestricted = await activity('About the restricted one', [restricted]);
  shared = await activity('About both', [free, restricted]);
  const rights: PurposeContext = {
    tenantId: workspace.id,
    actor: { type: 'api_key', id: 'rights-desk', role: 'privacy_officer', createdBy: null },
    purpose: 'legal_compliance',
  };
  await recordRestriction(t.database.db, rights, restricted);
});
afterAll(() => t.close());

describe('activity reads', () => {
  it("are audited under the linked people's pseudonyms, not the activity's id", async () => {
    const open = await activity('Audited read', [free]);
    const entries = await entriesDuring(() => get(`/api/v1/activities/${open.id}`));
    const reads = entries.filter((entry) => entry.action === 'activity.read');
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatchObject({
      object: 'activity',
      recordIds: [open.id],
      subjectPseudonyms: [await pseudonym(free)],
      fields: ['body', 'subject'],
      decision: 'allow',
    });
    expect((await auditTrailForSubject(t.database.db, workspace.id, { subjectId: open.id })).map((entry) => entry.action)).not.toContain('activity.read');
  });

  it('withhold the text of an activity linked only to people the purpose may not process, naming the reason', async () => {
    const response = await get(`/api/v1/activities/${onlyRestricted.id}`);
    expect(response.statusCode).toBe(200);
    const { data } = response.json();
    const withheld = withheldCodes(response.json());
    expect(data).not.toHaveProperty('subject');
    expect(data).not.toHaveProperty('body');
    expect(data.links.contactIds).toEqual([]);
    expect(withheld).toEqual(
      expect.arrayContaining([
        { field: 'subject', reason: 'restricted' },
        { field: 'body', reason: 'restricted' },
        { field: 'links.contactIds', reason: 'restricted' },
      ]),
    );
    expect(response.body).not.toContain('About the restricted one');
  });

  it('show the text of an activity that also names a person the purpose may process, without revealing the other', async () => {
    const response = await get(`/api/v1/activities/${shared.id}`);
    const { data } = response.json();
    const withheld = withheldCodes(response.json());
    expect(data).toMatchObject({ subject: 'About both', links: { contactIds: [free] } });
    expect(withheld).toEqual([{ field: 'links.contactIds', reason: 'restricted' }]);
  });

  it('in a list are audited once under every linked person, and a filter by a restricted person finds nothing', async () => {
    let list!: Awaited<ReturnType<typeof get>>;
    const entries = await entriesDuring(async () => {
      list = await get('/api/v1/activities');
    });
    const reads = entries.filter((entry) => entry.action === 'activity.read');
    expect(reads).toHaveLength(1);
    expect(reads[0].subjectPseudonyms).toEqual([await pseudonym(free), await pseudonym(restricted)].sort());
    const byId = new Map((list.json().data as Activity[]).map((row) => [row.id, row]));
    expect(byId.get(onlyRestricted.id)).not.toHaveProperty('subject');
    expect(byId.get(shared.id)?.subject).toBe('About both');
    const filtered = await get(`/api/v1/activities?contactId=${restricted}`);
    expect(filtered.json()).toMatchObject({ data: [], withheld: [{ field: 'contactId', reason: 'restricted' }] });
  });
});
