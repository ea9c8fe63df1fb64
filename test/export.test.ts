import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../src/accounts/users.ts';
import { exportFields, exportPageRows } from '../src/crm/export/exportRecords.ts';
import { systemContext } from '../src/kernel/accessContext.ts';
import { auditTrailForSubject } from '../src/kernel/audit.ts';
import { readContacts } from '../src/kernel/contactRecords.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

let t: TestApp;
let workspace: TestWorkspace;

const fixture = (name: string) => readFileSync(new URL(`./fixtures/import/${name}`, import.meta.url), 'utf8');
const importCsv = (target: TestWorkspace, csv: string, object = 'contact') =>
  t.request(target.keys.sales, { method: 'POST', url: `/api/v1/imports?object=${object}`, payload: csv, headers: { 'content-type': 'text/csv' } });
const get = (url: string, key = workspace.keys.sales) => t.request(key, { method: 'GET', url });

type Row = Record<string, string>;
const parseCsv = (text: string): Row[] => parse(text, { columns: true, skip_empty_lines: true });

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
  await addUser(t.database.db, { tenantId: workspace.id, email: 'sales.one@candor.example.org', displayName: 'Sales One', role: 'sales' });
  await addUser(t.database.db, { tenantId: workspace.id, email: 'sales.two@candor.example.org', displayName: 'Sales Two', role: 'sales' });
  expect((await importCsv(workspace, fixture('hubspot-contacts.csv'))).statusCode).toBe(201);
  expect((await importCsv(workspace, fixture('salesforce-accounts.csv'), 'company')).statusCode).toBe(201);
});
afterAll(() => t.close());

describe('exporting contacts and companies', () => {
  it('streams contacts as CSV with camelCase headers the import accepts', async () => {
    const response = await get('/api/v1/exports/contacts.csv');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    expect(response.headers['content-disposition']).toContain('contacts.csv');
    expect(response.body.split('\n')[0]).toBe(exportFields.contact.join(','));
    expect(exportFields.contact).toEqual([
      'id',
      'firstName',
      'lastName',
      'email',
      'phone',
      'jobTitle',
      'companyName',
      'companyDomain',
      'lifecycleStage',
      'ownerEmail',
      'city',
      'country',
      'externalId',
      'createdAt',
    ]);
    const rows = parseCsv(response.body);
    expect(rows).toHaveLength(7);
    expect(rows.find((row) => row.email === 'maria.fernandez@acme.example.com')).toMatchObject({
      firstName: 'Maria',
      lastName: 'Fernández',
      companyName: 'Acme Industrial Supplies',
      companyDomain: 'acme.example.com',
      lifecycleStage: 'marketing_qualified_lead',
      ownerEmail: 'sales.one@candor.example.org',
      createdAt: '2024-01-31T10:00:00.000Z',
    });
  });

  it('streams contacts as a JSON array with the same keys, null for absent values', async () => {
    const response = await get('/api/v1/exports/contacts.json');
    expect(response.statusCode).toBe(200);
    const rows = response.json() as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(7);
    for (const row of rows) expect(Object.keys(row)).toEqual([...exportFields.contact]);
    expect(rows.find((row) => row.firstName === 'Kenji')).toMatchObject({ email: null, phone: '+81355500166', companyName: null });
  });

  it('exports companies with revenue back in currency units', async () => {
    const rows = parseCsv((await get('/api/v1/exports/companies.csv')).body);
    expect(rows.find((row) => row.name === 'Globex Logistics K.K.')).toMatchObject({
      domain: 'globex.example.org',
      employeeCount: '57',
      annualRevenue: '830000.5',
    });
    const json = (await get('/api/v1/exports/companies.json')).json() as Array<Record<string, unknown>>;
    for (const row of json) expect(Object.keys(row)).toEqual([...exportFields.company]);
    expect(json.find((row) => row.name === 'Initech, Inc.')).toMatchObject({ employeeCount: 1200, annualRevenue: 45_000_000 });
  });

  it('re-imports its own export into another workspace with the same values', async () => {
    const exported = (await get('/api/v1/exports/contacts.csv')).body;
    const target = await t.createWorkspace();
    await addUser(t.database.db, { tenantId: target.id, email: 'sales.one@candor.example.org', displayName: 'Sales One', role: 'sales' });
    await addUser(t.database.db, { tenantId: target.id, email: 'sales.two@candor.example.org', displayName: 'Sales Two', role: 'sales' });
    const imported = await importCsv(target, exported);
    expect(imported.statusCode).toBe(201);
    expect(imported.json().data).toMatchObject({ importedRows: 7, invalidRows: 0 });
    const again = parseCsv((await get('/api/v1/exports/contacts.csv', target.keys.sales)).body);
    const withoutIds = (rows: Row[]) =>
      rows.map(({ id: _id, ...rest }) => rest).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.lastName.localeCompare(b.lastName));
    expect(withoutIds(again)).toEqual(withoutIds(parseCsv(exported)));
  });

  it('pages through more contacts than fit in one read', async () => {
    const many = await t.createWorkspace();
    const count = exportPageRows * 2 + 17;
    const lines = Array.from({ length: count }, (_, index) => `Person${index},person${index}@bulk.example.com`);
    expect((await importCsv(many, `first_name,email\n${lines.join('\n')}\n`)).statusCode).toBe(201);
    const rows = parseCsv((await get('/api/v1/exports/contacts.csv', many.keys.sales)).body);
    expect(rows).toHaveLength(count);
    expect(new Set(rows.map((row) => row.id)).size).toBe(count);
  });

  it('audits every export with the field names and format, never the values', async () => {
    await get('/api/v1/exports/contacts.json');
    const entries = await t.database.query<{ action: string; fields: string[]; detail: Record<string, unknown>; purpose: string | null }>(
      "select action, fields, detail, purpose from audit_entries where tenant_id = $1 and action = 'export' order by sequence desc",
      [workspace.id],
    );
    expect(entries[0]).toMatchObject({ fields: [...exportFields.contact], detail: { format: 'json' }, purpose: 'sales' });
    expect(JSON.stringify(entries)).not.toContain('Fernández');
    const ctx = systemContext(workspace.id, 'test', 'sales');
    const contacts = (await readContacts(t.database.db, ctx, { limit: 100 })).rows;
    const serialised = JSON.stringify(entries);
    expect(contacts.filter((contact) => serialised.includes(String(contact.personal.email)))).toEqual([]);
  });

  it('exports only what the purpose may see: a restricted contact is left out, an undeclared field is empty, and each person exported is audited', async () => {
    const all = (await get('/api/v1/exports/contacts.json', workspace.keys.admin)).json() as Array<Record<string, string | null>>;
    const restricted = all.find((row) => row.firstName === 'Maria')!;
    await t.database.query('insert into restrictions (tenant_id, subject_id, restricted_at) values ($1, $2, $3)', [
      workspace.id,
      restricted.id,
      new Date(Date.now() - 60_000).toISOString(),
    ]);
    try {
      const response = await t.request(workspace.keys.admin, {
        method: 'GET',
        url: '/api/v1/exports/contacts.json',
        purpose: 'email_marketing_existing_customers',
      });
      expect(response.statusCode).toBe(200);
      const rows = response.json() as Array<Record<string, string | null>>;
      expect(rows.map((row) => row.id).sort()).toEqual(
        all
          .filter((row) => row.id !== restricted.id)
          .map((row) => row.id)
          .sort(),
      );
      // The catalog does not declare phone for e-mail marketing: never exported for it.
      expect(all.some((row) => row.phone !== null)).toBe(true);
      expect(rows.every((row) => row.phone === null)).toBe(true);
      expect(rows.some((row) => row.email !== null)).toBe(true);
      const trail = await auditTrailForSubject(t.database.db, workspace.id, { subjectId: rows[0].id! });
      expect(trail.map((entry) => [entry.action, entry.purpose])).toContainEqual(['contact.exported', 'email_marketing_existing_customers']);
    } finally {
      await t.database.query('delete from restrictions where tenant_id = $1', [workspace.id]).catch(() => undefined);
    }
  });

  it('refuses roles without export permission', async () => {
    expect((await get('/api/v1/exports/contacts.csv', workspace.keys.analyst)).statusCode).toBe(403);
    expect((await get('/api/v1/exports/companies.json', workspace.keys.support)).statusCode).toBe(403);
  });
});
