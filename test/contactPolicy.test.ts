import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/node-postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roles } from '../src/shared/roles.ts';
import { createWorkspace } from '../src/accounts/workspaces.ts';
import type { AppDatabase } from '../src/db/connection.ts';
import { newId } from '../src/db/ids.ts';
import * as schema from '../src/db/schema/index.ts';
import { systemContext, type PurposeContext } from '../src/kernel/accessContext.ts';
import { auditTrailForSubject, listAuditEntries, type AuditEntry } from '../src/kernel/audit.ts';
import { declaredFields, workspaceCatalog } from '../src/kernel/catalog/index.ts';
import { listPermittedContacts, readPermittedContact } from '../src/kernel/contactAccess.ts';
import { insertContacts, type NewContact } from '../src/kernel/contactRecords.ts';
import {
  decide,
  fieldReasons,
  insertRoleGrants,
  insertSubjectStates,
  legalBases,
  type DenyReason,
  type PolicyPurpose,
  type SubjectState,
} from '../src/kernel/policy/index.ts';
import { recordErasure, recordObjection, recordRestriction } from '../src/kernel/index.ts';
import { defaultPurposes } from '../src/privacy/defaultPurposes.ts';
import { grantTestDefaults } from './support/contactPolicy.ts';
import { createTestApp, errorFields, type TestApp, type TestWorkspace } from './support/testApp.ts';

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

const state = (subjectId: string, facts: Partial<SubjectState>): SubjectState => ({
  subjectId,
  consents: [],
  objections: [],
  restrictions: [],
  erasures: [],
  ...facts,
});
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
      const { data, withheld } = read.json();
      expect(data.id).toBe(contact.id);
      for (const name of personalNames) expect(data).not.toHaveProperty(name);
      expect(data.customFields).toEqual({});
      expect(withheld).toEqual([...personalNames, 'customFields.external_id'].map((field) => ({ field, reason })));
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
      state(consented.id, { consents: [{ purposeKey: 'email_marketing', givenAt: past, withdrawnAt: null, expiresAt: null }] }),
      state(withdrawn.id, { consents: [{ purposeKey: 'email_marketing', givenAt: past, withdrawnAt: new Date(Date.now() - 60_000), expiresAt: null }] }),
    ]);
    const list = await t.request(workspace.keys.marketing, { method: 'GET', url: '/api/v1/contacts', purpose: 'email_marketing' });
    expect(list.statusCode).toBe(200);
    expect(listIds(list)).toEqual([consented.id]);
    const [row] = list.json().data;
    expect(row).toMatchObject({ firstName: consented.firstName, email: consented.email, country: 'DE' });
    expect(row).not.toHaveProperty('phone');
    const read = await t.request(workspace.keys.marketing, { method: 'GET', url: `/api/v1/contacts/${silent.id}`, purpose: 'email_marketing' });
    expect(read.json().withheld).toContainEqual({ field: 'email', reason: 'no_live_consent' });
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
    const withheld = list.json().withheld as Array<{ field: string; reason: string }>;
    expect(withheld).toContainEqual({ field: 'phone', reason: 'field_not_declared_for_purpose' });
    expect(withheld.map((entry) => entry.field).sort()).toEqual(['city', 'customFields.external_id', 'jobTitle', 'phone']);
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

const storedValues = (index: number) => ({
  first_name: `Oracle${index}`,
  last_name: `Person${index}`,
  email: `oracle${index}@example.org`,
  phone: `+4930555${index}`,
  job_title: 'Tester',
  city: 'Oraclecity',
  country: 'FR',
  external_id: `crm-${index}`,
});
const newContact = (index: number): NewContact => ({
  id: newId(),
  ownerId: null,
  companyId: null,
  lifecycleStage: 'lead',
  source: 'import',
  personal: storedValues(index),
});

async function bareWorkspace(): Promise<string> {
  return (await createWorkspace(t.database.db, { slug: `policy-${newId().slice(-12)}`, name: 'Policy oracle' })).id;
}

describe('contact policy: set-wise cost', () => {
  /** A second drizzle instance over the same client that counts every statement it sends. */
  function countingDb(): { db: AppDatabase; statements: () => number } {
    let statements = 0;
    const logger = {
      logQuery: () => {
        statements += 1;
      },
    };
    const db = t.database.pglite
      ? (drizzlePglite(t.database.pglite, { schema, logger }) as unknown as AppDatabase)
      : (drizzlePostgres(t.database.pool!, { schema, logger }) as unknown as AppDatabase);
    return { db, statements: () => statements };
  }

  it('lists the permitted fields of 10,000 contacts for one purpose in a handful of statements', async () => {
    const tenantId = await bareWorkspace();
    const rows = Array.from({ length: 10_000 }, (_, index) => newContact(index));
    await t.database.db.transaction((tx) => insertContacts(tx, systemContext(tenantId, 'test', 'sales'), rows));
    // Every second contact consented to email_marketing; every tenth of all objected to direct marketing.
    await insertSubjectStates(
      t.database.db,
      tenantId,
      rows.map((row, index) =>
        state(row.id, {
          consents: index % 2 === 1 ? [{ purposeKey: 'email_marketing', givenAt: past, withdrawnAt: null, expiresAt: null }] : [],
          objections: index % 10 === 9 ? [{ purposeKey: null, objectedAt: past }] : [],
        }),
      ),
    );
    await insertRoleGrants(t.database.db, tenantId, [{ role: 'marketing', purposeKey: 'email_marketing' }]);
    const ctx: PurposeContext = { tenantId, actor: { type: 'user', id: newId(), role: 'marketing' }, purpose: 'email_marketing' };
    const counting = countingDb();
    const page = await listPermittedContacts(counting.db, ctx, { limit: 10_000 });
    expect(page.rows).toHaveLength(4_000);
    expect(Object.keys(page.rows[0].personal).sort()).toEqual(['country', 'email', 'first_name', 'last_name']);
    // grant, catalog, BEGIN, the filtered SELECT, its keys, the keys again for the subjects'
    // audit pseudonyms (one fetch for all 4,000), chain head, entry + subjects, COMMIT.
    expect(counting.statements()).toBeLessThanOrEqual(11);
    const [entry] = (await listAuditEntries(t.database.db, tenantId, { limit: 1000 })).filter((e) => e.action === 'contact.listed');
    expect(entry.subjectPseudonyms).toHaveLength(4_000);
  }, 120_000);
});

describe('contact policy: the kernel path agrees with the per-row oracle', () => {
  const base = Date.now();
  // Facts at least ten minutes from now, so the moment of the call cannot change a decision.
  const at = (minutes: number) => new Date(base + minutes * 60_000);
  const offset = fc.constantFrom(-20, -10, 10, 20);
  const maybeTime = fc.option(offset.map(at), { nil: null });
  const purposeKeys = defaultPurposes.map((purpose) => purpose.key);
  const dataUses = ['sales', 'marketing.communications.email', 'analytics.reporting', 'essential.service.payment_processing', 'essential.legal_obligation'];
  const subjectFacts = fc.record({
    consents: fc.uniqueArray(
      fc.record({ purposeKey: fc.constantFrom(...purposeKeys), givenAt: offset.map(at), withdrawnAt: maybeTime, expiresAt: maybeTime }),
      { maxLength: 2, selector: (consent) => `${consent.purposeKey}:${consent.givenAt.getTime()}` },
    ),
    objections: fc.array(fc.record({ purposeKey: fc.option(fc.constantFrom(...purposeKeys), { nil: null }), objectedAt: offset.map(at) }), { maxLength: 2 }),
    restrictions: fc.uniqueArray(fc.record({ restrictedAt: offset.map(at), liftedAt: maybeTime }), { maxLength: 1, selector: (r) => r.restrictedAt.getTime() }),
    erasures: fc.array(fc.record({ erasedAt: offset.map(at) }), { maxLength: 1 }),
  });
  const scenario = fc.record({
    purposeKey: fc.constantFrom(...purposeKeys),
    legalBasis: fc.constantFrom(...legalBases),
    dataUse: fc.constantFrom(...dataUses),
    role: fc.constantFrom(...roles),
    granted: fc.integer({ min: 0, max: 3 }).map((n) => n > 0),
    subjects: fc.array(subjectFacts, { maxLength: 6 }),
  });

  it('returns exactly the subjects and fields the oracle allows, withholds the rest with its reasons, and audits every call', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (run) => {
        const tenantId = await bareWorkspace();
        const purpose: PolicyPurpose = { key: run.purposeKey, legalBasis: run.legalBasis, dataUse: run.dataUse };
        await t.database.db.execute(
          sql`update purposes set legal_basis = ${purpose.legalBasis}, data_use = ${purpose.dataUse} where tenant_id = ${tenantId}::uuid and key = ${purpose.key}`,
        );
        await t.database.db.execute(sql`delete from role_purpose_grants where tenant_id = ${tenantId}::uuid and role = ${run.role}`);
        if (run.granted) await insertRoleGrants(t.database.db, tenantId, [{ role: run.role, purposeKey: purpose.key }]);
        const contacts = run.subjects.map((_, index) => newContact(index));
        if (contacts.length > 0) await t.database.db.transaction((tx) => insertContacts(tx, systemContext(tenantId, 'test', 'sales'), contacts));
        const states = run.subjects.map((facts, index) => ({ subjectId: contacts[index].id, ...facts }));
        await insertSubjectStates(t.database.db, tenantId, states);

        const catalog = await workspaceCatalog(t.database.db, tenantId);
        const fields = declaredFields(catalog, 'contact').map((declaration) => declaration.field);
        const actor = { role: run.role, grantedPurposes: new Set(run.granted ? [purpose.key] : []) };
        const verdict = (subject: SubjectState, field: string) => decide(actor, purpose, subject, { catalog, object: 'contact', field }, new Date());
        const allowed = states.flatMap((subject) => fields.filter((field) => verdict(subject, field).allow).map((field) => `${subject.subjectId}:${field}`));
        const ctx: PurposeContext = { tenantId, actor: { type: 'user', id: newId(), role: run.role }, purpose: purpose.key };
        const entriesBefore = (await listAuditEntries(t.database.db, tenantId, { limit: 1000 })).length;

        if (!run.granted) {
          await expect(listPermittedContacts(t.database.db, ctx, { limit: 100 })).rejects.toMatchObject({ code: 'purpose_not_granted' });
          expect(allowed).toEqual([]);
          const entries = await listAuditEntries(t.database.db, tenantId, { limit: 1000 });
          expect(entries.slice(entriesBefore).map((entry) => [entry.action, entry.decision])).toEqual([['contact.listed', 'deny']]);
          return;
        }
        const page = await listPermittedContacts(t.database.db, ctx, { limit: 100 });
        const returned = page.rows.flatMap((row) => Object.keys(row.personal).map((field) => `${row.id}:${field}`));
        expect(returned.sort()).toEqual([...allowed].sort());
        const expectedSubjects = states.filter(
          (subject) =>
            fields.some((field) => verdict(subject, field).allow) ||
            fields.every((field) => verdict(subject, field).reasons.every((reason) => (fieldReasons as readonly DenyReason[]).includes(reason))),
        );
        expect(page.rows.map((row) => row.id).sort()).toEqual(expectedSubjects.map((subject) => subject.subjectId).sort());

        // Each single read: its fields are the oracle's, and each withheld field carries the oracle's reasons.
        for (const subject of states) {
          const read = await readPermittedContact(t.database.db, ctx, subject.subjectId);
          expect(Object.keys(read!.record.personal).sort()).toEqual(fields.filter((field) => verdict(subject, field).allow).sort());
          const expectedWithheld = fields.flatMap((field) => {
            const reasons = verdict(subject, field).reasons;
            const fieldLevel = reasons.filter((reason) => (fieldReasons as readonly DenyReason[]).includes(reason));
            return (fieldLevel.length > 0 ? fieldLevel : reasons).map((reason) => `${field}:${reason}`);
          });
          expect(read!.withheld.map((entry) => `${entry.field}:${entry.reason}`).sort()).toEqual(expectedWithheld.sort());
        }
        const entries = (await listAuditEntries(t.database.db, tenantId, { limit: 1000 })).slice(entriesBefore);
        expect(entries.map((entry) => entry.action)).toEqual(['contact.listed', ...states.map(() => 'contact.read')]);
        expect(entries[0].subjectPseudonyms).toHaveLength(page.rows.length);
      }),
      { numRuns: 40 },
    );
  }, 300_000);
});
