import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../src/db/ids.ts';
import { defaultRoleGrants, isDsrFulfilment, toPolicyPurpose } from '../src/kernel/index.ts';
import { defaultPurposes } from '../src/privacy/defaultPurposes.ts';
import { applyMigrations, checkedInMigrations, migrationIndexOf } from './support/migrationSteps.ts';
import { openTestDatabase, type TestDatabase } from './support/testDatabase.ts';

// Migration 0028 adds the built-in dsr_fulfilment purpose to workspaces created before it, in
// the words of the defaults, with the default grants (admins and privacy officers) and its first notice.

const dsrMigration = migrationIndexOf(/'dsr_fulfilment'/);

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase({ migrate: false });
});
afterAll(() => database?.close());

async function workspace(label: string): Promise<string> {
  const id = newId();
  await database.query(`insert into workspaces (id, slug, name) values ($1, $2, $3)`, [id, `${label}-${id.slice(0, 8)}`, label]);
  return id;
}

describe('the migration adding dsr_fulfilment', () => {
  it('gives older workspaces the purpose as a legal obligation without retention, granted to admins and privacy officers where grants exist', async () => {
    expect(dsrMigration).toBeGreaterThan(0);
    await applyMigrations(database, 0, dsrMigration);
    const [granted, ungranted] = [await workspace('granted'), await workspace('ungranted')];
    await database.query(
      `insert into purposes (tenant_id, key, description, legal_basis, data_use, retention_days) values ($1, 'sales', 'Sales', 'legitimate_interests', 'sales', 30)`,
      [granted],
    );
    await database.query(`insert into role_purpose_grants (tenant_id, role, purpose_key) values ($1, 'sales', 'sales')`, [granted]);
    await applyMigrations(database, dsrMigration, checkedInMigrations.length);

    const expected = defaultPurposes.find((purpose) => purpose.key === 'dsr_fulfilment')!;
    expect(isDsrFulfilment(expected)).toBe(true);
    expect(expected.retentionDays).toBeNull();
    const rows = await database.query<{ tenant_id: string; description: string; legal_basis: string; data_use: string; retention_days: number | null }>(
      `select tenant_id, description, legal_basis, data_use, retention_days from purposes where key = 'dsr_fulfilment'`,
    );
    for (const tenantId of [granted, ungranted]) {
      expect(rows.filter((row) => row.tenant_id === tenantId).map(({ tenant_id: _, ...row }) => row)).toEqual([
        { description: expected.description, legal_basis: expected.legalBasis, data_use: expected.dataUse, retention_days: null },
      ]);
    }
    const grants = await database.query<{ tenant_id: string; role: string }>(
      `select tenant_id, role from role_purpose_grants where purpose_key = 'dsr_fulfilment' order by role`,
    );
    const codeRoles = defaultRoleGrants([toPolicyPurpose(expected)])
      .map((grant) => grant.role)
      .sort();
    expect(codeRoles).toEqual(['admin', 'privacy_officer']);
    expect(grants.filter((row) => row.tenant_id === granted).map((row) => row.role)).toEqual(codeRoles);
    expect(grants.filter((row) => row.tenant_id === ungranted)).toEqual([]);
    const notices = await database.query<{ tenant_id: string }>(
      `select tenant_id from purpose_notices where purpose_key = 'dsr_fulfilment' and version = 1 and status = 'published'`,
    );
    expect(notices.map((row) => row.tenant_id).sort()).toEqual([granted, ungranted].sort());
  });
});
