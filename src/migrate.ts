import type { Database } from './db/connection.ts';
import { applySchemaMigrations } from './db/migrate.ts';
import { backfillContactExternalIdIndexes, grantDefaultsToUngrantedWorkspaces } from './kernel/index.ts';

/**
 * Brings a database up to date: the SQL migrations (src/db/), then the data upgrades that
 * need the layers above the database. The server, every CLI command and the test helpers
 * migrate through here, so a migrated database always has its data upgrades too. Each
 * upgrade is idempotent.
 */
export async function migrateDatabase(database: Database): Promise<void> {
  await applySchemaMigrations(database);
  // Workspaces created before role grants existed get the default grants.
  await grantDefaultsToUngrantedWorkspaces(database.db);
  // Contacts imported before external ids had their own blind index get one (sealed values
  // can only be indexed in code, not in a SQL migration).
  await backfillContactExternalIdIndexes(database.db);
}
