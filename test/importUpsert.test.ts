import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { backfillContactExternalIdIndexes, pendingExternalIdRows } from '../src/kernel/externalIdBackfill.ts';
import { auditTrailForSubject } from '../src/kernel/audit.ts';
import { systemContext } from '../src/kernel/accessContext.ts';
import { findContactIdsByLookup } from '../src/kernel/contactRecords.ts';
import { rowsOf } from '../src/db/rows.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';
import { grantTestDefaults } from './support/contactPolicy.ts';

// Issue 9: imports that update existing records (mode=upsert), their undo, and the
// external id's own blind index (filled for contacts stored before it existed).

let t: TestApp;
let workspace: TestWorkspace;
let other: TestWorkspace;

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
  other = await t.createWorkspace();
  await grantTestDefaults(t, workspace.id);
  await grantTestDefaults(t, other.id);
});
afterAll(() => t.close());

function postImport(csv: string, query: string, key = workspace.keys.admin) {
  return t.request(key, { method: 'POST', url: `/api/v1/imports?${query}`, payload: csv, headers: { 'content-type': 'text/csv' } });
}

async function createContact(payload: Record<string, unknown>, key = workspace.keys.admin): Promise<string> {
  const response = await t.request(key, { method: 'POST', url: '/api/v1/contacts', payload });
  expect(response.statusCode).toBe(201);
  return response.json().data.id;
}

async function readContact(id: string, key = workspace.keys.admin) {
  return t.request(key, { method: 'GET', url: `/api/v1/contacts/${id}` });
}

const contactCount = async (tenantId = workspace.id) =>
  (await t.database.query<{ n: number }>('select count(*)::int as n from contacts where tenant_id = $1', [tenantId]))[0].n;

describe('upsert imports', () => {
  it('updates the contacts whose e-mail matches, creates the others, and undo removes only the created ones', async () => {
    const existing = await createContact({ firstName: 'Ada', lastName: 'Old', email: 'ada@upsert.example', city: 'Leeds' });
    const before = await contactCount();
    const csv = 'Email,First Name,Last Name,Job Title\nADA@upsert.example,,Lovelace,Analyst\nnew@upsert.example,Nia,New,\n';
    const response = await postImport(csv, 'object=contact&mode=upsert&matchOn=email');
    expect(response.statusCode).toBe(201);
    const report = response.json().data;
    expect(report).toMatchObject({ mode: 'upsert', importedRows: 1, updatedRows: 1, invalidRows: 0 });
    expect(await contactCount()).toBe(before + 1);
    // Empty cells leave values as they were; the name's lookup tokens follow the change.
    expect((await readContact(existing)).json().data).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace', jobTitle: 'Analyst', city: 'Leeds', version: 2 });
    const search = await t.request(workspace.keys.admin, { method: 'POST', url: '/api/v1/contacts/search', payload: { name: 'Lovel' } });
    expect(search.json().data.map((row: { id: string }) => row.id)).toEqual([existing]);

    // The person the import changed finds it in their own audit trail (names of fields, no values).
    const trail = await auditTrailForSubject(t.database.db, workspace.id, { subjectId: existing });
    expect(trail.map((entry) => entry.action)).toContain('import.published');
    expect(JSON.stringify(trail)).not.toContain('Lovelace');

    const undo = await t.request(workspace.keys.admin, { method: 'POST', url: `/api/v1/imports/${report.id}/undo` });
    expect(undo.statusCode).toBe(200);
    expect(undo.json().data).toMatchObject({ status: 'undone', removedContacts: 1, keptUpdated: 1 });
    expect(await contactCount()).toBe(before);
    // The person who existed before the import is still there (undo does not delete people it updated).
    expect((await readContact(existing)).statusCode).toBe(200);
  });

  it('updates by external id, and finds contacts by it after a plain import stored it', async () => {
    const first = await postImport('Record ID,Email,First Name\nhs-901,ext1@upsert.example,Eve\n', 'object=contact');
    expect(first.statusCode).toBe(201);
    const [id] = (await findContactIdsByLookup(t.database.db, systemContext(workspace.id, 'test', 'sales'), 'external_id', ['hs-901'])).get('hs-901') ?? [];
    expect(id).toBeDefined();
    const second = await postImport('Record ID,Email,First Name\nhs-901,ext1.moved@upsert.example,Eva\n', 'object=contact&mode=upsert&matchOn=externalId');
    expect(second.json().data).toMatchObject({ importedRows: 0, updatedRows: 1 });
    expect((await readContact(id)).json().data).toMatchObject({ email: 'ext1.moved@upsert.example', firstName: 'Eva', externalId: 'hs-901' });
    // The batch API's upsert finds the same person by the same index.
    const batch = await t.request(workspace.keys.admin, {
      method: 'POST',
      url: '/api/v1/contacts/batch',
      payload: { mode: 'atomic', matchOn: 'externalId', items: [{ op: 'upsert', data: { externalId: 'hs-901', city: 'Oslo' } }] },
    });
    expect(batch.json().data[0]).toMatchObject({ outcome: 'updated', id });
  });

  it('refuses rows that match the same contact twice, and an address another contact holds', async () => {
    await createContact({ email: 'held@upsert.example' });
    await createContact({ email: 'twice@upsert.example' });
    const csv = 'Email,First Name\ntwice@upsert.example,One\ntwice@upsert.example,Two\n';
    const response = await postImport(csv, 'object=contact&mode=upsert&matchOn=email');
    expect(response.statusCode).toBe(422);
    expect(response.json().errors).toEqual([{ field: 'line 3: email', reason: 'matches the record the row on line 2 updates' }]);
    const byExternal = await postImport('Record ID,Email\nnobody-1,held@upsert.example\n', 'object=contact&mode=upsert&matchOn=externalId');
    expect(byExternal.statusCode).toBe(422);
    expect(byExternal.json().errors).toEqual([{ field: 'line 2: email', reason: 'already used by a contact in this workspace' }]);
  });

  it('keeps the key of a contact an upsert row was staged for when the import fails later', async () => {
    const existing = await createContact({ email: 'kept-key@upsert.example', firstName: 'Kim' });
    // The first 1,000 rows are staged (the update among them) before line 1,002 fails the import.
    const rows = ['kept-key@upsert.example,Kimberly', ...Array.from({ length: 999 }, (_, i) => `filler${i}@upsert.example,F${i}`), 'not-an-address,Bad'];
    const response = await postImport(`Email,First Name\n${rows.join('\n')}\n`, 'object=contact&mode=upsert');
    expect(response.statusCode).toBe(422);
    expect(response.json().errors).toEqual([{ field: 'line 1002: email', reason: expect.any(String) }]);
    // Abandoning the batch shredded the keys of the contacts it would have created, not this one's.
    const read = await readContact(existing);
    expect(read.json().data).toMatchObject({ email: 'kept-key@upsert.example', firstName: 'Kim', version: 1 });
    expect(read.json().withheld).toEqual([]);
  });

  it("never updates another workspace's contact", async () => {
    const theirs = await createContact({ email: 'cross@upsert.example', firstName: 'Theirs' }, other.keys.admin);
    const response = await postImport('Email,First Name\ncross@upsert.example,Ours\n', 'object=contact&mode=upsert');
    expect(response.json().data).toMatchObject({ importedRows: 1, updatedRows: 0 });
    expect((await readContact(theirs, other.keys.admin)).json().data).toMatchObject({ firstName: 'Theirs', version: 1 });
  });

  it('refuses a row matching a restricted person instead of changing them', async () => {
    const restricted = await createContact({ email: 'restricted@upsert.example', firstName: 'Rita' });
    await t.database.query('insert into restrictions (tenant_id, subject_id, restricted_at) values ($1, $2, $3)', [
      workspace.id,
      restricted,
      new Date(Date.now() - 1000),
    ]);
    const response = await postImport('Email,First Name\nrestricted@upsert.example,Changed\n', 'object=contact&mode=upsert');
    expect(response.statusCode).toBe(422);
    expect(response.json().errors[0]).toMatchObject({ field: 'line 2: row' });
    expect(response.json().errors[0].reason).toContain('restricted');
  });

  it('updates companies by external id', async () => {
    const created = await postImport('Account ID,Account Name,Industry\nacc-77,Umbrella,Pharma\n', 'object=company');
    expect(created.statusCode).toBe(201);
    const updated = await postImport('Account ID,Account Name,Industry\nacc-77,Umbrella Corp,\n', 'object=company&mode=upsert');
    expect(updated.json().data).toMatchObject({ importedRows: 0, updatedRows: 1 });
    const [row] = await t.database.query<{ name: string; industry: string; version: number }>(
      "select name, industry, version from companies where tenant_id = $1 and external_id = 'acc-77'",
      [workspace.id],
    );
    expect(row).toEqual({ name: 'Umbrella Corp', industry: 'Pharma', version: 2 });
  });

  it('refuses matchOn without mode=upsert, and a match a company import cannot make', async () => {
    expect((await postImport('Email\na@b.example\n', 'object=contact&matchOn=email')).statusCode).toBe(422);
    const response = await postImport('Account Name\nX\n', 'object=company&mode=upsert&matchOn=email');
    expect(response.statusCode).toBe(422);
    expect(response.json().errors).toEqual([{ field: 'matchOn', reason: 'a company import matches on externalId or domain' }]);
  });
});

describe('the external id blind index of contacts stored before it existed', () => {
  it('is filled in code by the data upgrade, resumably and idempotently', async () => {
    const id = await createContact({ email: 'legacy@upsert.example', externalId: 'legacy-42' });
    await t.database.db.execute(sql`update contacts set external_id_index = null where tenant_id = ${workspace.id}::uuid`);
    const ctx = systemContext(workspace.id, 'test', 'sales');
    expect((await findContactIdsByLookup(t.database.db, ctx, 'external_id', ['legacy-42'])).size).toBe(0);
    expect(await backfillContactExternalIdIndexes(t.database.db)).toBeGreaterThanOrEqual(1);
    expect((await findContactIdsByLookup(t.database.db, ctx, 'external_id', ['legacy-42'])).get('legacy-42')).toEqual([id]);
    expect(await backfillContactExternalIdIndexes(t.database.db)).toBe(0);
  });

  it('finds the contacts still waiting through a partial index, not by scanning every contact', async () => {
    const plan = await t.database.db.transaction(async (tx) => {
      // A table this small is cheaper to scan; forbidding that shows the index can serve the query.
      await tx.execute(sql`set local enable_seqscan = off`);
      const explained = await tx.execute(sql`explain ${pendingExternalIdRows({ tenantId: workspace.id, id: workspace.id })}`);
      return rowsOf<{ 'QUERY PLAN': string }>(explained)
        .map((row) => row['QUERY PLAN'])
        .join('\n');
    });
    expect(plan).toContain('contacts_external_id_pending_idx');
  });
});
