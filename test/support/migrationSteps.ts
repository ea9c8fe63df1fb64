import { fileURLToPath } from 'node:url';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import type { Database } from '../../src/db/connection.ts';

/*
 * The checked-in migrations one by one, for tests that write rows in an old schema and
 * show what a later migration makes of them.
 */

export const checkedInMigrations = readMigrationFiles({ migrationsFolder: fileURLToPath(new URL('../../src/db/migrations', import.meta.url)) });

/** The index of the first migration with a statement matching `pattern` (-1: none). */
export const migrationIndexOf = (pattern: RegExp) => checkedInMigrations.findIndex((migration) => migration.sql.some((statement) => pattern.test(statement)));

/** Applies migrations [from, to) to an unmigrated database (openTestDatabase({ migrate: false })). */
export async function applyMigrations(database: Database, from: number, to: number): Promise<void> {
  for (const migration of checkedInMigrations.slice(from, to)) for (const statement of migration.sql) await database.exec(statement);
}
