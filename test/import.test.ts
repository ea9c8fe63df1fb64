import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../src/accounts/users.ts';
import { systemContext, type PurposeContext } from '../src/kernel/accessContext.ts';
import { findContactIdsByLookup, readContacts, type ContactRecord } from '../src/kernel/contactRecords.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

// CSV imports through the API: fixtures with real HubSpot and Salesforce header rows, the
// all-or-nothing rule, --skip-invalid reports, company linking and undo.

let t: TestApp;
let workspace: TestWorkspace;
let ctx: PurposeContext;
const owners: Record<string, string> = {};

const fixture = (name: string) => readFileSync(new URL(`./fixtures/import/${name}`, import.meta.url), 'utf8');

function postImport(csv: string, query: string, key = workspace.keys.sales, headers: Record<string, string> = {}) {
  return t.request(key, { method: 'POST', url: `/api/v1/imports?${query}`, payload: csv, headers: { 'content-type': 'text/csv', ...headers } });
}

async function contactsOfBatch(batchId: string): Promise<ContactRecord[]> {
  return (await readContacts(t.database.db, ctx, { where: { importBatchId: batchId }, limit: 1000 })).rows;
}

const byEmail = (rows: ContactRecord[], email: string) => rows.find((row) => row.personal.email === email);

async function companyRow(id: string | null) {
  if (!id) return null;
  const [row] = await t.database.query<{ name: string; domain: string | null; import_batch_id: string | null }>(
    'select name, domain, import_batch_id from companies where tenant_id = $1 and id = $2',
    [workspace.id, id],
  );
  return row;
}

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
  ctx = systemContext(workspace.id, 'test', 'sales');
  for (const email of ['sales.one@candor.example.org', 'sales.two@candor.example.org']) {
    owners[email] = (await addUser(t.database.db, { tenantId: workspace.id, email, displayName: email, role: 'sales' })).id;
  }
});
afterAll(() => t.close());

describe('importing CSV files', () => {
  it('imports a HubSpot contacts export with its own header names', async () => {
    const response = await postImport(fixture('hubspot-contacts.csv'), 'object=contact');
    expect(response.statusCode).toBe(201);
    const report = response.json().data;
    expect(report).toMatchObject({ status: 'published', totalRows: 7, importedRows: 7, invalidRows: 0, issues: [] });
    expect(report.unmappedColumns).toContain('Lead Status');

    const rows = await contactsOfBatch(report.id);
    expect(rows).toHaveLength(7);
    const maria = byEmail(rows, 'maria.fernandez@acme.example.com');
    expect(maria?.personal).toMatchObject({
      first_name: 'Maria',
      last_name: 'Fernández',
      phone: '+34915550101',
      job_title: 'Marketing Manager',
      city: 'Madrid',
      country: 'Spain',
    });
    expect(maria).toMatchObject({
      source: 'import',
      importBatchId: report.id,
      lifecycleStage: 'marketing_qualified_lead',
      ownerId: owners['sales.one@candor.example.org'],
    });
    expect(maria?.createdAt.toISOString()).toBe('2024-01-31T10:00:00.000Z');
    expect(await companyRow(maria?.companyId ?? null)).toMatchObject({
      name: 'Acme Industrial Supplies',
      domain: 'acme.example.com',
      import_batch_id: report.id,
    });
    // E-mail addresses are normalised, and found through their lookup token.
    const tomas = byEmail(rows, 'tomas.ribeiro@globex.example.org');
    expect(tomas?.ownerId).toBe(owners['sales.two@candor.example.org']);
    const found = await findContactIdsByLookup(t.database.db, ctx, 'email', ['tomas.ribeiro@globex.example.org']);
    expect(found.get('tomas.ribeiro@globex.example.org')).toEqual([tomas?.id]);
  });

  it('imports a Salesforce contacts export, keeping quoted commas, quotes and accents', async () => {
    const response = await postImport(fixture('salesforce-contacts.csv'), 'object=contact');
    expect(response.statusCode).toBe(201);
    const rows = await contactsOfBatch(response.json().data.id);
    expect(rows).toHaveLength(6);
    expect(byEmail(rows, 'c.moreau@example.org')?.personal).toMatchObject({
      first_name: 'Camille',
      last_name: 'Moreau',
      job_title: 'Research Director, "Applied" Lab',
      city: 'Lyon',
    });
    expect(byEmail(rows, 'henrik.lindqvist@acme.example.com')?.personal).toMatchObject({
      city: 'Göteborg',
      phone: '+46315550123',
      external_id: '0038d00000Qx1bAAAR',
    });
    expect(byEmail(rows, 'henrik.lindqvist@acme.example.com')?.createdAt.toISOString()).toBe('2023-12-14T16:40:12.000Z');
  });

  it('imports HubSpot and Salesforce company exports with numbers and domains normalised', async () => {
    const hubspot = await postImport(fixture('hubspot-companies.csv'), 'object=company');
    expect(hubspot.statusCode).toBe(201);
    expect(hubspot.json().data.importedRows).toBe(5);
    const salesforce = await postImport(fixture('salesforce-accounts.csv'), 'object=company');
    expect(salesforce.statusCode).toBe(201);
    const rows = await t.database.query<{
      name: string;
      domain: string | null;
      employee_count: number | null;
      annual_revenue_minor: number | null;
      external_id: string | null;
    }>('select name, domain, employee_count, annual_revenue_minor, external_id from companies where tenant_id = $1 and import_batch_id = $2 order by name', [
      workspace.id,
      salesforce.json().data.id,
    ]);
    expect(rows.find((row) => row.name === 'Globex Logistics K.K.')).toMatchObject({
      domain: 'globex.example.org',
      employee_count: 57,
      annual_revenue_minor: 83_000_050,
      external_id: '0018d00000Lm1bAAAB',
    });
    expect(rows.find((row) => row.name === 'Acme Industrial Supplies')?.domain).toBe('acme.example.com');
    const [nameless] = await t.database.query<{ name: string }>(
      "select name from companies where tenant_id = $1 and import_batch_id = $2 and domain = 'stark.example.com'",
      [workspace.id, hubspot.json().data.id],
    );
    expect(nameless.name).toBe('stark.example.com');
  });

  it('links contacts to an existing company by domain instead of creating another', async () => {
    const [existing] = await t.database.query<{ id: string }>(
      "select id from companies where tenant_id = $1 and domain = 'initech.example.com' order by created_at, id limit 1",
      [workspace.id],
    );
    const response = await postImport(
      'email,company_name,company_domain\nnew.hire@initech.example.com,Initech Inc,https://initech.example.com/careers\n',
      'object=contact',
    );
    expect(response.statusCode).toBe(201);
    const [contact] = await contactsOfBatch(response.json().data.id);
    expect(contact.companyId).toBe(existing.id);
  });

  it('publishes nothing when a row is invalid, and names each bad line and field', async () => {
    const response = await postImport(fixture('contacts-with-errors.csv'), 'object=contact');
    expect(response.statusCode).toBe(422);
    const problem = response.json();
    expect(problem.import.status).toBe('failed');
    expect(problem.import.issues.map((issue: { line: number }) => issue.line)).toEqual([3, 4, 6, 9, 9, 10, 10]);
    expect(problem.errors).toContainEqual({ field: 'line 3: email', reason: 'not a valid email address' });
    expect(await contactsOfBatch(problem.importId)).toHaveLength(0);
    const [staged] = await t.database.query<{ n: number }>('select count(*)::int as n from import_staging where tenant_id = $1', [workspace.id]);
    expect(staged.n).toBe(0);
    const stored = await t.request(workspace.keys.sales, { method: 'GET', url: `/api/v1/imports/${problem.importId}` });
    expect(stored.json().data).toMatchObject({ status: 'failed', importedRows: 0, invalidRows: 5 });
  });

  it('with skipInvalid publishes the valid rows and reports each skipped row by line and reason', async () => {
    const response = await postImport(fixture('contacts-with-errors.csv'), 'object=contact&skipInvalid=true');
    expect(response.statusCode).toBe(201);
    const report = response.json().data;
    expect(report).toMatchObject({ status: 'published', totalRows: 8, importedRows: 3, invalidRows: 5, issuesTruncated: false });
    expect(report.issues).toContainEqual({ line: 9, field: 'lifecycleStage', reason: expect.stringContaining('not a known lifecycle stage') });
    expect(report.issues).toContainEqual({ line: 10, field: 'ownerEmail', reason: 'not a valid email address' });
    const imported = (await contactsOfBatch(report.id)).map((row) => row.personal.external_id).sort();
    expect(imported).toEqual(['e_001', 'e_005', 'e_008']);
  });

  it('publishes nothing from a malformed file or one whose columns match no field, even with skipInvalid', async () => {
    const malformed = await postImport('email,first_name\nok@example.com,Ok\nbroken@example.com,"unclosed\n', 'object=contact&skipInvalid=true');
    expect(malformed.statusCode).toBe(422);
    expect(malformed.json().import).toMatchObject({ status: 'failed', importedRows: 0 });
    expect(malformed.json().import.issues).toEqual([{ line: 3, field: 'file', reason: expect.stringContaining('malformed CSV') }]);
    const unknownColumns = await postImport('Colour,Size\nred,L\n', 'object=contact&skipInvalid=true');
    expect(unknownColumns.statusCode).toBe(422);
    expect(unknownColumns.json().import.issues).toEqual([{ line: 1, field: 'header', reason: expect.stringContaining('no column matches a contact field') }]);
  });

  it('reports an owner who is not a user of the workspace as an invalid row', async () => {
    const response = await postImport(
      'email,owner_email\nok@example.com,sales.one@candor.example.org\nbad@example.com,stranger@example.org\n',
      'object=contact&skipInvalid=true',
    );
    expect(response.json().data.issues).toEqual([{ line: 3, field: 'ownerEmail', reason: 'no active user with this e-mail address in the workspace' }]);
  });

  it('treats an e-mail address already in the workspace, or earlier in the file, as an invalid row', async () => {
    const csv = 'first_name,email\nMaria,MARIA.FERNANDEZ@acme.example.com\nNew,fresh@dupes.example.com\nAgain,fresh@dupes.example.com\n';
    const strict = await postImport(csv, 'object=contact');
    expect(strict.statusCode).toBe(422);
    const report = (await postImport(csv, 'object=contact&skipInvalid=true')).json().data;
    expect(report).toMatchObject({ importedRows: 1, invalidRows: 2 });
    expect(report.issues).toEqual([
      { line: 2, field: 'email', reason: 'already used by a contact in this workspace' },
      { line: 4, field: 'email', reason: 'already used by the row on line 3' },
    ]);
  });

  it('maps columns by hand with map=Header=field and ignores columns mapped to nothing', async () => {
    const csv = 'Correo,Apellido,Notes\nana@example.es,García,likes tennis\n';
    const response = await postImport(csv, 'object=contact&map=Correo%3Demail&map=Apellido%3Dlast_name&map=Notes%3D');
    expect(response.statusCode).toBe(201);
    expect(response.json().data.unmappedColumns).toEqual([]);
    const [contact] = await contactsOfBatch(response.json().data.id);
    expect(contact.personal).toEqual({ email: 'ana@example.es', last_name: 'García' });
  });

  it('undoes an import: its contacts, their lookup tokens and the companies only it used are gone', async () => {
    const csv =
      'first_name,email,company_name,company_domain\nUma,uma@undo.example.com,Undo Ltd,undo.example.com\nVic,vic@undo.example.com,Undo Ltd,undo.example.com\n';
    const imported = (await postImport(csv, 'object=contact')).json().data;
    const contactIds = (await contactsOfBatch(imported.id)).map((contact) => contact.id);
    const keysOf = async () =>
      (
        await t.database.query<{ n: number }>('select count(*)::int as n from subject_keys where tenant_id = $1 and subject_id = any($2::uuid[])', [
          workspace.id,
          contactIds,
        ])
      )[0].n;
    expect(await keysOf()).toBe(2);
    const undo = await t.request(workspace.keys.sales, { method: 'POST', url: `/api/v1/imports/${imported.id}/undo` });
    expect(undo.statusCode).toBe(200);
    expect(undo.json().data).toMatchObject({ status: 'undone', removedContacts: 2, removedCompanies: 1, keptCompanies: 0 });
    expect(await contactsOfBatch(imported.id)).toHaveLength(0);
    // Their data keys are shredded with them: a copy of their sealed rows no longer opens.
    expect(await keysOf()).toBe(0);
    expect((await findContactIdsByLookup(t.database.db, ctx, 'email', ['uma@undo.example.com'])).size).toBe(0);
    const [companies] = await t.database.query<{ n: number }>("select count(*)::int as n from companies where tenant_id = $1 and domain = 'undo.example.com'", [
      workspace.id,
    ]);
    expect(companies.n).toBe(0);
    const again = await t.request(workspace.keys.sales, { method: 'POST', url: `/api/v1/imports/${imported.id}/undo` });
    expect(again.json().data).toMatchObject({ status: 'undone', removedContacts: 0 });
  });

  it('keeps a company the undone import created when a later import links to it', async () => {
    const first = (await postImport('email,company_domain\nfirst@keep.example.com,keep.example.com\n', 'object=contact')).json().data;
    await postImport('email,company_domain\nsecond@keep.example.com,keep.example.com\n', 'object=contact');
    const undo = (await t.request(workspace.keys.sales, { method: 'POST', url: `/api/v1/imports/${first.id}/undo` })).json().data;
    expect(undo).toMatchObject({ removedContacts: 1, removedCompanies: 0, keptCompanies: 1 });
  });

  it('refuses to undo an import that failed', async () => {
    const failed = (await postImport('email\nnot-an-address\n', 'object=contact')).json();
    const undo = await t.request(workspace.keys.sales, { method: 'POST', url: `/api/v1/imports/${failed.importId}/undo` });
    expect(undo.statusCode).toBe(409);
  });

  it('replays an import sent twice with the same Idempotency-Key instead of importing twice', async () => {
    const csv = 'email\nonce@idempotent.example.com\n';
    const first = await postImport(csv, 'object=contact', workspace.keys.sales, { 'idempotency-key': 'import-once' });
    const second = await postImport(csv, 'object=contact', workspace.keys.sales, { 'idempotency-key': 'import-once' });
    expect(second.statusCode).toBe(201);
    expect(second.json().data.id).toBe(first.json().data.id);
    expect((await findContactIdsByLookup(t.database.db, ctx, 'email', ['once@idempotent.example.com'])).get('once@idempotent.example.com')).toHaveLength(1);
    const other = await postImport('email\nother@idempotent.example.com\n', 'object=contact', workspace.keys.sales, { 'idempotency-key': 'import-once' });
    expect(other.statusCode).toBe(422);
  });

  it('refuses a background import where no job runner runs (503), storing nothing', async () => {
    const before = await t.database.query<{ n: number }>('select count(*)::int as n from import_batches where tenant_id = $1', [workspace.id]);
    const refused = await postImport('email\nqueued@example.com\n', 'object=contact&background=true');
    expect({ status: refused.statusCode, code: refused.json().code }).toEqual({ status: 503, code: 'jobs_unavailable' });
    const after = await t.database.query<{ n: number }>('select count(*)::int as n from import_batches where tenant_id = $1', [workspace.id]);
    expect(after[0].n).toBe(before[0].n);
  });

  it('answers 415 for a JSON body, 422 without an object, 403 for a role that may not import and 404 for another workspace', async () => {
    const json = await t.request(workspace.keys.sales, { method: 'POST', url: '/api/v1/imports?object=contact', payload: { email: 'x@example.com' } });
    expect(json.statusCode).toBe(415);
    const noObject = await postImport('email\na@example.com\n', 'skipInvalid=true');
    expect(noObject.statusCode).toBe(422);
    expect(noObject.json().errors[0].field).toBe('querystring.object');
    expect((await postImport('email\na@example.com\n', 'object=contact', workspace.keys.analyst)).statusCode).toBe(403);
    const mine = (await postImport('email\nmine@example.com\n', 'object=contact')).json().data;
    const other = await t.createWorkspace();
    expect((await t.request(other.keys.sales, { method: 'GET', url: `/api/v1/imports/${mine.id}` })).statusCode).toBe(404);
    expect((await t.request(other.keys.sales, { method: 'POST', url: `/api/v1/imports/${mine.id}/undo` })).statusCode).toBe(404);
  });

  it('never writes a personal value from a file into reports, audit entries or logs', async () => {
    // Values of people in the fixtures imported above, valid and invalid ones alike.
    const personal = [
      'Fernández',
      'maria.fernandez@acme.example.com',
      '+34 91 555 0101',
      '+34915550101',
      'Marketing Manager',
      'TOMAS.RIBEIRO',
      'tomas.ribeiro',
      'Okafor',
      'adaeze.okafor@acme.example.com',
      'Research Director',
      'Lindqvist',
      '0038d00000Qx1bAAAR',
      'ben.carter@',
      'call me maybe',
      'not-an-owner',
      '31/01/2024',
      '2024-02-30',
      'Prospect',
      'Chloe',
      'dubois',
      'Adeyemi',
      'stranger@example.org',
      'likes tennis',
      'ana@example.es',
      'uma@undo.example.com',
      'once@idempotent.example.com',
    ];
    const reports = await t.database.query('select * from import_batches where tenant_id = $1', [workspace.id]);
    const audit = await t.database.query('select * from audit_entries where tenant_id = $1', [workspace.id]);
    const deliveries = await t.database.query('select payload from webhook_deliveries where tenant_id = $1', [workspace.id]);
    const haystack = [JSON.stringify(reports), JSON.stringify(audit), JSON.stringify(deliveries), t.logs.join('\n')].join('\n').toLowerCase();
    expect(reports.length).toBeGreaterThan(5);
    expect(personal.filter((value) => haystack.includes(value.toLowerCase()))).toEqual([]);
  });
});
