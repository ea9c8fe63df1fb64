import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../src/db/ids.ts';
import { defaultRoleGrants, toPolicyPurpose } from '../src/kernel/index.ts';
import { defaultPurposes } from '../src/privacy/defaultPurposes.ts';
import { applyMigrations, checkedInMigrations, migrationIndexOf } from './support/migrationSteps.ts';
import { openTestDatabase, type TestDatabase } from './support/testDatabase.ts';

// Migration 0021 adds the purposes GPC covers (targeted_advertising, third_party_sharing) to
// workspaces created before they were defaults, with the default grants the code would give
// them and their first notice; shown by applying the checked-in migrations around workspaces of each kind.

const gpcMigration = migrationIndexOf(/'targeted_advertising'/);
const gpcKeys = ['targeted_advertising', 'third_party_sharing'];

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

describe('the migration adding the GPC purposes', () => {
  it('gives older workspaces the purposes in the words of the defaults, with default grants where grants exist, and keeps a purpose of the same key', async () => {
    expect(gpcMigration).toBeGreaterThan(0);
    await applyMigrations(database, 0, gpcMigration);
    const [granted, ungranted, own] = [await workspace('granted'), await workspace('ungranted'), await workspace('own')];
    for (const tenantId of [granted, own]) {
      await database.query(
        `insert into purposes (tenant_id, key, description, legal_basis, data_use, retention_days) values ($1, 'sales', 'Sales', 'legitimate_interests', 'sales', 30)`,
        [tenantId],
      );
      await database.query(`insert into role_purpose_grants (tenant_id, role, purpose_key) values ($1, 'sales', 'sales')`, [tenantId]);
    }
    await database.query(
      `insert into purposes (tenant_id, key, description, legal_basis, data_use, retention_days) values ($1, 'targeted_advertising', 'Our own words', 'consent', 'marketing.advertising.first_party.targeted', 30)`,
      [own],
    );
    await applyMigrations(database, gpcMigration, checkedInMigrations.length);

    const rows = await database.query<{ tenant_id: string; key: string; description: string; legal_basis: string; data_use: string; retention_days: number }>(
      `select tenant_id, key, description, legal_basis, data_use, retention_days from purposes where key = any($1) order by tenant_id, key`,
      [gpcKeys],
    );
    const expected = defaultPurposes.filter((purpose) => gpcKeys.includes(purpose.key));
    expect(expected).toHaveLength(2);
    for (const tenantId of [granted, ungranted]) {
      expect(rows.filter((row) => row.tenant_id === tenantId).map(({ tenant_id: _, ...row }) => row)).toEqual(
        expected.map((purpose) => ({
          key: purpose.key,
          description: purpose.description,
          legal_basis: purpose.legalBasis,
          data_use: purpose.dataUse,
          retention_days: purpose.retentionDays,
        })),
      );
    }
    expect(rows.find((row) => row.tenant_id === own && row.key === 'targeted_advertising')!.description).toBe('Our own words');

    const grants = await database.query<{ tenant_id: string; role: string; purpose_key: string }>(
      `select tenant_id, role, purpose_key from role_purpose_grants where purpose_key = any($1) order by role, purpose_key`,
      [gpcKeys],
    );
    const codeGrants = defaultRoleGrants(expected.map((purpose) => toPolicyPurpose(purpose)))
      .map((grant) => ({ role: grant.role, purpose_key: grant.purposeKey }))
      .sort((a, b) => a.role.localeCompare(b.role) || a.purpose_key.localeCompare(b.purpose_key));
    expect(grants.filter((row) => row.tenant_id === granted).map(({ tenant_id: _, ...grant }) => grant)).toEqual(codeGrants);
    // A workspace without any grant gets all its defaults from the upgrade step after the migrations.
    expect(grants.filter((row) => row.tenant_id === ungranted)).toEqual([]);

    // Each purpose has its first notice, its description published as version 1 (as 0020 gave the older ones).
    const notices = await database.query<{ tenant_id: string; purpose_key: string; version: number; status: string; body_markdown: string }>(
      `select tenant_id, purpose_key, version, status, body_markdown from purpose_notices where purpose_key = any($1)`,
      [gpcKeys],
    );
    for (const row of rows) {
      expect(notices.filter((notice) => notice.tenant_id === row.tenant_id && notice.purpose_key === row.key)).toEqual([
        { tenant_id: row.tenant_id, purpose_key: row.key, version: 1, status: 'published', body_markdown: row.description },
      ]);
    }
  });
});
