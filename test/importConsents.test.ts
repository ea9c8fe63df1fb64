import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wasConsentLive } from '../src/kernel/index.ts';
import { grantTestDefaults } from './support/contactPolicy.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

/*
 * Issue 12 item 3: a contact import's consent:<purpose> columns, with their source and date,
 * become consent ledger events, channel import, at the given date, for created and matched
 * contacts alike; bad values, missing or future dates are reported per row and column; a
 * date older than the purpose's consent validity gives an expired consent, and the report
 * says so. Checked in the raw tables and through the consent history API.
 */

let t: TestApp;
let workspace: TestWorkspace;

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
  await grantTestDefaults(t, workspace.id);
});
afterAll(() => t?.close());

const postImport = (csv: string, query: string) =>
  t.request(workspace.keys.admin, { method: 'POST', url: `/api/v1/imports?${query}`, payload: csv, headers: { 'content-type': 'text/csv' } });

async function contactIdOf(email: string): Promise<string> {
  const response = await t.request(workspace.keys.admin, { method: 'POST', url: '/api/v1/contacts/search', payload: { email }, purpose: 'sales' });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().data[0].id;
}

type LedgerRow = { purpose_key: string; state: string; channel: string; recorded_at: Date | string; evidence: string | null };
const ledgerOf = (subjectId: string) =>
  t.database.query<LedgerRow>(
    'select purpose_key, state, channel, recorded_at, evidence from consent_events where tenant_id = $1 and subject_id = $2 order by purpose_key, recorded_at',
    [workspace.id, subjectId],
  );
const iso = (value: Date | string) => new Date(value).toISOString();
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
const source = encodeURIComponent('Trade fair sign-up sheet');

describe('consent columns in a contact import', () => {
  it('records each cell as a ledger event, channel import, at the row date, for new and matched contacts alike', async () => {
    const existing = await t.request(workspace.keys.admin, {
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { email: 'known@consent-import.example', lastName: 'Known' },
      purpose: 'sales',
    });
    expect(existing.statusCode, existing.body).toBe(201);
    const knownId = existing.json().data.id;
    const date = daysAgo(10);
    const csv = [
      'email,last_name,consent:email_marketing,consent:web_analytics,consent_date',
      `new@consent-import.example,New,yes,refused,${date}`,
      'known@consent-import.example,,given,,',
    ].join('\n');
    const response = await postImport(csv, `object=contact&mode=upsert&consentSource=${source}&consentDate=${daysAgo(20)}`);
    expect(response.statusCode, response.body).toBe(201);
    const report = response.json().data;
    expect(report).toMatchObject({ importedRows: 1, updatedRows: 1, invalidRows: 0, consents: { recorded: 3, expired: 0, notice: null } });
    expect(report.unmappedColumns).toEqual([]);

    const newId = await contactIdOf('new@consent-import.example');
    const created = await ledgerOf(newId);
    expect(created.map((row) => [row.purpose_key, row.state, row.channel, iso(row.recorded_at)])).toEqual([
      ['email_marketing', 'given', 'import', `${date}T00:00:00.000Z`],
      ['web_analytics', 'refused', 'import', `${date}T00:00:00.000Z`],
    ]);
    // The source is sealed evidence, not a plain value in the table.
    for (const row of created) expect(row.evidence).not.toContain('Trade fair');
    const matched = await ledgerOf(knownId);
    expect(matched.map((row) => [row.purpose_key, row.state, iso(row.recorded_at)])).toEqual([['email_marketing', 'given', `${daysAgo(20)}T00:00:00.000Z`]]);
    expect(await wasConsentLive(t.database.db, workspace.id, knownId, 'email_marketing', new Date())).toBe(true);

    const history = await t.request(workspace.keys.admin, { method: 'GET', url: `/api/v1/contacts/${newId}/consents`, purpose: 'email_marketing' });
    expect(history.statusCode, history.body).toBe(200);
    const [given] = history.json().data;
    expect(given).toMatchObject({ purposeKey: 'email_marketing', state: 'given', channel: 'import' });
    expect(given.evidence).toEqual({ source: 'Trade fair sign-up sheet', importBatchId: report.id });
  });

  it('gives an already-expired consent for a date older than the purpose allows, and the report says so', async () => {
    const validity = 30;
    await t.database.query("update purposes set consent_validity_days = $2 where tenant_id = $1 and key = 'web_analytics'", [workspace.id, validity]);
    const csv = `email,last_name,consent:web_analytics,consent_date\nold@consent-import.example,Old,yes,${daysAgo(validity + 5)}\n`;
    const response = await postImport(csv, `object=contact&consentSource=${source}`);
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().data.consents).toMatchObject({ recorded: 1, expired: 1, notice: expect.stringContaining('already expired') });
    const id = await contactIdOf('old@consent-import.example');
    expect((await ledgerOf(id)).map((row) => row.state)).toEqual(['given']);
    expect(await wasConsentLive(t.database.db, workspace.id, id, 'web_analytics', new Date())).toBe(false);
  });

  it('reports bad values, missing and future dates by row and column, and imports nothing', async () => {
    const csv = [
      'email,last_name,consent:email_marketing,consent_date',
      `a@consent-import.example,A,maybe,${daysAgo(1)}`,
      'b@consent-import.example,B,yes,',
      `c@consent-import.example,C,no,${new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10)}`,
      `d@consent-import.example,D,yes,31/01/2024`,
    ].join('\n');
    const response = await postImport(csv, `object=contact&consentSource=${source}`);
    expect(response.statusCode, response.body).toBe(422);
    const report = response.json().import;
    expect(report.issues).toEqual([
      { line: 2, field: 'consent:email_marketing', reason: 'not a consent value (given, refused, withdrawn, yes or no)' },
      { line: 3, field: 'consentDate', reason: "a consent needs its date: a consent_date column or the import's consentDate" },
      { line: 4, field: 'consentDate', reason: 'must not be in the future' },
      { line: 5, field: 'consentDate', reason: expect.stringContaining('not a valid date') },
    ]);
    expect(response.body).not.toContain('maybe');
    const [count] = await t.database.query<{ n: number }>(
      "select count(*)::int as n from contacts where tenant_id = $1 and source = 'import' and import_batch_id = $2",
      [workspace.id, report.id],
    );
    expect(count.n).toBe(0);
  });

  it('refuses a file whose consent column names no consent purpose, or that has no consent source', async () => {
    const unknown = await postImport('email,consent:sales\nx@consent-import.example,yes\n', `object=contact&consentSource=${source}`);
    expect(unknown.statusCode, unknown.body).toBe(422);
    expect(unknown.json().import.issues).toEqual([{ line: 1, field: 'consent:sales', reason: expect.stringContaining('not a consent purpose') }]);
    const sourceless = await postImport(`email,consent:email_marketing,consent_date\ny@consent-import.example,yes,${daysAgo(1)}\n`, 'object=contact');
    expect(sourceless.statusCode, sourceless.body).toBe(422);
    expect(sourceless.json().import.issues).toEqual([{ line: 1, field: 'consentSource', reason: expect.stringContaining('source') }]);
  });

  it('refuses a future consentDate for the whole import with 422 naming it', async () => {
    const response = await postImport(
      'email,consent:email_marketing\nz@consent-import.example,yes\n',
      `object=contact&consentSource=${source}&consentDate=2999-01-01`,
    );
    expect(response.statusCode, response.body).toBe(422);
    expect(response.json().errors).toEqual([{ field: 'consentDate', reason: 'must not be in the future' }]);
  });
});
