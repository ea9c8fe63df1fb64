import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/node-postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDatabase } from '../src/db/connection.ts';
import * as schema from '../src/db/schema/index.ts';
import { newId } from '../src/db/ids.ts';
import { roles, type Role } from '../src/accounts/roles.ts';
import type { AccessContext } from '../src/kernel/accessContext.ts';
import { validateCatalog, type FieldDeclaration } from '../src/kernel/catalog/index.ts';
import {
  decide,
  fieldReasons,
  insertRoleGrants,
  insertSubjectStates,
  legalBases,
  readPermitted,
  subjectDenyReasons,
  tableConsentStore,
  type DenyReason,
  type PolicyPurpose,
  type SubjectState,
} from '../src/kernel/policy/index.ts';
import { openTestDatabase, type TestDatabase } from './support/testDatabase.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database.close());

const now = new Date('2026-06-01T12:00:00.000Z');
const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
const purposePool = ['p0', 'p1', 'p2', 'p3'];
const dataUses = ['sales', 'marketing', 'marketing.communications.email', 'analytics.reporting', 'essential.service.payment_processing', 'essential.legal_obligation'];
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
  consents: fc.uniqueArray(
    fc.record({ purposeKey: fc.constantFrom(...purposePool), givenAt: offset.map(at), withdrawnAt: maybeTime, expiresAt: maybeTime }),
    { maxLength: 3, selector: (consent) => `${consent.purposeKey}:${consent.givenAt.getTime()}` },
  ),
  objections: fc.array(fc.record({ purposeKey: fc.option(fc.constantFrom(...purposePool), { nil: null }), objectedAt: offset.map(at) }), { maxLength: 2 }),
  restrictions: fc.uniqueArray(fc.record({ restrictedAt: offset.map(at), liftedAt: maybeTime }), { maxLength: 2, selector: (r) => r.restrictedAt.getTime() }),
  erasures: fc.array(fc.record({ erasedAt: offset.map(at) }), { maxLength: 1 }),
});

// Biased towards reads that get past the field rules, so the subject rules are exercised.
const mostly = fc.integer({ min: 0, max: 3 }).map((n) => n > 0);
const scenarioArbitrary = fc.record({
  purposes: fc.uniqueArray(
    fc.record({ key: fc.constantFrom(...purposePool), legalBasis: fc.constantFrom(...legalBases), dataUse: fc.constantFrom(...dataUses) }),
    { minLength: 1, maxLength: 4, selector: (purpose) => purpose.key },
  ),
  fields: fc.uniqueArray(
    fc.record({ field: fc.constantFrom(...fieldPool), purposes: fc.subarray(purposePool), forActingPurpose: mostly }),
    { minLength: 1, maxLength: 4, selector: (field) => field.field },
  ),
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
  const withheld = new Map<string, number>();
  for (const state of scenario.states) {
    for (const declaration of scenario.declarations) {
      const decision = decide(actor, scenario.purpose, state, { catalog, object: 'contact', field: declaration.field }, now);
      if (decision.allow) allowed.add(`${state.subjectId}:${declaration.field}`);
      // Field-level reasons are reported instead of, not besides, the subject's.
      const fieldLevel = decision.reasons.filter((reason) => (fieldReasons as readonly DenyReason[]).includes(reason));
      for (const reason of fieldLevel.length > 0 ? fieldLevel : decision.reasons) {
        const key = `${declaration.field}:${reason}`;
        withheld.set(key, (withheld.get(key) ?? 0) + 1);
      }
    }
  }
  const subjects = scenario.states
    .filter((state) => scenario.granted.has(scenario.purpose.key) && subjectDenyReasons(scenario.purpose, state, now).length === 0)
    .map((state) => state.subjectId)
    .sort();
  return { allowed, withheld, subjects };
}

describe('policy: the set-wise SQL read agrees with the per-row oracle', () => {
  it('returns exactly the (subject, field) pairs the oracle allows, and withholds the rest with its reasons', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArbitrary, async (scenario) => {
        const tenantId = await createTenant();
        const purposes: PolicyPurpose[] = scenario.purposes;
        const purpose = purposes[scenario.purposeIndex % purposes.length]!;
        const grants = scenario.grants.map((grant) => ({ role: grant.role, purposeKey: purposes[grant.purposeIndex % purposes.length]!.key }));
        if (scenario.actingRoleGranted) grants.push({ role: scenario.role, purposeKey: purpose.key });
        const declarations: FieldDeclaration[] = scenario.fields.map((field) => ({
          object: 'contact', field: field.field, dataCategory: 'user.contact.email', subject: 'contact', sensitivity: 'ordinary',
          purposes: [...new Set([...field.purposes, ...(field.forActingPurpose ? [purpose.key] : [])])], encrypted: true, lookup: false, search: false,
        }));
        const states: SubjectState[] = scenario.subjects.map((facts) => ({ subjectId: newId(), ...facts }));
        await insertPurposes(tenantId, purposes);
        await insertRoleGrants(database.db, tenantId, grants);
        await insertContacts(tenantId, states.map((state) => state.subjectId));
        await insertSubjectStates(database.db, tenantId, states);

        // Asking for some subjects also names one that is not in this workspace.
        const asked = scenario.scope === 'all' ? states : states.filter((_, index) => index % 2 === 0);
        const subjects = scenario.scope === 'all' ? ('all' as const) : [...asked.map((state) => state.subjectId), newId()];
        const ctx: AccessContext = { tenantId, actor: { type: 'user', id: newId(), role: scenario.role }, purpose: purpose.key };
        const read = await readPermitted(database.db, ctx, { catalog: validateCatalog(declarations), object: 'contact', subjects, now });

        const granted = new Set(grants.filter((grant) => grant.role === scenario.role).map((grant) => grant.purposeKey));
        const expected = oracle({ role: scenario.role, granted, purpose, states: asked, declarations });
        const returned = new Set(read.subjectIds.flatMap((id) => read.fields.map((field) => `${id}:${field}`)));
        expect([...returned].sort()).toEqual([...expected.allowed].sort());
        expect(read.subjectIds).toEqual(expected.subjects);
        const withheld = new Map(read.withheld.map((entry) => [`${entry.field}:${entry.reason}`, entry.subjects]));
        expect(withheld).toEqual(expected.withheld);
      }),
      { numRuns: 100 },
    );
  });
});

describe('policy: set-wise cost', () => {
  /** A second drizzle instance over the same client that counts every statement it sends. */
  function countingDb(): { db: AppDatabase; statements: () => number } {
    let statements = 0;
    const logger = { logQuery: () => { statements += 1; } };
    const db = database.pglite
      ? (drizzlePglite(database.pglite, { schema, logger }) as unknown as AppDatabase)
      : (drizzlePostgres(database.pool!, { schema, logger }) as unknown as AppDatabase);
    return { db, statements: () => statements };
  }

  it('reads the permitted subjects and fields of 10,000 contacts in three statements', async () => {
    const tenantId = await createTenant();
    const purpose: PolicyPurpose = { key: 'newsletter', legalBasis: 'consent', dataUse: 'marketing.communications.email' };
    await insertPurposes(tenantId, [purpose]);
    await insertRoleGrants(database.db, tenantId, [{ role: 'marketing', purposeKey: 'newsletter' }]);
    await database.db.execute(sql`
      insert into contacts (tenant_id, id, source, created_at)
      select ${tenantId}::uuid, gen_random_uuid(), 'test', now() - make_interval(secs => n) from generate_series(1, 10000) as n`);
    // Every second contact consented; every tenth of all contacts objected to direct marketing.
    await database.db.execute(sql`
      insert into consents (tenant_id, subject_id, purpose_key, given_at)
      select tenant_id, id, 'newsletter', ${at(-60).toISOString()}::timestamptz
      from (select tenant_id, id, row_number() over (order by created_at) as n from contacts where tenant_id = ${tenantId}::uuid) c where n % 2 = 0`);
    await database.db.execute(sql`
      insert into objections (tenant_id, id, subject_id, purpose_key, objected_at)
      select tenant_id, gen_random_uuid(), id, null, ${at(-30).toISOString()}::timestamptz
      from (select tenant_id, id, row_number() over (order by created_at) as n from contacts where tenant_id = ${tenantId}::uuid) c where n % 10 = 0`);
    const catalog = validateCatalog([{
      object: 'contact', field: 'email', dataCategory: 'user.contact.email', subject: 'contact', sensitivity: 'ordinary',
      purposes: ['newsletter'], encrypted: true, lookup: true, search: false,
    }]);
    const counting = countingDb();
    const ctx: AccessContext = { tenantId, actor: { type: 'user', id: newId(), role: 'marketing' }, purpose: 'newsletter' };
    const read = await readPermitted(counting.db, ctx, { catalog, object: 'contact', subjects: 'all', now });
    expect(counting.statements()).toBe(3);
    expect(read.subjectIds).toHaveLength(4_000);
    expect(read.fields).toEqual(['email']);
    expect(read.withheld).toEqual([
      { field: 'email', reason: 'objected', subjects: 1_000 },
      { field: 'email', reason: 'no_live_consent', subjects: 5_000 },
    ]);
  });
});

describe('policy: refusals and the consent store', () => {
  it('refuses a read without a purpose or for a purpose the workspace lacks', async () => {
    const tenantId = await createTenant();
    const catalog = validateCatalog([]);
    const actor = { type: 'user' as const, id: newId(), role: 'admin' as const };
    await expect(readPermitted(database.db, { tenantId, actor, purpose: null }, { catalog, object: 'contact', subjects: 'all' }))
      .rejects.toMatchObject({ code: 'purpose_required' });
    await expect(readPermitted(database.db, { tenantId, actor, purpose: 'telepathy' }, { catalog, object: 'contact', subjects: 'all' }))
      .rejects.toMatchObject({ code: 'unknown_purpose' });
  });

  it('answers isLive from the consents table, per workspace', async () => {
    const tenantId = await createTenant();
    const otherTenantId = await createTenant();
    const subjectId = newId();
    await insertSubjectStates(database.db, tenantId, [{
      subjectId, consents: [{ purposeKey: 'p0', givenAt: at(-5), withdrawnAt: at(5), expiresAt: null }], objections: [], restrictions: [], erasures: [],
    }]);
    expect(await tableConsentStore.isLive(database.db, tenantId, subjectId, 'p0', now)).toBe(true);
    expect(await tableConsentStore.isLive(database.db, tenantId, subjectId, 'p0', at(5))).toBe(false);
    expect(await tableConsentStore.isLive(database.db, tenantId, subjectId, 'p1', now)).toBe(false);
    expect(await tableConsentStore.isLive(database.db, otherTenantId, subjectId, 'p0', now)).toBe(false);
  });
});
