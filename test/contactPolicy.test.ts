import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../src/kernel/accessContext.ts';
import { auditTrailForSubject, listAuditEntries, type AuditEntry } from '../src/kernel/audit.ts';
import { insertSubjectStates } from '../src/kernel/policy/index.ts';
import { recordErasure, recordObjection, recordRestriction } from '../src/kernel/index.ts';
import { grantTestDefaults, subjectState } from './support/contactPolicy.ts';
import { createTestApp, errorFields, withheldCodes, type TestApp, type TestWorkspace } from './support/testApp.ts';

/*
 * The policy as a client meets it through the contact routes: default deny by role, the
 * subject rules filtering lists and emptying single reads, fields limited to the purpose's
 * declarations and listed in `withheld`, and one audit entry per read that finds the
 * subject by its pseudonym and holds no value.
 */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

type Contact = { id: string } & Record<string, unknown>;
const values = (index: number) => ({
  firstName: `Policyperson${index}`,
  lastName: `Fieldtester${index}`,
  email: `policy.person${index}@example.org`,
  phone: `+4930123456${index}`,
  jobTitle: `Keeper${index}`,
  city: `Townsville${index}`,
  country: 'DE',
});
const personalNames = ['firstName', 'lastName', 'email', 'phone', 'jobTitle', 'city', 'country'];

async function workspaceWithContacts(count: number): Promise<{ workspace: TestWorkspace; contacts: Contact[] }> {
  const workspace = await t.createWorkspace();
  await grantTestDefaults(t, workspace.id);
  const contacts: Contact[] = [];
  for (let index = 0; index < count; index += 1) {
    const created = await t.request(workspace.keys.admin, { method: 'POST', url: '/api/v1/contacts', payload: values(index), purpose: 'sales' });
    expect(created.statusCode).toBe(201);
    contacts.push(created.json().data);
  }
  return { workspace, contacts };
}

const past = new Date(Date.now() - 60 * 60_000);
const listIds = (response: { json(): { data: Contact[] } }) =>
  response
    .json()
    .data.map((row) => row.id)
    .sort();

describe('contact policy through the API', () => {
  it('refuses a role the workspace does not grant the purpose with 403', async () => {
    const { workspace } = await workspaceWithContacts(1);
    const response = await t.request(workspace.keys.analyst, { method: 'GET', url: '/api/v1/contacts', purpose: 'sales' });
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('purpose_not_granted');
    const single = await t.request(workspace.keys.analyst, {
      method: 'POST',
      url: '/api/v1/contacts/search',
      payload: { name: 'policyperson' },
      purpose: 'sales',
    });
    expect(single.statusCode).toBe(403);
  });

  it('leaves restricted, objected and erased subjects out of lists, and opens none of their fields when read one by one', async () => {
    const { workspace, contacts } = await workspaceWithContacts(4);
    const [restricted, objected, erased, free] = contacts;
    const rights = systemContext(workspace.id, 'rights-desk', 'legal_compliance');
    await recordRestriction(t.database.db, rights, restricted.id);
    // sales rests on legitimate interests, so an objection to it applies (Art. 21(1)).
    await recordObjection(t.database.db, rights, objected.id, { purposeKey: 'sales' });
    await recordErasure(t.database.db, rights, erased.id);
    const list = await t.request(workspace.keys.sales, { method: 'GET', url: '/api/v1/contacts', purpose: 'sales' });
    expect(list.statusCode).toBe(200);
    expect(listIds(list)).toEqual([free.id]);
    expect(list.json().withheld).toEqual([]);

    for (const [contact, reason] of [
      [restricted, 'restricted'],
      [objected, 'objected'],
      [erased, 'erased'],
    ] as const) {
      const read = await t.request(workspace.keys.sales, { method: 'GET', url: `/api/v1/contacts/${contact.id}`, purpose: 'sales' });
      expect(read.statusCode).toBe(200);
      const { data } = read.json();
      const withheld = withheldCodes(read.json());
      expect(data.id).toBe(contact.id);
      for (const name of personalNames) expect(data).not.toHaveProperty(name);
      expect(data.customFields).toEqual({});
      expect(withheld).toEqual([...personalNames, 'externalId'].map((field) => ({ field, reason })));
    }
    // Search applies the same row filter: the restricted subject's exact address finds nothing.
    const search = await t.request(workspace.keys.sales, {
      method: 'POST',
      url: '/api/v1/contacts/search',
      payload: { email: restricted.email },
      purpose: 'sales',
    });
    expect(search.json().data).toEqual([]);
    const freeSearch = await t.request(workspace.keys.sales, {
      method: 'POST',
      url: '/api/v1/contacts/search',
      payload: { email: free.email },
      purpose: 'sales',
    });
    expect(listIds(freeSearch)).toEqual([free.id]);
    // The objection names sales only: support (a contract purpose) still reads the subject.
    const support = await t.request(workspace.keys.support, { method: 'GET', url: `/api/v1/contacts/${objected.id}`, purpose: 'support' });
    expect(support.json().data.email).toBe(objected.email);
  });

  it('drops restricted subjects from a name search before decrypting their names, and still fills the page', async () => {
    const { workspace, contacts } = await workspaceWithContacts(3);
    // Ids are time-ordered: the first candidate by id is the restricted one.
    const [restricted, ...others] = [...contacts].sort((a, b) => (a.id < b.id ? -1 : 1));
    await recordRestriction(t.database.db, systemContext(workspace.id, 'rights-desk', 'legal_compliance'), restricted.id);
    // Break the restricted subject's sealed names: decrypting them now fails with integrity_error,
    // so a 200 shows they were never opened.
    await t.database.query(
      "update contacts set personal = jsonb_set(jsonb_set(personal, '{first_name}', personal->'last_name'), '{last_name}', personal->'first_name') where tenant_id = $1 and id = $2",
      [workspace.id, restricted.id],
    );
    const search = await t.request(workspace.keys.sales, {
      method: 'POST',
      url: '/api/v1/contacts/search',
      payload: { name: 'policyperson', limit: 1 },
      purpose: 'sales',
    });
    expect(search.statusCode).toBe(200);
    expect(listIds(search)).toEqual([others[0].id]);
    const next = await t.request(workspace.keys.sales, {
      method: 'POST',
      url: '/api/v1/contacts/search',
      payload: { name: 'policyperson', limit: 1, cursor: search.json().nextCursor },
      purpose: 'sales',
    });
    expect(listIds(next)).toEqual([others[1].id]);
  });

  it('lists for a consent purpose only the subjects whose consent is live, with the fields declared for it', async () => {
    const { workspace, contacts } = await workspaceWithContacts(3);
    const [consented, withdrawn, silent] = contacts;
    await insertSubjectStates(t.database.db, workspace.id, [
      subjectState(consented.id, { consents: [{ purposeKey: 'email_marketing', state: 'given', recordedAt: past, expiresAt: null }] }),
      subjectState(withdrawn.id, {
        consents: [
          { purposeKey: 'email_marketing', state: 'given', recordedAt: past, expiresAt: null },
          { purposeKey: 'email_marketing', state: 'withdrawn', recordedAt: new Date(Date.now() - 60_000), expiresAt: null },
        ],
      }),
    ]);
    const list = await t.request(workspace.keys.marketing, { method: 'GET', url: '/api/v1/contacts', purpose: 'email_marketing' });
    expect(list.statusCode).toBe(200);
    expect(listIds(list)).toEqual([consented.id]);
    const [row] = list.json().data;
    expect(row).toMatchObject({ firstName: consented.firstName, email: consented.email, country: 'DE' });
    expect(row).not.toHaveProperty('phone');
    const read = await t.request(workspace.keys.marketing, { method: 'GET', url: `/api/v1/contacts/${silent.id}`, purpose: 'email_marketing' });
    expect(withheldCodes(read.json())).toContainEqual({ field: 'email', reason: 'no_live_consent' });
    expect(read.json().data).not.toHaveProperty('email');
  });

  it('withholds the phone from a purpose whose declarations exclude it, naming it in withheld', async () => {
    const { workspace, contacts } = await workspaceWithContacts(2);
    const purpose = 'email_marketing_existing_customers';
    const list = await t.request(workspace.keys.marketing, { method: 'GET', url: '/api/v1/contacts', purpose });
    expect(list.statusCode).toBe(200);
    expect(listIds(list)).toEqual(contacts.map((contact) => contact.id).sort());
    for (const row of list.json().data) {
      expect(row).not.toHaveProperty('phone');
      expect(row.email).toBeDefined();
    }
    const withheld = withheldCodes(list.json());
    expect(withheld).toContainEqual({ field: 'phone', reason: 'field_not_declared_for_purpose' });
    expect(withheld.map((entry) => entry.field).sort()).toEqual(['city', 'externalId', 'jobTitle', 'phone']);
    // Nor may the purpose search by phone or write one.
    const search = await t.request(workspace.keys.marketing, {
      method: 'POST',
      url: '/api/v1/contacts/search',
      payload: { phone: contacts[0].phone },
      purpose,
    });
    expect(search.statusCode).toBe(403);
    expect(errorFields(search.json())).toEqual(['phone']);
    const write = await t.request(workspace.keys.marketing, {
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { email: 'new.person@example.org', phone: '+4930999' },
      purpose,
    });
    expect(write.statusCode).toBe(403);
    expect(errorFields(write.json())).toEqual(['phone']);
  });

  it('refuses a value for a field the catalog does not declare with 422 naming it', async () => {
    const { workspace } = await workspaceWithContacts(0);
    const response = await t.request(workspace.keys.admin, {
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { firstName: 'Undeclared', customFields: { shoe_size: '42' } },
      purpose: 'sales',
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().code).toBe('validation_failed');
    expect(errorFields(response.json())).toEqual(['customFields.shoe_size']);
  });

  it("leaves one audit entry per list and per read, found by the subject's pseudonym, holding no personal value", async () => {
    const { workspace, contacts } = await workspaceWithContacts(2);
    const [first] = contacts;
    const entriesNow = async () => listAuditEntries(t.database.db, workspace.id, { limit: 1000 });
    const before = (await entriesNow()).length;
    await t.request(workspace.keys.sales, { method: 'GET', url: '/api/v1/contacts', purpose: 'sales' });
    const afterList = await entriesNow();
    expect(afterList.length).toBe(before + 1);
    await t.request(workspace.keys.sales, { method: 'GET', url: `/api/v1/contacts/${first.id}`, purpose: 'sales' });
    const afterRead = await entriesNow();
    expect(afterRead.length).toBe(before + 2);

    const [listed, read] = afterRead.slice(-2) as [AuditEntry, AuditEntry];
    expect(listed).toMatchObject({ action: 'contact.listed', purpose: 'sales', decision: 'allow', object: 'contact' });
    expect(listed.subjectPseudonyms).toHaveLength(2);
    expect(read).toMatchObject({ action: 'contact.read', purpose: 'sales', decision: 'allow' });
    expect(read.fields).toEqual(['first_name', 'last_name', 'email', 'phone', 'job_title', 'city', 'country', 'external_id']);
    const trail = await auditTrailForSubject(t.database.db, workspace.id, { subjectId: first.id });
    expect(trail.map((entry) => entry.sequence)).toEqual(expect.arrayContaining([listed.sequence, read.sequence]));
    const text = JSON.stringify(afterRead);
    for (const value of Object.values(values(0))) if (value !== 'DE') expect(text).not.toContain(value);
    expect(text).not.toContain(first.id);
  });
});
