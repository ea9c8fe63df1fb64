import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { migrateDatabase } from '../src/migrate.ts';
import { systemContext } from '../src/kernel/accessContext.ts';
import { grantDefaultsToUngrantedWorkspaces, listRoleGrants, replaceRoleGrants } from '../src/kernel/policy/roleGrants.ts';
import { testDatabaseUrl } from './support/testDatabase.ts';
import { createTestApp, errorFields, type TestApp, type TestWorkspace } from './support/testApp.ts';

let t: TestApp;
let workspace: TestWorkspace;

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
});
afterAll(() => t.close());

const grantsUrl = '/api/v1/role-grants';
/** What a new workspace grants (the default rules over the default purposes' data uses). */
/** Every default purpose: what admins and privacy officers are granted. */
const everyDefaultPurpose = [
  'dsr_fulfilment',
  'email_marketing',
  'email_marketing_existing_customers',
  'legal_compliance',
  'order_fulfilment',
  'sales',
  'support',
  'targeted_advertising',
  'third_party_sharing',
  'web_analytics',
];
const defaultGrants = {
  admin: everyDefaultPurpose,
  privacy_officer: everyDefaultPurpose,
  sales: ['order_fulfilment', 'sales'],
  support: ['order_fulfilment', 'support'],
  marketing: ['email_marketing', 'email_marketing_existing_customers', 'targeted_advertising', 'web_analytics'],
  analyst: ['web_analytics'],
};

async function grantsOf(ws: TestWorkspace): Promise<Record<string, string[]>> {
  const response = await t.request(ws.keys.admin, { method: 'GET', url: grantsUrl });
  expect(response.statusCode).toBe(200);
  return Object.fromEntries((response.json().data as Array<{ role: string; purposes: string[] }>).map((grant) => [grant.role, grant.purposes]));
}

const putGrants = (ws: TestWorkspace, role: string, purposes: string[], key = ws.keys.admin) =>
  t.request(key, { method: 'PUT', url: `${grantsUrl}/${role}`, payload: { purposes } });

/** Creating a company as `role` acting for `purpose`: the status only. */
const createCompanyAs = async (ws: TestWorkspace, role: keyof TestWorkspace['keys'], purpose: string) =>
  (await t.request(ws.keys[role], { method: 'POST', url: '/api/v1/companies', payload: { name: 'Grant Ltd' }, purpose })).statusCode;

describe('role grants', () => {
  it('gives a new workspace the default grants of every role', async () => {
    expect(await grantsOf(workspace)).toEqual(defaultGrants);
  });

  it('shows the grants to admins and privacy officers only, and lets only them change the grants', async () => {
    const ws = await t.createWorkspace();
    expect((await t.request(ws.keys.privacy_officer, { method: 'GET', url: grantsUrl })).statusCode).toBe(200);
    for (const role of ['sales', 'support', 'marketing', 'analyst'] as const) {
      expect({ role, status: (await t.request(ws.keys[role], { method: 'GET', url: grantsUrl })).statusCode }).toEqual({ role, status: 403 });
    }
    for (const role of ['sales', 'support', 'marketing', 'analyst'] as const) {
      const refused = await putGrants(ws, 'analyst', [], ws.keys[role]);
      expect({ role, status: refused.statusCode, code: refused.json().code }).toEqual({ role, status: 403, code: 'forbidden' });
    }
    expect((await grantsOf(ws)).analyst).toEqual(['web_analytics']);
    // The privacy officer steers the kernel: who may act for which purpose is theirs to change.
    expect((await putGrants(ws, 'analyst', [], ws.keys.privacy_officer)).statusCode).toBe(200);
    expect((await grantsOf(ws)).analyst).toEqual([]);
  });

  it("replaces a role's purposes, reports what was added and removed, and audits it without values", async () => {
    const ws = await t.createWorkspace();
    const response = await putGrants(ws, 'sales', ['sales', 'legal_compliance', 'sales']);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      data: { role: 'sales', purposes: ['legal_compliance', 'sales'] },
      added: ['legal_compliance'],
      removed: ['order_fulfilment'],
    });
    expect((await grantsOf(ws)).sales).toEqual(['legal_compliance', 'sales']);

    const audit = await t.request(ws.keys.admin, { method: 'GET', url: '/api/v1/audit?limit=200' });
    const changes = (audit.json().data as Array<{ action: string; object: string; fields: string[]; detail: unknown; subjectPseudonyms: string[] }>).filter(
      (entry) => entry.action === 'role_grant.changed',
    );
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      object: 'role_grant',
      fields: [],
      subjectPseudonyms: [],
      detail: { role: 'sales', added: ['legal_compliance'], removed: ['order_fulfilment'] },
    });
  });

  it('records nothing when a replacement changes nothing', async () => {
    const ws = await t.createWorkspace();
    const response = await putGrants(ws, 'analyst', ['web_analytics']);
    expect(response.json()).toMatchObject({ added: [], removed: [] });
    const audit = await t.request(ws.keys.admin, { method: 'GET', url: '/api/v1/audit?limit=200' });
    expect((audit.json().data as Array<{ action: string }>).filter((entry) => entry.action === 'role_grant.changed')).toEqual([]);
  });

  // Two connections are needed to overlap transactions: PostgreSQL only (PGlite has one).
  it.skipIf(!testDatabaseUrl)('ends two overlapping replacements as the later one, never a mix of both', async () => {
    const ws = await t.createWorkspace();
    const ctx = systemContext(ws.id, 'grant-test');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let firstApplied!: () => void;
    const applied = new Promise<void>((resolve) => (firstApplied = resolve));
    const first = t.database.db.transaction(async (tx) => {
      await replaceRoleGrants(tx, ctx, 'support', ['legal_compliance']);
      firstApplied();
      await held;
    });
    await applied;
    const second = t.database.db.transaction((tx) => replaceRoleGrants(tx, ctx, 'support', ['sales']));
    await new Promise((resolve) => setTimeout(resolve, 200));
    release();
    await first;
    expect(await second).toEqual({ added: ['sales'], removed: ['legal_compliance'] });
    expect((await listRoleGrants(t.database.db, ws.id)).support).toEqual(['sales']);
  });

  it('refuses an unknown purpose with 422 naming it, and changes nothing', async () => {
    const ws = await t.createWorkspace();
    const response = await putGrants(ws, 'support', ['support', 'telepathy']);
    expect(response.statusCode).toBe(422);
    expect(errorFields(response.json())).toEqual(['purposes']);
    expect(response.json().errors[0].reason).toContain('telepathy');
    expect((await grantsOf(ws)).support).toEqual(defaultGrants.support);
  });

  it('refuses an unknown role as a validation error, like every other', async () => {
    const response = await putGrants(workspace, 'intern', ['sales']);
    expect({ status: response.statusCode, code: response.json().code }).toEqual({ status: 422, code: 'validation_failed' });
  });

  it('takes effect at once: a role acts for a purpose only while it is granted', async () => {
    const ws = await t.createWorkspace();
    expect(await createCompanyAs(ws, 'sales', 'sales')).toBe(201);
    expect(await createCompanyAs(ws, 'sales', 'legal_compliance')).toBe(403);
    await putGrants(ws, 'sales', ['legal_compliance']);
    expect(await createCompanyAs(ws, 'sales', 'legal_compliance')).toBe(201);
    const refused = await t.request(ws.keys.sales, { method: 'POST', url: '/api/v1/companies', payload: { name: 'Grant Ltd' }, purpose: 'sales' });
    expect({ status: refused.statusCode, code: refused.json().code, fields: errorFields(refused.json()) }).toEqual({
      status: 403,
      code: 'purpose_not_granted',
      fields: ['Candor-Purpose'],
    });
  });

  it('lets admins remove every purpose of their own role and grant it back: managing grants is not a grant', async () => {
    const ws = await t.createWorkspace();
    expect((await putGrants(ws, 'admin', [])).json().data).toEqual({ role: 'admin', purposes: [] });
    expect(await createCompanyAs(ws, 'admin', 'sales')).toBe(403);
    expect((await putGrants(ws, 'admin', ['sales'])).statusCode).toBe(200);
    expect(await createCompanyAs(ws, 'admin', 'sales')).toBe(201);
  });
});

describe('default grants for workspaces created before role grants existed', () => {
  it('grants the defaults to a workspace that never had any, once', async () => {
    const ws = await t.createWorkspace();
    await t.database.db.execute(sql`delete from role_purpose_grants where tenant_id = ${ws.id}::uuid`);
    expect(await grantDefaultsToUngrantedWorkspaces(t.database.db)).toBe(1);
    expect(await listRoleGrants(t.database.db, ws.id)).toEqual(defaultGrants);
    expect(await grantDefaultsToUngrantedWorkspaces(t.database.db)).toBe(0);
  });

  it('runs as part of migrating the database, which the server and every CLI command do at start', async () => {
    const ws = await t.createWorkspace();
    await t.database.db.execute(sql`delete from role_purpose_grants where tenant_id = ${ws.id}::uuid`);
    await migrateDatabase(t.database);
    expect(await listRoleGrants(t.database.db, ws.id)).toEqual(defaultGrants);
  });

  it('leaves alone a workspace whose admins removed every grant (their changes are audited)', async () => {
    const ws = await t.createWorkspace();
    for (const role of Object.keys(defaultGrants)) expect((await putGrants(ws, role, [])).statusCode).toBe(200);
    await grantDefaultsToUngrantedWorkspaces(t.database.db);
    expect(Object.values(await listRoleGrants(t.database.db, ws.id)).flat()).toEqual([]);
  });
});
