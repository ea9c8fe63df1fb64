import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/connection.ts';
import { migrateDatabase } from '../../src/migrate.ts';

/**
 * The database a test file runs against: PostgreSQL when TEST_DATABASE_URL names a server
 * (a fresh database is created per call and dropped on close), otherwise in-memory PGlite.
 */
export const testDatabaseUrl = process.env.TEST_DATABASE_URL || undefined;

export type TestDatabase = Database & { url?: string };

export async function openTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  if (!testDatabaseUrl) {
    const database = await openDatabase({ dataDir: 'memory' });
    if (options.migrate !== false) await migrateDatabase(database);
    return database;
  }
  const name = `candor_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testDatabaseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(testDatabaseUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString() });
  if (options.migrate !== false) await migrateDatabase(database);
  const close = database.close;
  return {
    ...database,
    url: url.toString(),
    async close() {
      await close();
      const cleanup = new pg.Client({ connectionString: testDatabaseUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}
