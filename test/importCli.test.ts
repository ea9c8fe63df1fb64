import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../src/accounts/users.ts';
import { createWorkspace } from '../src/accounts/workspaces.ts';
import { discardAbandonedImports } from '../src/crm/import/importService.ts';
import { openDatabase, type Database } from '../src/db/connection.ts';
import { migrateDatabase } from '../src/migrate.ts';
import { systemContext } from '../src/kernel/accessContext.ts';
import { readContacts } from '../src/kernel/contactRecords.ts';
import { startKernel } from '../src/kernel/runtime.ts';
import { copyMigratedDataDir } from './support/databaseTemplates.ts';
import { candorEnv, removeTempDataDirs, runCandor, startCandor, stopCandor, tempDataDir, type CandorProcess } from './support/candorProcess.ts';
import { openTestDatabase, testDatabaseUrl, type TestDatabase } from './support/testDatabase.ts';
import { codeBlocks, readmeSection, shellWords } from './support/readme.ts';

// `candor import` as a user runs it: a child process on the embedded database (or on
// PostgreSQL when TEST_DATABASE_URL is set). While the child runs it holds the embedded
// database's lock, so this test opens the directory only between commands.

const fixtures = new URL('./fixtures/import/', import.meta.url);
const fixture = (name: string) => new URL(name, fixtures).pathname;
const slowTest = 240_000;

let env: NodeJS.ProcessEnv;
let dataDir: string;
let postgres: TestDatabase | undefined;
let tenantId: string;

/** Opens the database the children use; on the embedded one only while no child runs. */
async function withDatabase<T>(work: (database: Database) => Promise<T>): Promise<T> {
  if (postgres) return work(postgres);
  const database = await openDatabase({ dataDir, command: 'test' });
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

const count = (database: Database, sqlText: string) => database.query<{ n: number }>(sqlText, [tenantId]).then(([row]) => row.n);

beforeAll(async () => {
  dataDir = tempDataDir();
  if (testDatabaseUrl) {
    postgres = await openTestDatabase();
    env = candorEnv({ DATABASE_URL: postgres.url ?? '' });
  } else {
    await copyMigratedDataDir(dataDir);
    env = candorEnv({ CANDOR_DATA_DIR: dataDir });
  }
  // The children seal contacts under this key store; the test reads them back with the same one.
  startKernel({ dataDir, databaseUrl: postgres?.url }, env);
  tenantId = await withDatabase(async (database) => {
    await migrateDatabase(database);
    const workspace = await createWorkspace(database.db, { slug: 'cli', name: 'CLI import' });
    for (const email of ['sales.one@candor.example.org', 'sales.two@candor.example.org']) {
      await addUser(database.db, { tenantId: workspace.id, email, displayName: email, role: 'sales' });
    }
    return workspace.id;
  });
});
afterAll(async () => {
  await postgres?.close();
  removeTempDataDirs();
});

describe('candor import', () => {
  let hubspotBatch: string;

  it(
    'imports a HubSpot export with a progress bar and prints a summary without personal values',
    async () => {
      const result = await runCandor(['import', '--workspace', 'cli', '--object', 'contact', fixture('hubspot-contacts.csv')], env);
      expect(result.code).toBe(0);
      const match = /^import ([0-9a-f-]{36}) \(contact\): published$/m.exec(result.stdout);
      expect(match).not.toBeNull();
      hubspotBatch = match?.[1] ?? '';
      expect(result.stdout).toContain('rows read: 7, imported: 7, invalid: 0');
      expect(result.stderr).toMatch(/import \[#+\] 100% [\d,]+\/[\d,]+ .*done in/);
      const output = `${result.stdout}${result.stderr}`.toLowerCase();
      for (const value of ['maria', 'fernández', 'tomas.ribeiro', '+34 91 555 0101', 'raman', 'marketing manager']) expect(output).not.toContain(value);
      await withDatabase(async (database) => {
        const rows = (await readContacts(database.db, systemContext(tenantId, 'test', 'sales'), { where: { importBatchId: hubspotBatch }, limit: 100 })).rows;
        expect(rows.find((row) => row.personal.last_name === 'Raman')?.personal).toMatchObject({ email: 'priya@initech.example.com', job_title: 'VP Sales' });
      });
    },
    slowTest,
  );

  it(
    'with --skip-invalid reports each bad row by line and reason; without it imports nothing and exits 2',
    async () => {
      const skipping = await runCandor(['import', '--workspace', 'cli', '--object', 'contact', '--skip-invalid', fixture('contacts-with-errors.csv')], env);
      expect(skipping.code).toBe(0);
      expect(skipping.stdout).toContain('rows read: 8, imported: 3, invalid: 5');
      for (const line of ['line 3, email: not a valid email address', 'line 4, row:', 'line 6, createdAt:', 'line 9, phone:', 'line 10, ownerEmail:']) {
        expect(skipping.stdout).toContain(line);
      }
      expect(skipping.stdout).not.toContain('ben.carter');
      expect(skipping.stdout).not.toContain('call me maybe');

      const strict = await runCandor(['import', '--workspace', 'cli', '--object', 'contact', fixture('contacts-with-errors.csv')], env);
      expect(strict.code).toBe(2);
      expect(strict.stdout).toContain('nothing was imported');
      const batch = /^import ([0-9a-f-]{36}) \(contact\): failed$/m.exec(strict.stdout)?.[1];
      await withDatabase(async (database) => {
        expect(await count(database, `select count(*)::int as n from contacts where tenant_id = $1 and import_batch_id = '${batch}'`)).toBe(0);
      });
    },
    slowTest,
  );

  it(
    "runs the README's upsert import: a second run updates the contacts by external id instead of creating them",
    async () => {
      const [block] = codeBlocks(readmeSection('Bulk API'), 'sh').filter((text) => text.trimStart().startsWith('npx candor import'));
      const words = shellWords(block, {}).slice(2);
      const args = words.map((word, index) => (words[index - 1] === '--workspace' ? 'cli' : word.endsWith('.csv') ? fixture('salesforce-contacts.csv') : word));
      expect(args).toContain('--update-existing');
      const first = await runCandor(args, env);
      expect(first.code).toBe(0);
      const created = /imported: (\d+), updated: 0, invalid: 0/.exec(first.stdout);
      expect(created).not.toBeNull();
      const second = await runCandor(args, env);
      expect(second.code).toBe(0);
      expect(second.stdout).toContain(`imported: 0, updated: ${created?.[1]}, invalid: 0`);
      const batch = /^import ([0-9a-f-]{36}) \(contact\): published$/m.exec(second.stdout)?.[1] ?? '';
      const undo = await runCandor(['import', 'undo', batch, '--workspace', 'cli'], env);
      expect(undo.stdout).toContain(`kept ${created?.[1]} existing record(s) the import updated`);
      await runCandor(['import', 'undo', /^import ([0-9a-f-]{36})/m.exec(first.stdout)?.[1] ?? '', '--workspace', 'cli'], env);
    },
    slowTest,
  );

  it(
    'undoes an import with candor import undo',
    async () => {
      const result = await runCandor(['import', 'undo', hubspotBatch, '--workspace', 'cli'], env);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`import ${hubspotBatch} (contact): undone`);
      expect(result.stdout).toContain('removed 7 contact(s)');
      await withDatabase(async (database) => {
        expect(await count(database, `select count(*)::int as n from contacts where tenant_id = $1 and import_batch_id = '${hubspotBatch}'`)).toBe(0);
      });
    },
    slowTest,
  );

  it(
    'exports what was imported to a file with candor export',
    async () => {
      const out = join(dataDir, 'export.csv');
      const result = await runCandor(['export', '--workspace', 'cli', '--object', 'contact', '--purpose', 'sales', '--out', out], env);
      expect(result.code).toBe(0);
      expect(result.stderr).toContain('exported 3 contact(s)');
      const text = readFileSync(out, 'utf8');
      expect(text.split('\n')[0]).toBe(
        'id,firstName,lastName,email,phone,jobTitle,companyName,companyDomain,lifecycleStage,ownerEmail,city,country,externalId,createdAt',
      );
      const rows: Array<Record<string, string>> = parse(text, { columns: true });
      expect(rows.map((row) => row.externalId).sort()).toEqual(['e_001', 'e_005', 'e_008']);
      expect(rows.find((row) => row.externalId === 'e_005')?.jobTitle).toBe('Head of\nSales, EMEA');
    },
    slowTest,
  );

  it(
    'publishes nothing when the import is killed with SIGKILL while staging',
    async () => {
      const file = join(dataDir, 'large.csv');
      const rows = 60_000;
      const lines = ['first_name,last_name,email,city'];
      for (let index = 0; index < rows; index++) lines.push(`Gen${index},Erated${index},gen${index}@killed.example.com,Oslo`);
      writeFileSync(file, `${lines.join('\n')}\n`);
      const before = await withDatabase((database) => count(database, 'select count(*)::int as n from contacts where tenant_id = $1'));

      let child: CandorProcess | undefined;
      try {
        child = startCandor(['import', '--workspace', 'cli', '--object', 'contact', file], env);
        const batchId = (await child.waitFor(/import ([0-9a-f-]{36}): staging/))[1];
        if (postgres) {
          // On PostgreSQL the test can watch staging happen, and kills once rows are staged.
          const database = postgres;
          for (let staged = 0; staged === 0; ) {
            [{ n: staged }] = await database.query<{ n: number }>('select total_rows as n from import_batches where id = $1', [batchId]);
            if (staged === 0) await new Promise((resolve) => setTimeout(resolve, 50));
          }
        } else {
          // The embedded database is locked by the child; its progress bar shows staging under way.
          await child.waitFor(/import \[#+\.+\] [2-9]\d%/);
        }
        child.child.kill('SIGKILL');
        expect((await child.exited).signal).toBe('SIGKILL');

        await withDatabase(async (database) => {
          const [batch] = await database.query<{ status: string; total_rows: number }>('select status, total_rows from import_batches where id = $1', [
            batchId,
          ]);
          expect(batch.status).toBe('running');
          expect(batch.total_rows).toBeGreaterThan(0);
          expect(batch.total_rows).toBeLessThan(rows);
          expect(await count(database, 'select count(*)::int as n from import_staging where tenant_id = $1')).toBeGreaterThan(0);
          expect(await count(database, 'select count(*)::int as n from contacts where tenant_id = $1')).toBe(before);
          expect(await count(database, "select count(*)::int as n from lookup_tokens where tenant_id = $1 and token like '%killed.example.com'")).toBe(0);

          // Staged rows are sealed under keys made for the contacts they would have become.
          const orphanKeys =
            'select count(*)::int as n from subject_keys k where k.tenant_id = $1 and not exists (select 1 from contacts c where c.tenant_id = k.tenant_id and c.id = k.subject_id)';
          expect(await count(database, orphanKeys)).toBeGreaterThan(0);
          // The next import (or server start) finds the abandoned batch, drops what it staged and shreds those keys.
          expect(await discardAbandonedImports(database, { idleMs: 0 })).toBe(1);
          expect(await count(database, orphanKeys)).toBe(0);
          const [after] = await database.query<{ status: string }>('select status from import_batches where id = $1', [batchId]);
          expect(after.status).toBe('failed');
          expect(await count(database, 'select count(*)::int as n from import_staging where tenant_id = $1')).toBe(0);
        });
      } finally {
        await stopCandor(child, 'SIGKILL');
      }
    },
    slowTest,
  );
});
