import { createHash, randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { openDatabase } from '../../src/db/connection.ts';
import { migrateDatabase } from '../../src/migrate.ts';

/*
 * Migrated databases to start test databases from, so that a test file does not pay for
 * initdb and every migration (PGlite: ~2–5 s, PostgreSQL: ~3 s per file). Three forms: a
 * dump of an in-memory PGlite (loaded by openTestDatabase), an embedded data directory
 * (copied by copyMigratedDataDir) and a PostgreSQL database (cloned with CREATE DATABASE …
 * TEMPLATE). Each is made from the real migrateDatabase on an empty database, once per
 * migrations hash, and named by that hash, so a template made from other migrations is
 * never used. Templates are published atomically (a file or directory renamed into place,
 * a database renamed to its final name), so parallel forks — or other checkouts on the
 * same machine — that build one at the same time each use a complete one.
 */

const repository = fileURLToPath(new URL('../..', import.meta.url));
const templatePrefix = { pglite: 'candor-template-pglite-', pgdata: 'candor-template-pgdata-', postgres: 'candor_template_' } as const;
/** Templates of other migrations are removed once this old: no run still needs them. */
const staleAfterMs = 24 * 60 * 60_000;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

function packageVersion(name: string): string {
  return (JSON.parse(readFileSync(join(repository, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

let hash: string | null = null;
/**
 * What a migrated empty database depends on: the migration files, the code that applies
 * them, and the versions of the migrator and of PGlite (whose data directory is dumped).
 */
export function migrationsHash(): string {
  if (hash) return hash;
  const digest = createHash('sha256');
  const inputs = [...filesUnder(join(repository, 'src/db/migrations')), join(repository, 'src/db/migrate.ts'), join(repository, 'src/migrate.ts')];
  for (const file of inputs) digest.update(relative(repository, file)).update('\0').update(readFileSync(file)).update('\0');
  for (const name of ['drizzle-orm', '@electric-sql/pglite']) digest.update(`${name}@${packageVersion(name)}\0`);
  hash = digest.digest('hex').slice(0, 16);
  return hash;
}

let pgliteImage: Promise<Blob> | null = null;

/**
 * A dump of a migrated embedded data directory, for `openDatabase({ loadDataDir })`. Kept
 * as a file in the temporary folder across runs; read once per test process.
 */
export function pgliteTemplate(): Promise<Blob> {
  pgliteImage ??= loadOrBuildPgliteTemplate().catch((error: unknown) => {
    pgliteImage = null;
    throw error;
  });
  return pgliteImage;
}

async function loadOrBuildPgliteTemplate(): Promise<Blob> {
  const file = join(tmpdir(), `${templatePrefix.pglite}${migrationsHash()}.tar`);
  try {
    return new Blob([readFileSync(file)]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const database = await openDatabase({ dataDir: 'memory' });
  let image: Blob;
  try {
    await migrateDatabase(database);
    // Uncompressed: loading a 40 MB tar is faster than inflating a 5 MB one.
    image = await (database.pglite as NonNullable<typeof database.pglite>).dumpDataDir('none');
  } finally {
    await database.close();
  }
  const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.partial`;
  writeFileSync(partial, Buffer.from(await image.arrayBuffer()));
  renameSync(partial, file);
  removeStaleTemplates(templatePrefix.pglite, file);
  return image;
}

function removeStaleTemplates(prefix: string, current: string): void {
  for (const name of readdirSync(tmpdir())) {
    const path = join(tmpdir(), name);
    if (!name.startsWith(prefix) || path === current) continue;
    try {
      if (Date.now() - statSync(path).mtimeMs > staleAfterMs) rmSync(path, { recursive: true, force: true });
    } catch {
      // Another run removed it first: nothing left to do.
    }
  }
}

let pgdataTemplate: Promise<string> | null = null;

/**
 * Fills an empty embedded data directory (CANDOR_DATA_DIR) with a copy of a migrated
 * database, for tests that prepare a directory before the `candor` child processes use it,
 * instead of running initdb and the migrations in it. Tests of a fresh directory (what a
 * newcomer's first command does) start from an empty one instead.
 */
export async function copyMigratedDataDir(dataDir: string): Promise<void> {
  pgdataTemplate ??= findOrBuildPgdataTemplate().catch((error: unknown) => {
    pgdataTemplate = null;
    throw error;
  });
  cpSync(await pgdataTemplate, join(dataDir, 'pgdata'), { recursive: true });
}

async function findOrBuildPgdataTemplate(): Promise<string> {
  const dir = join(tmpdir(), `${templatePrefix.pgdata}${migrationsHash()}`);
  try {
    if (statSync(join(dir, 'PG_VERSION')).isFile()) return dir;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  // Written by PGlite itself from the dumped template, then renamed into place whole.
  const partial = `${dir}.${process.pid}.${randomBytes(4).toString('hex')}.partial`;
  mkdirSync(partial);
  try {
    const client = await PGlite.create({ dataDir: partial, loadDataDir: await pgliteTemplate() });
    await client.close();
    try {
      renameSync(partial, dir);
    } catch (error) {
      // Another process published it first; theirs is as good as ours.
      if (!['EEXIST', 'ENOTEMPTY'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
    }
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
  removeStaleTemplates(templatePrefix.pgdata, dir);
  return dir;
}

const postgresTemplates = new Map<string, Promise<string>>();

/**
 * The name of a migrated database on the server `serverUrl` names, for
 * `CREATE DATABASE … TEMPLATE`. It accepts no connections, so cloning it never waits for one.
 */
export function postgresTemplate(serverUrl: string): Promise<string> {
  let template = postgresTemplates.get(serverUrl);
  if (!template) {
    template = findOrBuildPostgresTemplate(serverUrl).catch((error: unknown) => {
      postgresTemplates.delete(serverUrl);
      throw error;
    });
    postgresTemplates.set(serverUrl, template);
  }
  return template;
}

/** Forgets the template name, after a clone found it gone (removed by another checkout). */
export function forgetPostgresTemplate(serverUrl: string): void {
  postgresTemplates.delete(serverUrl);
}

async function withAdmin<T>(serverUrl: string, work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

async function findOrBuildPostgresTemplate(serverUrl: string): Promise<string> {
  const name = `${templatePrefix.postgres}${migrationsHash()}`;
  const exists = await withAdmin(serverUrl, async (admin) => (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1);
  if (exists) return name;

  const building = `${name}_build_${randomBytes(4).toString('hex')}`;
  await withAdmin(serverUrl, (admin) => admin.query(`create database ${building}`));
  try {
    const url = new URL(serverUrl);
    url.pathname = `/${building}`;
    const database = await openDatabase({ databaseUrl: url.toString() });
    try {
      await migrateDatabase(database);
    } finally {
      await database.close();
    }
    await withAdmin(serverUrl, async (admin) => {
      try {
        await admin.query(`alter database ${building} rename to ${name}`);
      } catch (error) {
        // 42P04: another process published the same template first; use that one.
        if ((error as { code?: string }).code !== '42P04') throw error;
        return;
      }
      await admin.query(`alter database ${name} with allow_connections false`);
      await admin.query(`comment on database ${name} is ${admin.escapeLiteral(`candor test template, made ${new Date().toISOString()}`)}`);
      await removeStalePostgresTemplates(admin, name);
    });
  } finally {
    await withAdmin(serverUrl, (admin) => admin.query(`drop database if exists ${building} with (force)`));
  }
  return name;
}

async function removeStalePostgresTemplates(admin: pg.Client, current: string): Promise<void> {
  const templates = await admin.query<{ datname: string; made: string | null }>(
    `select datname, shobj_description(oid, 'pg_database') as made from pg_database where datname like $1 and datname <> $2`,
    [`${templatePrefix.postgres}%`, current],
  );
  for (const { datname, made } of templates.rows) {
    const madeAt = Date.parse(made?.replace(/^candor test template, made /, '') ?? '');
    // Unfinished builds carry no date: leave them to the process building them.
    if (Number.isNaN(madeAt) || Date.now() - madeAt <= staleAfterMs) continue;
    // Made by another role (not ours to drop) or dropped meanwhile: leave it. A run still
    // cloning it finds it gone and makes it again (openTestDatabase).
    await admin.query(`drop database if exists ${datname}`).catch(() => undefined);
  }
}
