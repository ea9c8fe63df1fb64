import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { createApiKey } from '../src/accounts/apiKeys.ts';
import { createWorkspace } from '../src/accounts/workspaces.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase, type Database } from '../src/db/connection.ts';
import { migrateDatabase } from '../src/migrate.ts';
import { buildApp } from '../src/http/app.ts';
import { defaultPurposes } from '../src/privacy/defaultPurposes.ts';

/**
 * What every figure runs against: one fresh database (embedded PGlite in a temporary
 * directory on disk, or a new database on the PostgreSQL server named by DATABASE_URL),
 * the real app built on it, and one workspace with an admin API key.
 */
export type BenchEnvironment = {
  database: Database;
  /** 'pglite' or 'postgres <server version>'. */
  databaseLabel: string;
  app: FastifyInstance;
  tenantId: string;
  apiKey: string;
  close(): Promise<void>;
};

// Request logs are produced as in production (level info) but not written anywhere.
const discardLogs = () => new Writable({ write: (_chunk, _encoding, done) => done() });

async function freshPostgres(serverUrl: string): Promise<{ database: Database; drop(): Promise<void> }> {
  const name = `candor_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString() });
  return {
    database,
    async drop() {
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

/** Another workspace on the same database, with an admin API key: for writers spread over workspaces. */
export async function addWorkspace(database: Database, label: string): Promise<{ tenantId: string; apiKey: string }> {
  const workspace = await createWorkspace(database.db, { slug: `${label}-${randomBytes(3).toString('hex')}`, name: label });
  const purposes = defaultPurposes.map((purpose) => purpose.key);
  const { key } = await createApiKey(database.db, { tenantId: workspace.id, name: 'bench', role: 'admin', purposes, defaultPurpose: 'sales' });
  return { tenantId: workspace.id, apiKey: key };
}

export async function openBenchEnvironment(databaseUrl: string | undefined): Promise<BenchEnvironment> {
  let cleanup: () => Promise<void>;
  let database: Database;
  if (databaseUrl) {
    const fresh = await freshPostgres(databaseUrl);
    database = fresh.database;
    cleanup = fresh.drop;
  } else {
    const dataDir = mkdtempSync(join(tmpdir(), 'candor-bench-'));
    database = await openDatabase({ dataDir, command: 'bench' });
    cleanup = async () => rmSync(dataDir, { recursive: true, force: true });
  }
  await migrateDatabase(database);
  const [version] = await database.query<{ server_version: string }>('show server_version');
  const databaseLabel = database.kind === 'pglite' ? `pglite (PostgreSQL ${version.server_version}, on disk)` : `postgres ${version.server_version}`;
  const config = loadConfig({}, { logLevel: 'info', demo: false, databaseUrl });
  const app = await buildApp({ database, config, mailer: { async send() {}, async close() {} }, logStream: discardLogs() });
  await app.ready();
  const workspace = await addWorkspace(database, 'bench');
  return {
    database,
    databaseLabel,
    app,
    tenantId: workspace.tenantId,
    apiKey: workspace.apiKey,
    async close() {
      await app.close();
      await database.close();
      await cleanup();
    },
  };
}
