import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { TestDatabase } from './testDatabase.ts';

const run = promisify(execFile);

/** A read-only handle on a full copy of a database, as a backup would hold it. */
export type DatabaseCopy = {
  query<Row>(text: string, params?: unknown[]): Promise<Row[]>;
  close(): Promise<void>;
};

/**
 * Copies the whole database the way a backup does: PGlite's data directory dumped and
 * loaded into a new instance; PostgreSQL through pg_dump into a fresh database.
 */
export async function copyDatabase(database: TestDatabase): Promise<DatabaseCopy> {
  if (database.pglite) {
    const copy = await PGlite.create({ loadDataDir: await database.pglite.dumpDataDir('none') });
    return {
      async query<Row>(text: string, params: unknown[] = []) {
        return (await copy.query<Row>(text, params)).rows;
      },
      close: () => copy.close(),
    };
  }
  if (!database.url) throw new Error('copyDatabase needs a PGlite database or a PostgreSQL test database with a url');
  const source = new URL(database.url);
  const name = `${source.pathname.slice(1)}_copy_${randomBytes(3).toString('hex')}`;
  const target = new URL(database.url);
  target.pathname = `/${name}`;
  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  await run('sh', ['-c', 'pg_dump --no-owner "$1" | psql --quiet --set ON_ERROR_STOP=1 "$2" > /dev/null', 'sh', database.url, target.toString()], {
    maxBuffer: 64 * 1024 * 1024,
  });
  const client = new pg.Client({ connectionString: target.toString() });
  await client.connect();
  return {
    async query<Row>(text: string, params: unknown[] = []) {
      return (await client.query(text, params)).rows as Row[];
    },
    async close() {
      await client.end();
      const cleanup = new pg.Client({ connectionString: database.url });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}
