import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../src/db/ids.ts';
import { ensureTestKernel } from '../src/kernel/runtime.ts';
import { roles, type Role } from '../src/shared/roles.ts';
import type { PurposeContext } from '../src/kernel/accessContext.ts';
import { validateCatalog, type FieldDeclaration } from '../src/kernel/catalog/index.ts';
import { contactPolicy, listPermittedContacts, type ContactPolicy } from '../src/kernel/contactAccess.ts';
import {
  decide,
  fieldReasons,
  insertRoleGrants,
  insertSubjectStates,
  legalBases,
  permittedFields,
  subjectDenyReasons,
  ledgerConsentStore,
  type DenyReason,
  type PolicyPurpose,
  type SubjectState,
} from '../src/kernel/policy/index.ts';
import { consentEventsArbitrary } from './support/consentLedger.ts';
import { openTestDatabase, type TestDatabase } from './support/testDatabase.ts';

let database: TestDatabase;
beforeAll(async () => {
  // The production read path audits each call, pseudonymising its subjects with the kernel's keys.
  ensureTestKernel();
  database = await openTestDatabase();
});
afterAll(() => database.close());

const now = new Date('2026-06-01T12:00:00.000Z');
const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
// dsr_fulfilment is in the pool: on the legal_obligation basis it opens every declared field
// and reads past restriction and objection, never past erasure; on any other basis it is an
// ordinary purpose that happens to bear the name.
const purposePool = ['p0', 'p1', 'p2', 'dsr_fulfilment'];
const dataUses = [
  'sales',
  'marketing',
  'marketing.communications.email',
  'analytics.reporting',
  'essential.service.payment_processing',
  'essential.legal_obligation',
];
const fieldPool = ['f0', 'f1', 'f2', 'f3'];

async function createTenant(): Promise<string> {
  const tenantId = newId();
  await database.db.execute(sql`insert into workspaces (id, slug, name) values (${tenantId}, ${`policy-${tenantId}`}, 'Policy')`);
  return tenantId;
}

async function insertPurposes(tenantId: string, purposes: PolicyPurpose[]) {
  for (const purpose of purposes) {
    await database.db.execute(sql`
      insert into purposes (tenant_id, key, description, legal_basis, data_use)
      values (${tenantId}, ${purpose.key}, 'test purpose', ${purpose.legalBasis}, ${purpose.dataUse})`);
  }
}

async function insertContacts(tenantId: string, ids: string[]) {
  if (ids.length === 0) return;
  await database.db.execute(sql`
    insert into contacts (tenant_id, id, source) select ${tenantId}::uuid, id, 'test' from unnest(${sql.param(ids)}::uuid[]) as u(id)`);
}

const offset = fc.integer({ min: -2, max: 2 });
const maybeTime = fc.option(offset.map(at), { nil: null });
const subjectStateArbitrary = fc.record({
  consents: consentEventsArbitrary(purposePool, offset.map(at), 4),
  objections: fc.array(fc.record({ purposeKey: fc.option(fc.constantFrom(...purposePool), { nil: null }), objectedAt: offset.map(at) }), { maxLength: 2 }),
  restrictions: fc.uniqueArray(fc.record({ restrictedAt: offset.map(at), liftedAt: maybeTime }), { maxLength: 2, selector: (r) => r.restrictedAt.getTime() }),
  erasures: fc.array(fc.record({ erasedAt: offset.map(at) }), { maxLength: 1 }),
});

// Biased towards reads that get past the field rules, so the subject rules are exercised.
const mostly = fc.integer({ min: 0, max: 3 }).map((n) => n > 0);
const scenarioArbitrary = fc.record({
  purposes: fc.uniqueArray(
    fc
      .record({ key: fc.constantFrom(...purposePool), legalBasis: fc.constantFrom(...legalBases), dataUse: fc.constantFrom(...dataUses), dsrBasis: mostly })
      // Mostly the real dsr_fulfilment (a legal obligation), so its overrides are exercised.
      .map(({ dsrBasis, ...purpose }) => (purpose.key === 'dsr_fulfilment' && dsrBasis ? { ...purpose, legalBasis: 'legal_obligation' as const } : purpose)),
    { minLength: 1, maxLength: 4, selector: (purpose) => purpose.key },
  ),
  fields: fc.uniqueArray(fc.record({ field: fc.constantFrom(...fieldPool), purposes: fc.subarray(purposePool), forActingPurpose: mostly }), {
    minLength: 1,
    maxLength: 4,
    selector: (field) => field.field,
  }),
  role: fc.constantFrom(...roles),
  actingRoleGranted: mostly,
  grants: fc.array(fc.record({ role: fc.constantFrom(...roles), purposeIndex: fc.nat() }), { maxLength: 8 }),
  purposeIndex: fc.nat(),
  subjects: fc.array(subjectStateArbitrary, { maxLength: 8 }),
  scope: fc.constantFrom('all', 'some'),
});

type Pair = string;
/** What the per-row oracle says a read of these subjects should return. */
function oracle(scenario: { role: Role; granted: Set<string>; purpose: PolicyPurpose; states: SubjectState[]; declarations: FieldDeclaration[] }) {
  const catalog = validateCatalog(scenario.declarations);
  const actor = { role: scenario.role, grantedPurposes: scenario.granted };
  const allowed = new Set<Pair>();
  const fieldWithheld = new Set<string>();
  // Field rules hold whoever the subject is: the page names them even when it is empty.
  const anyone: SubjectState = { subjectId: newId(), consents: [], objections: [], restrictions: [], erasures: [] };
  for (const state of [anyone, ...scenario.states]) {
    for (const declaration of scenario.declarations) {
      const decision = decide(actor, scenario.purpose, state, { catalog, object: 'contact', field: declaration.field }, now);
      if (decision.allow && state !== anyone) allowed.add(`${state.subjectId}:${declaration.field}`);
      for (const reason of decision.reasons) if ((fieldReasons as readonly DenyReason[]).includes(reason)) fieldWithheld.add(`${declaration.field}:${reason}`);
    }
  }
  const subjects = scenario.states
    .filter((state) => scenario.granted.has(scenario.purpose.key) && subjectDenyReasons(scenario.purpose, state, now).length === 0)
    .map((state) => state.subjectId)
    .sort();
  return { allowed, fieldWithheld, subjects };
}

/**
 * The decision production takes for a contact read (contactPolicy: the grant, refusing 403
 * without it), with the scenario's catalog and moment put in its place so the oracle can be
 * asked about the same ones. The column filter is the same permittedFields production runs.
 */
async function scenarioPolicy(ctx: PurposeContext, declarations: FieldDeclaration[]): Promise<ContactPolicy> {
  const granted = await contactPolicy(database.db, ctx, 'contact.listed');
  const catalog = validateCatalog(declarations);
  const columns = permittedFields(catalog, 'contact', { grantedPurposes: new Set([granted.purpose.key]) }, granted.purpose);
  const withheld = columns.withheld.flatMap((entry) => entry.reasons.map((reason) => ({ field: entry.field, reason })));
  return { ...granted, catalog, allowed: columns.allowed, withheld, now };
}

describe('policy: the read path production uses agrees with the per-row oracle', () => {
  it('returns exactly the subjects and fields the oracle allows, withholds the rest with its reasons, and refuses an ungranted role', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArbitrary, async (scenario) => {
        const tenantId = await createTenant();
        const purposes: PolicyPurpose[] = scenario.purposes;
        const purpose = purposes[scenario.purposeIndex % purposes.length]!;
        const grants = scenario.grants.map((grant) => ({ role: grant.role, purposeKey: purposes[grant.purposeIndex % purposes.length]!.key }));
        if (scenario.actingRoleGranted) grants.push({ role: scenario.role, purposeKey: purpose.key });
        const declarations: FieldDeclaration[] = scenario.fields.map((field) => ({
          object: 'contact',
          field: field.field,
          dataCategory: 'user.contact.email',
          subject: 'contact',
          sensitivity: 'ordinary',
          purposes: [...new Set([...field.purposes, ...(field.forActingPurpose ? [purpose.key] : [])])],
          encrypted: true,
          lookup: false,
          search: false,
        }));
        const states: SubjectState[] = scenario.subjects.map((facts) => ({ subjectId: newId(), ...facts }));
        await insertPurposes(tenantId, purposes);
        await insertRoleGrants(database.db, tenantId, grants);
        await insertContacts(
          tenantId,
          states.map((state) => state.subjectId),
        );
        await insertSubjectStates(database.db, tenantId, states);

        // Asking for some subjects also names one that is not in this workspace.
        const asked = scenario.scope === 'all' ? states : states.filter((_, index) => index % 2 === 0);
        const where = scenario.scope === 'all' ? {} : { ids: [...asked.map((state) => state.subjectId), newId()] };
        const ctx: PurposeContext = { tenantId, actor: { type: 'user', id: newId(), role: scenario.role }, purpose: purpose.key };
        const granted = new Set(grants.filter((grant) => grant.role === scenario.role).map((grant) => grant.purposeKey));
        const expected = oracle({ role: scenario.role, granted, purpose, states: asked, declarations });

        if (!granted.has(purpose.key)) {
          await expect(scenarioPolicy(ctx, declarations)).rejects.toMatchObject({ code: 'purpose_not_granted' });
          expect(expected.allowed.size).toBe(0);
          return;
        }
        const policy = await scenarioPolicy(ctx, declarations);
        const page = await listPermittedContacts(database.db, ctx, { where, limit: 100 }, { policy });
        const ids = page.rows.map((row) => row.id).sort();
        const returned = new Set(ids.flatMap((id) => policy.allowed.map((field) => `${id}:${field}`)));
        expect([...returned].sort()).toEqual([...expected.allowed].sort());
        expect(ids).toEqual(expected.subjects);
        expect(new Set(page.withheld.map((entry) => `${entry.field}:${entry.reason}`))).toEqual(expected.fieldWithheld);
      }),
      { numRuns: 100 },
    );
  });
});

describe('policy: refusals and the consent store', () => {
  it('refuses a read for a purpose the workspace lacks', async () => {
    const tenantId = await createTenant();
    const ctx: PurposeContext = { tenantId, actor: { type: 'user', id: newId(), role: 'admin' }, purpose: 'telepathy' };
    await expect(listPermittedContacts(database.db, ctx, {})).rejects.toMatchObject({ code: 'unknown_purpose' });
  });

  it('answers isLive from the consent ledger, per workspace', async () => {
    const tenantId = await createTenant();
    const otherTenantId = await createTenant();
    const subjectId = newId();
    await insertSubjectStates(database.db, tenantId, [
      {
        subjectId,
        consents: [
          { purposeKey: 'p0', state: 'given', recordedAt: at(-5), expiresAt: null },
          { purposeKey: 'p0', state: 'withdrawn', recordedAt: at(5), expiresAt: null },
        ],
        objections: [],
        restrictions: [],
        erasures: [],
      },
    ]);
    expect(await ledgerConsentStore.isLive(database.db, tenantId, subjectId, 'p0', now)).toBe(true);
    expect(await ledgerConsentStore.isLive(database.db, tenantId, subjectId, 'p0', at(5))).toBe(false);
    expect(await ledgerConsentStore.isLive(database.db, tenantId, subjectId, 'p1', now)).toBe(false);
    expect(await ledgerConsentStore.isLive(database.db, otherTenantId, subjectId, 'p0', now)).toBe(false);
  });
});
