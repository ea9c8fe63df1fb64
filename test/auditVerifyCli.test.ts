import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace } from '../src/accounts/workspaces.ts';
import { openDatabase, type Database } from '../src/db/connection.ts';
import { migrateDatabase } from '../src/migrate.ts';
import { systemContext } from '../src/kernel/accessContext.ts';
import { createContact, requireContact } from '../src/crm/contacts/contactService.ts';
import { eraseSubject } from '../src/privacy/erasure/subjectErasure.ts';
import { appendAuditBatch, auditTrailForSubject, configureAudit } from '../src/kernel/audit.ts';
import { configureKernel } from '../src/kernel/runtime.ts';
import { advanceEpoch, FileKeyStore } from '../src/kernel/vault/index.ts';
import { candorEnv, removeTempDataDirs, runCandor, tempDataDir } from './support/candorProcess.ts';
import { copyMigratedDataDir } from './support/databaseTemplates.ts';
import { openTestDatabase, testDatabaseUrl, type TestDatabase } from './support/testDatabase.ts';

// `candor verify` as an operator runs it: a child process on an embedded data directory in a
// temporary folder, or on the PostgreSQL test database when TEST_DATABASE_URL is set.
const dataDir = tempDataDir('candor-verify-');
// The children sign and check checkpoints with the same key store as this process.
const keyStoreDir = join(dataDir, 'keys');
let postgres: TestDatabase | undefined;

async function withDatabase<T>(work: (database: Database) => Promise<T>): Promise<T> {
  if (postgres) return work(postgres);
  const database = await openDatabase({ dataDir, command: 'auditVerifyCli.test' });
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

async function candorVerify(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const database: Record<string, string> = postgres?.url ? { DATABASE_URL: postgres.url } : { CANDOR_DATA_DIR: dataDir };
  const result = await runCandor(['verify', ...args], candorEnv({ ...database, CANDOR_KEYSTORE: keyStoreDir }));
  return { ...result, code: result.code ?? -1 };
}

// Each run opens the database in a fresh process: allow for a busy machine.
const cliTimeout = 240_000;
const suffix = String(process.pid);
const intact = `intact-${suffix}`;
const tampered = `tampered-${suffix}`;
// As the outside tester found it: 1,116 entries, one checkpoint due every 1,000 (the CLI's interval).
const pruned = `pruned-${suffix}`;
const prunedEntries = 1116;
const erased = `erased-${suffix}`;

beforeAll(async () => {
  const keyStore = configureKernel(new FileKeyStore(keyStoreDir));
  configureAudit({ checkpointEvery: 5 });
  if (testDatabaseUrl) postgres = await openTestDatabase();
  else await copyMigratedDataDir(dataDir);
  await withDatabase(async (database) => {
    await migrateDatabase(database);
    for (const slug of [intact, tampered]) {
      const workspace = await createWorkspace(database.db, { slug, name: slug });
      await appendAuditBatch(
        database.db,
        systemContext(workspace.id, 'cli-test', 'sales'),
        Array.from({ length: 7 }, (_, index) => ({ action: 'deal.updated', detail: { index } })),
      );
    }
    const prunedWorkspace = await createWorkspace(database.db, { slug: pruned, name: pruned });
    await appendAuditBatch(
      database.db,
      systemContext(prunedWorkspace.id, 'cli-test', 'sales'),
      Array.from({ length: prunedEntries }, (_, index) => ({ action: 'deal.updated', detail: { index } })),
    );
    // A contact created, read, deleted (erased) and the key epoch advanced past it: its
    // subject index rows are gone while its entries stay in the chain.
    const workspace = await createWorkspace(database.db, { slug: erased, name: erased });
    const ctx = systemContext(workspace.id, 'cli-test', 'sales');
    const id = await database.db.transaction((tx) => createContact(tx, ctx, { firstName: 'Erased', email: 'erased@example.org' }));
    await database.db.transaction((tx) => requireContact(tx, ctx, id));
    expect(await auditTrailForSubject(database.db, workspace.id, { subjectId: id })).not.toEqual([]);
    await database.db.transaction((tx) => eraseSubject(tx, workspace.id, id, { reason: 'staff_deletion', actor: ctx }));
    await advanceEpoch(database, keyStore, workspace.id);
    expect(await auditTrailForSubject(database.db, workspace.id, { subjectId: id })).toEqual([]);
  });
});

afterAll(async () => {
  await postgres?.close();
  removeTempDataDirs();
});

describe('candor verify', () => {
  it(
    'exits 0 and reports every workspace ok while the chains are untouched',
    async () => {
      const result = await candorVerify();
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`ok ${intact}:`);
      expect(result.stdout).toContain(`ok ${tampered}:`);
      expect(result.stdout).toContain(`ok ${erased}:`);
    },
    cliTimeout,
  );

  it(
    'prints the latest signed checkpoint as a JSON line for publishing',
    async () => {
      const result = await candorVerify('--workspace', intact, '--print-checkpoint');
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout.trim())).toMatchObject({
        workspace: intact,
        sequence: 5,
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        signature: expect.any(String),
      });
    },
    cliTimeout,
  );

  it(
    'exits non-zero naming the workspace and the first broken entry once a chain is tampered with',
    async () => {
      await withDatabase(async (database) => {
        await database.exec('alter table audit_entries disable trigger user');
        await database.query(
          `update audit_entries set action = 'nothing.happened'
         where sequence = 4 and tenant_id = (select id from workspaces where slug = $1)`,
          [tampered],
        );
        await database.exec('alter table audit_entries enable trigger user');
      });
      const all = await candorVerify();
      expect(all.code).toBe(3);
      expect(all.stdout).toContain(`BROKEN ${tampered}: first broken entry 4`);
      expect(all.stdout).toContain(`ok ${intact}:`);
      const one = await candorVerify('--workspace', intact);
      expect(one.code).toBe(0);
    },
    cliTimeout,
  );

  it(
    'refuses an unknown workspace and a malformed anchor',
    async () => {
      expect((await candorVerify('--workspace', `missing-${suffix}`)).code).not.toBe(0);
      const anchor = await candorVerify('--workspace', intact, '--anchor', '5:nothex');
      expect(anchor.code).toBe(2);
    },
    cliTimeout,
  );

  it(
    'exits non-zero naming the missing checkpoint once every checkpoint row is deleted',
    async () => {
      expect((await candorVerify('--workspace', pruned)).code).toBe(0);
      await withDatabase(async (database) => {
        await database.exec('alter table audit_checkpoints disable trigger user');
        await database.query('delete from audit_checkpoints where tenant_id = (select id from workspaces where slug = $1)', [pruned]);
        await database.exec('alter table audit_checkpoints enable trigger user');
      });
      const result = await candorVerify('--workspace', pruned);
      expect(result.code).toBe(3);
      expect(result.stdout).toContain(`BROKEN ${pruned}: first broken entry 1000`);
      expect(result.stdout).toContain('checkpoint at entry 1000 is missing');
    },
    cliTimeout,
  );
});
