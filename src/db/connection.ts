import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import * as schema from './schema/index.ts';
import { prepareDataDirectory, restrictToOwner } from './dataDirectory.ts';
import { acquireEmbeddedLock, type EmbeddedLock } from './embeddedLock.ts';

export type Schema = typeof schema;
export type AppDatabase = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = Parameters<Parameters<AppDatabase['transaction']>[0]>[0];
/** Anything that runs queries: the database itself or an open transaction. */
export type Executor = AppDatabase | Transaction;

export type DatabaseKind = 'pglite' | 'postgres';

export type Database = {
  kind: DatabaseKind;
  db: AppDatabase;
  /** Raw parameterised SQL, for pg-boss, COPY-free bulk paths and benchmarks' baselines. */
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  /** Runs several statements without parameters (migrations, pg-boss setup). */
  exec(text: string): Promise<void>;
  close(): Promise<void>;
  /** The underlying client, for code that needs driver specifics (COPY on PostgreSQL). */
  pglite?: PGlite;
  pool?: pg.Pool;
};

export type OpenDatabaseOptions = {
  /** PostgreSQL connection string; when absent the embedded database is used. */
  databaseUrl?: string;
  /** Embedded data directory, or 'memory' for an in-process database that is not kept. */
  dataDir?: string;
  /** What is opening the database, named in the lock so a refused opener knows who holds it. */
  command?: string;
  /**
   * With dataDir 'memory': start from this dump of a data directory (PGlite's dumpDataDir)
   * instead of an empty database; tests start from a migrated one this way.
   */
  loadDataDir?: Blob;
};

// BIGINT (int8) values fit the numbers Candor stores (minor units, sequences), so read them
// as numbers on both drivers instead of strings.
pg.types.setTypeParser(20, (value) => Number(value));

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl);
  return openEmbedded(options.dataDir ?? '.candor', options.command ?? 'process', options.loadDataDir);
}

async function openPostgres(connectionString: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString, max: 10 });
  // An idle client that errors (server restart) must not crash the process.
  pool.on('error', () => undefined);
  const db = drizzlePostgres(pool, { schema }) as unknown as AppDatabase;
  return {
    kind: 'postgres',
    db,
    pool,
    async query<Row>(text: string, params: unknown[] = []) {
      return (await pool.query(text, params)).rows as Row[];
    },
    async exec(text: string) {
      await pool.query(text);
    },
    close: () => pool.end(),
  };
}

async function openEmbedded(dataDir: string, command: string, loadDataDir: Blob | undefined): Promise<Database> {
  let lock: EmbeddedLock | null = null;
  let client: PGlite;
  if (dataDir === 'memory') {
    client = await PGlite.create(loadDataDir ? { loadDataDir } : undefined);
  } else {
    prepareDataDirectory(dataDir);
    lock = acquireEmbeddedLock(dataDir, command);
    try {
      client = await PGlite.create(`${dataDir}/pgdata`);
    } catch (error) {
      lock.release();
      throw error;
    }
    try {
      // After the open: a new cluster's files are only now on disk (0666, see dataDirectory.ts).
      restrictToOwner(`${dataDir}/pgdata`);
    } catch (error) {
      await client.close();
      lock.release();
      throw error;
    }
  }
  const db = drizzlePglite(client, { schema }) as unknown as AppDatabase;
  let closed = false;
  return {
    kind: 'pglite',
    db,
    pglite: client,
    async query<Row>(text: string, params: unknown[] = []) {
      return (await client.query<Row>(text, params)).rows;
    },
    async exec(text: string) {
      await client.exec(text);
    },
    async close() {
      if (closed) return;
      closed = true;
      await client.close();
      lock?.release();
    },
  };
}
