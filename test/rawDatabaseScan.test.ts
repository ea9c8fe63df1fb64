import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createImportBatch } from '../src/crm/import/importBatches.ts';
import { openDatabase, type Database } from '../src/db/connection.ts';
import { newId } from '../src/db/ids.ts';
import { migrateDatabase } from '../src/migrate.ts';
import { systemContext } from '../src/kernel/accessContext.ts';
import { stageImportRows } from '../src/kernel/importStaging.ts';
import { storeImportUpload } from '../src/kernel/importUploads.ts';
import { copyMigratedDataDir } from './support/databaseTemplates.ts';
import { createTestApp, type TestApp } from './support/testApp.ts';

// The acceptance test of "the database holds no plaintext personal data": contacts written
// through every path (API create and update, CSV import, an import left staging, a queued
// import's file) with a
// unique marker in every field, then the raw storage is searched for the markers — every
// row of every table as text (the live database) and every byte of the data directory
// (PGlite on disk). A marker stored on purpose as plaintext in a non-personal column (a
// company name) must be found by the same scan, so the scan is shown able to fail.

type Markers = { personal: string[]; control: string };

function newMarkers(): Markers & { values: Record<string, string> } {
  const tag = randomBytes(5).toString('hex');
  const digits = String(1_000_000 + (randomBytes(3).readUIntBE(0, 3) % 8_999_999));
  const values = {
    firstName: `mkfirst${tag}`,
    lastName: `mklast${tag}`,
    email: `mkemail${tag}@markerhost.example`,
    phone: `+1555${digits}`,
    jobTitle: `mkjob${tag}`,
    city: `mkcity${tag}`,
    country: `mkcountry${tag}`,
    custom: `mkcustom${tag}`,
    patched: `mkpatched${tag}`,
    imported: `mkimported${tag}`,
    importedEmail: `mkimportmail${tag}@markerhost.example`,
    staged: `mkstaged${tag}`,
    stagedEmail: `mkstagemail${tag}@markerhost.example`,
    queued: `mkqueued${tag}`,
    queuedEmail: `mkqueuemail${tag}@markerhost.example`,
  };
  // The phone is searched without its "+" as well: a leak in another spelling still counts.
  const personal = [...Object.values(values), `555${digits}`];
  return { values, personal, control: `mkcontrolcompany${tag}` };
}

/** Writes marked contacts through the API (sales key), a CSV import and a staged import. */
async function writeMarkedData(t: TestApp, marks: ReturnType<typeof newMarkers>): Promise<void> {
  const workspace = await t.createWorkspace();
  const { values } = marks;
  const field = await t.request(workspace.keys.admin, {
    method: 'POST',
    url: '/api/v1/custom-fields',
    payload: { object: 'contact', key: 'loyalty_note', label: 'Loyalty note', type: 'text', dataCategory: 'user.contact' },
  });
  expect(field.statusCode).toBe(201);
  const created = await t.request(workspace.keys.sales, {
    method: 'POST',
    url: '/api/v1/contacts',
    payload: {
      firstName: values.firstName,
      lastName: values.lastName,
      email: values.email,
      phone: values.phone,
      jobTitle: values.jobTitle,
      city: values.city,
      country: values.country,
      customFields: { loyalty_note: values.custom },
    },
  });
  expect(created.statusCode).toBe(201);
  const { id, version } = created.json().data as { id: string; version: number };
  const patched = await t.request(workspace.keys.sales, {
    method: 'PATCH',
    url: `/api/v1/contacts/${id}`,
    headers: { 'if-match': `"${version}"` },
    payload: { jobTitle: values.patched },
  });
  expect(patched.statusCode).toBe(200);
  const found = await t.request(workspace.keys.sales, { method: 'POST', url: '/api/v1/contacts/search', payload: { name: values.lastName.slice(0, 6) } });
  expect(found.json().data.map((row: { id: string }) => row.id)).toContain(id);

  const csv = `first_name,last_name,email\n${values.imported},Importee,${values.importedEmail}\n`;
  const imported = await t.request(workspace.keys.sales, {
    method: 'POST',
    url: '/api/v1/imports?object=contact',
    payload: csv,
    headers: { 'content-type': 'text/csv' },
  });
  expect(imported.statusCode).toBe(201);

  // An import that stopped while staging: its rows stay in import_staging.
  const ctx = systemContext(workspace.id, 'raw-scan', 'sales');
  await t.database.db.transaction(async (tx) => {
    const batchId = await createImportBatch(tx, ctx, { object: 'contact' });
    await stageImportRows(tx, ctx, batchId, [
      { line: 2, recordId: newId(), attributes: {}, personal: { first_name: values.staged, email: values.stagedEmail } },
    ]);
  });
  // A background import whose job has not run yet: its file waits in import_uploads.
  await t.database.db.transaction(async (tx) => {
    const batchId = await createImportBatch(tx, ctx, { object: 'contact', status: 'queued' });
    await storeImportUpload(tx, ctx, batchId, Buffer.from(`first_name,email\n${values.queued},${values.queuedEmail}\n`), ['first_name', 'email']);
  });

  const company = await t.request(workspace.keys.sales, { method: 'POST', url: '/api/v1/companies', payload: { name: marks.control } });
  expect(company.statusCode).toBe(201);
}

/** Markers found in any row of any table of the public schema, each as "table: marker". */
async function scanTables(database: Database, markers: string[]): Promise<string[]> {
  const tables = await database.query<{ name: string }>(
    "select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1",
  );
  expect(tables.map((table) => table.name)).toEqual(expect.arrayContaining(['contacts', 'import_staging', 'import_uploads', 'lookup_tokens', 'audit_entries']));
  const found: string[] = [];
  for (const { name } of tables) {
    const rows = await database.query<{ row: string }>(`select t::text as row from "${name}" t`);
    const text = rows
      .map((row) => row.row)
      .join('\n')
      .toLowerCase();
    for (const marker of markers) if (text.includes(marker.toLowerCase())) found.push(`${name}: ${marker}`);
  }
  return found;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Markers found in the bytes of any file under `dir`, each as "file: marker". */
function scanFiles(dir: string, markers: string[]): string[] {
  const found: string[] = [];
  for (const file of filesUnder(dir)) {
    const bytes = readFileSync(file);
    for (const marker of markers) if (bytes.includes(Buffer.from(marker, 'utf8'))) found.push(`${file.slice(dir.length)}: ${marker}`);
  }
  return found;
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('raw database scan', () => {
  it('finds no personal value in any row of any table, and finds the plaintext control value', async () => {
    const t = await createTestApp();
    try {
      const marks = newMarkers();
      await writeMarkedData(t, marks);
      expect(await scanTables(t.database, marks.personal)).toEqual([]);
      expect(await scanTables(t.database, [marks.control])).toEqual([`companies: ${marks.control}`]);
    } finally {
      await t.close();
    }
  }, 120_000);

  it('finds no personal value in any file of an embedded database directory after a checkpoint', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'candor-rawscan-'));
    dirs.push(dataDir);
    await copyMigratedDataDir(dataDir);
    const database = await openDatabase({ dataDir, command: 'test' });
    await migrateDatabase(database);
    const t = await createTestApp({ database });
    const marks = newMarkers();
    try {
      await writeMarkedData(t, marks);
      await database.query('checkpoint');
    } finally {
      await t.close();
    }
    expect(scanFiles(dataDir, marks.personal)).toEqual([]);
    expect(scanFiles(dataDir, [marks.control]).length).toBeGreaterThan(0);
  }, 120_000);
});
