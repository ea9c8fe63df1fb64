import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { appendAudit } from '../src/kernel/audit.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';
import { codeBlocks, curlCommands, curlRequest, expectReadmeIndexesMatchMigration, matchesDocumented, readmeSection, shellWords } from './support/readme.ts';

// The README's "Reading the audit trail" section as written: its curl requests are sent to the
// app and the answer must be the JSON it shows (the README walk runs the block against npm start); its table names every filter the route has;
// its CREATE INDEX CONCURRENTLY statements build exactly the migration's indexes.

let t: TestApp;
let workspace: TestWorkspace;
const section = readmeSection('Reading the audit trail');

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
});
afterAll(() => t.close());

/** Appends an entry by the API key as if at `at` (the chain takes its time from the clock). */
async function appendAt(at: string, record: Parameters<typeof appendAudit>[2], apiKeyId: string) {
  vi.useFakeTimers({ toFake: ['Date'] });
  try {
    vi.setSystemTime(new Date(at));
    const actor = { type: 'api_key' as const, id: apiKeyId, role: 'sales' as const, createdBy: null };
    await appendAudit(t.database.db, { tenantId: workspace.id, actor, purpose: 'sales' }, record);
  } finally {
    vi.useRealTimers();
  }
}

const send = (request: ReturnType<typeof curlRequest>) => t.app.inject({ method: request.method as 'GET', url: request.url, headers: request.headers });

describe('README: Reading the audit trail', () => {
  it("answers its curl example with the JSON it shows: the sales key's first contact action this year", async () => {
    const [block] = codeBlocks(section, 'sh');
    const [me, audit] = curlCommands(block);
    const variables: Record<string, string> = { CANDOR: 'http://localhost:3000', KEY: workspace.keys.sales, PRIVACY_KEY: workspace.keys.privacy_officer };
    variables.SALES_KEY_ID = (await send(curlRequest(shellWords(me, variables)))).json().data.apiKeyId;
    // Before this year, then another kind of record: neither is listed.
    await appendAt('2025-12-31T23:59:59.999Z', { action: 'contact.read' }, variables.SALES_KEY_ID);
    await appendAt('2026-01-01T00:00:00.000Z', { action: 'deal.read' }, variables.SALES_KEY_ID);
    expect((await t.request(workspace.keys.sales, { method: 'GET', url: '/api/v1/contacts?limit=5' })).statusCode).toBe(200);
    expect((await t.request(workspace.keys.admin, { method: 'GET', url: '/api/v1/contacts?limit=5' })).statusCode).toBe(200);
    const response = await send(curlRequest(shellWords(audit, variables)));
    expect(response.statusCode).toBe(200);
    const [shown] = codeBlocks(section, 'json');
    expect(matchesDocumented(response.json(), JSON.parse(shown)), response.body).toBe(true);
    expect(response.json().data[0].actor.id).toBe(variables.SALES_KEY_ID);
  });

  it("lists in its table exactly the route's filters", async () => {
    const documented = [...section.matchAll(/^\| `(\w+)`(?:, `(\w+)`)? \|/gm)].flatMap((row) => [row[1], row[2]]).filter(Boolean);
    const spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const parameters: string[] = spec.paths['/api/v1/audit'].get.parameters.map((parameter: { name: string }) => parameter.name);
    const paging = ['cursor', 'limit', 'pseudonym'];
    expect(documented.sort()).toEqual(parameters.filter((name) => !paging.includes(name)).sort());
  });

  it('builds, concurrently, the same indexes the migration builds', async () => {
    await expectReadmeIndexesMatchMigration(t.database.db, codeBlocks(section, 'sql')[0].trim().split('\n'), 'audit_filters');
  });
});
