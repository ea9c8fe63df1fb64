import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { newId } from '../src/db/ids.ts';
import { appendAudit } from '../src/kernel/audit.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';
import { codeBlocks, curlRequest, expectReadmeIndexesMatchMigration, matchesDocumented, readmeSection, shellWords } from './support/readme.ts';

// The README's "Reading the audit trail" section as written: its curl request is sent to the
// app and the answer must be the JSON it shows; its table names every filter the route has;
// its CREATE INDEX CONCURRENTLY statements build exactly the migration's indexes.

let t: TestApp;
let workspace: TestWorkspace;
const section = readmeSection('Reading the audit trail');

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
});
afterAll(() => t.close());

/** Appends an entry as if at `at` (the chain takes its time from the clock). */
async function appendAt(at: string, record: Parameters<typeof appendAudit>[2], actorId: string) {
  vi.useFakeTimers({ toFake: ['Date'] });
  try {
    vi.setSystemTime(new Date(at));
    await appendAudit(t.database.db, { tenantId: workspace.id, actor: { type: 'user', id: actorId, role: 'sales' }, purpose: 'sales' }, record);
  } finally {
    vi.useRealTimers();
  }
}

describe('README: Reading the audit trail', () => {
  it("answers its curl example with the JSON it shows: one user's contact actions on one day", async () => {
    const userId = newId();
    await appendAt('2026-11-30T23:59:59.999Z', { action: 'contact.read' }, userId);
    await appendAt('2026-12-01T09:30:00.000Z', { action: 'contact.read' }, userId);
    await appendAt('2026-12-01T09:31:00.000Z', { action: 'deal.read' }, userId);
    await appendAt('2026-12-01T09:32:00.000Z', { action: 'contact.read' }, newId());
    await appendAt('2026-12-02T00:00:00.000Z', { action: 'contact.updated' }, userId);
    const [curl] = codeBlocks(section, 'sh');
    const request = curlRequest(shellWords(curl, { PRIVACY_KEY: workspace.keys.privacy_officer, USER_ID: userId }));
    const response = await t.app.inject({ method: request.method as 'GET', url: request.url, headers: request.headers });
    expect(response.statusCode).toBe(200);
    const [shown] = codeBlocks(section, 'json');
    expect(matchesDocumented(response.json(), JSON.parse(shown)), response.body).toBe(true);
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
