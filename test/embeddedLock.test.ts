import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/accounts/apiKeys.ts';
import { createWorkspace } from '../src/accounts/workspaces.ts';
import { openDatabase } from '../src/db/connection.ts';
import { migrateDatabase } from '../src/migrate.ts';
import { defaultPurposes } from '../src/privacy/defaultPurposes.ts';
import {
  candorEnv,
  migratedTempDataDir,
  removeTempDataDirs,
  runCandor,
  serverUrl,
  startCandor,
  stopCandor,
  type CandorProcess,
} from './support/candorProcess.ts';
import { openTestDatabase, testDatabaseUrl, type TestDatabase } from './support/testDatabase.ts';

// The embedded database (PGlite) has no lock of its own; Candor's lock file is bound to a
// live process. These tests use real processes: `node bin/candor.js serve` on one data
// directory. The lock tests are about the embedded database only and are skipped when the
// suite runs on PostgreSQL; the SIGKILL durability test runs on both.

const embeddedOnly = describe.skipIf(Boolean(testDatabaseUrl));
const running: CandorProcess[] = [];
// Each test starts one or two servers (PGlite cold start, migrations): allow for a busy machine.
const childTimeout = 240_000;

function serve(env: NodeJS.ProcessEnv): CandorProcess {
  const server = startCandor(['serve', '--port', '0'], env);
  running.push(server);
  return server;
}

/** A workspace with an admin API key, made before any server runs. */
async function prepareWorkspace(open: () => Promise<{ database: Awaited<ReturnType<typeof openDatabase>>; close(): Promise<void> }>): Promise<string> {
  const { database, close } = await open();
  try {
    await migrateDatabase(database);
    const workspace = await createWorkspace(database.db, { slug: 'locked', name: 'Lock test' });
    const purposes = defaultPurposes.map((purpose) => purpose.key);
    return (await createApiKey(database.db, { tenantId: workspace.id, name: 'test', role: 'admin', purposes, defaultPurpose: 'sales' })).key;
  } finally {
    await close();
  }
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => stopCandor(server, 'SIGKILL')));
});
afterAll(() => removeTempDataDirs());

embeddedOnly('the embedded database lock', () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dataDir = await migratedTempDataDir();
    env = candorEnv({ CANDOR_DATA_DIR: dataDir });
    await prepareWorkspace(async () => {
      const database = await openDatabase({ dataDir, command: 'test' });
      return { database, close: () => database.close() };
    });
  });

  it(
    'refuses a second server on the same directory with a clear message and a non-zero exit',
    async () => {
      const first = serve(env);
      await serverUrl(first);
      const second = await runCandor(['serve', '--port', '0'], env);
      expect(second.code).not.toBe(0);
      expect(second.stderr).toContain(`The embedded database in ${dataDir} is in use by process ${first.child.pid} (candor serve)`);
      // The first server still owns the lock.
      expect(JSON.parse(readFileSync(join(dataDir, 'candor.lock'), 'utf8')).pid).toBe(first.child.pid);
    },
    childTimeout,
  );

  it(
    'makes a CLI command refuse while another process holds the database, in one line saying to run it again later',
    async () => {
      // A running server would run the command itself (test/cliBesideServer.test.ts); this holder is no server.
      const holder = await openDatabase({ dataDir, command: 'import' });
      try {
        const result = await runCandor(['export', '--workspace', 'locked', '--object', 'company'], env);
        expect(result.code).not.toBe(0);
        expect(result.stderr).toBe(
          `candor: The embedded database in ${dataDir} is in use by process ${process.pid} (candor import). Run this again when it has finished.\n`,
        );
        expect(result.stdout).toBe('');
      } finally {
        await holder.close();
      }
    },
    childTimeout,
  );
});

describe('a server killed with SIGKILL', () => {
  let database: TestDatabase | undefined;
  let env: NodeJS.ProcessEnv;
  let dataDir: string | undefined;
  let key: string;

  beforeAll(async () => {
    if (testDatabaseUrl) {
      database = await openTestDatabase({ migrate: false });
      env = candorEnv({ DATABASE_URL: database.url ?? '' });
      const opened = database;
      key = await prepareWorkspace(async () => ({ database: opened, close: async () => undefined }));
    } else {
      dataDir = await migratedTempDataDir();
      env = candorEnv({ CANDOR_DATA_DIR: dataDir });
      const dir = dataDir;
      key = await prepareWorkspace(async () => {
        const opened = await openDatabase({ dataDir: dir, command: 'test' });
        return { database: opened, close: () => opened.close() };
      });
    }
  });
  afterAll(() => database?.close());

  it(
    'leaves its directory openable by the next start, with every committed write in it',
    async () => {
      const first = serve(env);
      const url = await serverUrl(first);
      const csv = 'first_name,last_name,email\nKira,Lindgren,kira@durable.example.com\nOmar,Haddad,omar@durable.example.com\n';
      const imported = await fetch(`${url}/api/v1/imports?object=contact`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' },
        body: csv,
      });
      expect(imported.status).toBe(201);
      const batchId = ((await imported.json()) as { data: { id: string } }).data.id;

      first.child.kill('SIGKILL');
      expect((await first.exited).signal).toBe('SIGKILL');
      if (dataDir) expect(JSON.parse(readFileSync(join(dataDir, 'candor.lock'), 'utf8')).pid).toBe(first.child.pid);

      const next = serve(env);
      const nextUrl = await serverUrl(next);
      const batch = await fetch(`${nextUrl}/api/v1/imports/${batchId}`, { headers: { authorization: `Bearer ${key}` } });
      expect(((await batch.json()) as { data: { status: string } }).data.status).toBe('published');
      const exported = (await (await fetch(`${nextUrl}/api/v1/exports/contacts.json`, { headers: { authorization: `Bearer ${key}` } })).json()) as Array<{
        email: string;
      }>;
      expect(exported.map((contact) => contact.email).sort()).toEqual(['kira@durable.example.com', 'omar@durable.example.com']);
    },
    childTimeout,
  );
});
