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
import { listAuditEntries } from '../src/kernel/audit.ts';
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
import { defaultPurposes } from '../src/privacy/defaultPurposes.ts';
import { consentEventsArbitrary } from './support/consentLedger.ts';
import { subjectState } from './support/contactPolicy.ts';
import { createTestApp, type TestApp } from './support/testApp.ts';

/*
 * The policy as the kernel applies it to lists and reads, set-wise: a handful of statements
 * for 10,000 contacts, and exactly the subjects, fields and reasons the per-row decision
 * (the oracle) gives, on generated workspaces.
 */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const past = new Date(Date.now() - 60 * 60_000);

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
        subjectState(row.id, {
          consents: index % 2 === 1 ? [{ purposeKey: 'email_marketing', state: 'given', recordedAt: past, expiresAt: null }] : [],
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
    consents: consentEventsArbitrary(purposeKeys, offset.map(at), 3),
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
