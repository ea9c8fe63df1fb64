import { loadConfig, type CandorConfig } from '../config.ts';
import { openDatabase, type Database } from '../db/connection.ts';
import { migrateDatabase } from '../migrate.ts';
import { startKernel } from '../kernel/index.ts';

/**
 * Opens the configured database for a CLI command, migrated. On the embedded database the
 * lock refuses a second process (e.g. while `candor serve` runs) with a message saying to
 * stop the server or use the API.
 */
export async function withCliDatabase<T>(command: string, work: (database: Database, config: CandorConfig) => Promise<T>): Promise<T> {
  const config = loadConfig();
  startKernel(config);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, command });
  try {
    await migrateDatabase(database);
    return await work(database, config);
  } finally {
    await database.close();
  }
}
