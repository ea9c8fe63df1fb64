import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from '../src/migrate.ts';
import { openTestDatabase, type TestDatabase } from './support/testDatabase.ts';

// Test databases are copies of a migrated template (test/support/databaseTemplates.ts). The
// copy must be what migrating an empty database gives today, or every other test would run
// against a schema Candor no longer has.

/** Everything the migrations make, as comparable rows: tables, columns, indexes, triggers, functions, rows per table. */
async function schemaOf(database: TestDatabase): Promise<Record<string, unknown>> {
  const userSchemas = `not in ('pg_catalog', 'information_schema', 'pg_toast')`;
  const tables = await database.query<{ schema: string; name: string }>(
    `select table_schema as schema, table_name as name from information_schema.tables
      where table_schema ${userSchemas} and table_type = 'BASE TABLE' order by 1, 2`,
  );
  const rowCounts: Record<string, number> = {};
  for (const table of tables) {
    const [row] = await database.query<{ n: number }>(`select count(*)::int as n from "${table.schema}"."${table.name}"`);
    rowCounts[`${table.schema}.${table.name}`] = row.n;
  }
  return {
    columns: await database.query(
      `select table_schema, table_name, column_name, data_type, is_nullable, column_default from information_schema.columns
        where table_schema ${userSchemas} order by 1, 2, 3`,
    ),
    indexes: await database.query(`select schemaname, tablename, indexname, indexdef from pg_indexes where schemaname ${userSchemas} order by 1, 2, 3`),
    triggers: await database.query(
      `select event_object_schema, event_object_table, trigger_name, event_manipulation, action_timing, action_statement from information_schema.triggers
        where trigger_schema ${userSchemas} order by 1, 2, 3, 4`,
    ),
    functions: await database.query(
      `select n.nspname, p.proname, pg_get_function_identity_arguments(p.oid) as arguments, p.prosrc from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname ${userSchemas} order by 1, 2, 3`,
    ),
    migrations: await database.query('select hash, created_at from drizzle.__drizzle_migrations order by created_at'),
    rowCounts,
  };
}

describe('test databases copied from the migrated template', () => {
  let copied: TestDatabase;
  let migrated: TestDatabase;
  beforeAll(async () => {
    copied = await openTestDatabase();
    migrated = await openTestDatabase({ migrate: false });
    await migrateDatabase(migrated);
  });
  afterAll(async () => {
    await copied?.close();
    await migrated?.close();
  });

  it('have the schema, the applied migrations and the rows that migrating an empty database gives', async () => {
    const expected = await schemaOf(migrated);
    expect((expected.migrations as unknown[]).length).toBeGreaterThan(0);
    expect(await schemaOf(copied)).toEqual(expected);
  });
});
