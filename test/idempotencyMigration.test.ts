import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../src/db/ids.ts';
import { applyMigrations, checkedInMigrations, migrationIndexOf } from './support/migrationSteps.ts';
import { openTestDatabase, type TestDatabase } from './support/testDatabase.ts';

// Records written before idempotency fingerprints were keyed hold a plain SHA-256 of the
// request body, which a database copy can test guesses against: the migration that keys them
// deletes them. Shown by applying the checked-in migrations one by one around such a row.

const keyingMigration = migrationIndexOf(/request_fingerprint/);

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase({ migrate: false });
});
afterAll(() => database?.close());

const apply = (from: number, to: number) => applyMigrations(database, from, to);

describe('the migration that keys idempotency fingerprints', () => {
  it('deletes every record holding a plain request hash', async () => {
    expect(keyingMigration).toBeGreaterThan(0);
    await apply(0, keyingMigration);
    const tenantId = newId();
    await database.query(`insert into workspaces (id, slug, name) values ($1, $2, 'Before keying')`, [tenantId, `before-${tenantId.slice(0, 8)}`]);
    await database.query(
      `insert into idempotency_keys (tenant_id, key, actor, method, route, request_hash, state, status_code)
       values ($1, 'old', 'api_key:x', 'POST', '/api/v1/contacts', $2, 'done', 201)`,
      [tenantId, 'a'.repeat(64)],
    );
    await apply(keyingMigration, checkedInMigrations.length);
    const [row] = await database.query<{ count: number }>('select count(*)::int as count from idempotency_keys');
    expect(row.count).toBe(0);
    const columns = await database.query<{ column_name: string }>(
      `select column_name from information_schema.columns where table_name = 'idempotency_keys' order by column_name`,
    );
    expect(columns.map((column) => column.column_name)).toContain('request_fingerprint');
    expect(columns.map((column) => column.column_name)).not.toContain('request_hash');
  });
});
