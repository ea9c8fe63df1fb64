import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/connection.ts';
import { migrateDatabase } from '../../src/migrate.ts';
import { forgetPostgresTemplate, pgliteTemplate, postgresTemplate } from './databaseTemplates.ts';

/**
 * The database a test file runs against: PostgreSQL when TEST_DATABASE_URL names a server
 * (a fresh database is created per call and dropped on close), otherwise in-memory PGlite.
 */
export const testDatabaseUrl = process.env.TEST_DATABASE_URL || undefined;

export type TestDatabase = Database & { url?: string };

/**
 * A fresh database. Migrated ones start as a copy of a template that migrateDatabase made
 * once per run (databaseTemplates.ts); migrateDatabase then runs on the copy as it does at
 * every start of Candor, and finds nothing left to apply. `migrate: false` gives an empty
 * database, for tests whose child processes migrate it themselves.
 */
export async function openTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const migrate = options.migrate !== false;
  if (!testDatabaseUrl) {
    const database = await openDatabase({ dataDir: 'memory', loadDataDir: migrate ? await pgliteTemplate() : undefined });
    if (migrate) await migrateDatabase(database);
    return database;
  }
  const serverUrl = testDatabaseUrl;
  const name = `candor_test_${randomBytes(6).toString('hex')}`;
  await createPostgresDatabase(serverUrl, name, migrate);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString() });
  if (migrate) await migrateDatabase(database);
  const close = database.close;
  return {
    ...database,
    url: url.toString(),
    async close() {
      await close();
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

async function createPostgresDatabase(serverUrl: string, name: string, fromTemplate: boolean): Promise<void> {
  const template = fromTemplate ? await postgresTemplate(serverUrl) : null;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(template ? `create database ${name} template ${template}` : `create database ${name}`);
  } catch (error) {
    // 3D000: the template was removed meanwhile (another checkout pruned it): build it again.
    if (!template || (error as { code?: string }).code !== '3D000') throw error;
    forgetPostgresTemplate(serverUrl);
    await admin.query(`create database ${name} template ${await postgresTemplate(serverUrl)}`);
  } finally {
    await admin.end();
  }
}
