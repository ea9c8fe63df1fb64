import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importJobQueue, runQueuedImport } from '../src/crm/import/importJob.ts';
import { candorJobHandlers } from '../src/jobs/candorJobs.ts';
import { abandonedImportsHandler, abandonedImportsQueue } from '../src/jobs/maintenanceJobs.ts';
import type { JobHandler } from '../src/queue/jobRunner.ts';
import { eventually, startTestJobRunner, type TestJobRunner } from './support/jobs.ts';
import { codeBlocks, curlCommands, curlRequest, matchesDocumented, readmeSection, shellWords } from './support/readme.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

/* Imports that run as a job (POST /imports?background=true), their progress, and the list of past imports. */

let t: TestApp;
let runner: TestJobRunner;
let workspace: TestWorkspace;
/** While set, the import job waits for it before running (to look at a queued import). */
let gate: Promise<void> | null = null;

beforeAll(async () => {
  t = await createTestApp();
  const handlers = candorJobHandlers(t.database);
  const importHandler: JobHandler = {
    ...handlers[importJobQueue],
    async run(payload, job) {
      await gate;
      await handlers[importJobQueue].run(payload, job);
    },
  };
  runner = await startTestJobRunner(t.database, { handlers: { ...handlers, [importJobQueue]: importHandler } });
  workspace = await t.createWorkspace();
});
afterAll(async () => {
  await runner?.stop();
  await t?.close();
});

type Report = {
  id: string;
  status: string;
  fileName: string | null;
  createdBy: { type: string; id: string };
  progress: { rowsProcessed: number; rowsTotal: number | null };
  importedRows: number;
  invalidRows: number;
  issues: Array<{ line: number; field: string; reason: string }>;
  issueSummary: Array<{ field: string; reason: string; rows: number }>;
};

const contactsCsv = (rows: number, tag: string) =>
  ['first_name,last_name,email', ...Array.from({ length: rows }, (_, index) => `Job${index},Runner,${tag}.${index}@jobs.example.com`)].join('\n');

function postImport(csv: string, query: string, options: { key?: string; headers?: Record<string, string>; purpose?: string } = {}) {
  return t.request(options.key ?? workspace.keys.sales, {
    method: 'POST',
    url: `/api/v1/imports?${query}`,
    payload: csv,
    headers: { 'content-type': 'text/csv', ...options.headers },
    purpose: options.purpose,
  });
}

async function report(id: string, key = workspace.keys.sales): Promise<Report> {
  const response = await t.request(key, { method: 'GET', url: `/api/v1/imports/${id}` });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().data;
}

const settled = (id: string) =>
  eventually(async () => ((s) => (['published', 'failed'].includes(s.status) ? s : null))(await report(id)), { what: 'the import to settle' });

const count = async (query: string, params: unknown[]) => (await t.database.query<{ n: number }>(query, params))[0].n;
const storedParts = (batchId: string) => count('select count(*)::int as n from import_uploads where tenant_id = $1 and batch_id = $2', [workspace.id, batchId]);
const batchKeys = (batchId: string) => count('select count(*)::int as n from subject_keys where tenant_id = $1 and subject_id = $2', [workspace.id, batchId]);

describe('background imports', () => {
  it('answers 202 with the import queued, then stages and publishes it in a job, reporting progress on the way', async () => {
    let release = () => {};
    gate = new Promise((resolve) => {
      release = resolve;
    });
    const rows = 3_500;
    const response = await postImport(contactsCsv(rows, 'progress'), 'object=contact&background=true', {
      headers: { 'content-disposition': 'attachment; filename="hubspot-export.csv"' },
    });
    expect(response.statusCode, response.body).toBe(202);
    const queued: Report = response.json().data;
    expect(response.headers.location).toBe(`/api/v1/imports/${queued.id}`);
    expect(queued).toMatchObject({ status: 'queued', fileName: 'hubspot-export.csv', progress: { rowsProcessed: 0, rowsTotal: null }, importedRows: 0 });
    expect(queued.createdBy.type).toBe('api_key');
    // While it waits, its file is stored sealed: no value of it in the clear.
    expect(await storedParts(queued.id)).toBeGreaterThan(0);
    const [part] = await t.database.query<{ sealed: string }>("select encode(sealed, 'escape') as sealed from import_uploads where batch_id = $1", [queued.id]);
    expect(part.sealed).not.toContain('jobs.example.com');

    gate = null;
    release();
    const partWay = async () => {
      const current = await report(queued.id);
      return current.status === 'running' && current.progress.rowsProcessed > 0 && current.progress.rowsProcessed < rows ? current : null;
    };
    const running = await eventually(partWay, { what: 'the import part-way through', intervalMs: 20 });
    expect(running.progress.rowsTotal).toBe(rows);
    const done = await settled(queued.id);
    expect(done).toMatchObject({ status: 'published', importedRows: rows, invalidRows: 0, progress: { rowsProcessed: rows, rowsTotal: rows } });
    // The file is gone and its key shredded; the shredding waits for the next epoch advance like any erasure.
    expect(await storedParts(queued.id)).toBe(0);
    expect(await batchKeys(queued.id)).toBe(0);
    expect(runner.failures).toEqual([]);
  });

  it('fails a file with invalid rows in its job, publishing nothing and summing up the issues by field and reason', async () => {
    const csv = 'first_name,email\nAna,ana@jobs.example.com\nBea,not an address\nCid,also wrong\nDee,\n';
    const response = await postImport(csv, 'object=contact&background=true');
    expect(response.statusCode).toBe(202);
    const done = await settled(response.json().data.id);
    expect(done).toMatchObject({ status: 'failed', importedRows: 0, invalidRows: 2, progress: { rowsProcessed: 4, rowsTotal: 4 } });
    expect(done.issues.map((issue) => [issue.line, issue.field])).toEqual([
      [3, 'email'],
      [4, 'email'],
    ]);
    expect(done.issueSummary).toEqual([{ field: 'email', reason: done.issues[0].reason, rows: 2 }]);
    expect(JSON.stringify(done)).not.toContain('not an address');
    expect(await storedParts(done.id)).toBe(0);
    expect(await batchKeys(done.id)).toBe(0);
  });

  it('refuses, before storing anything, a file with a column the purpose may not use', async () => {
    const purpose = 'email_marketing_existing_customers';
    const before = await count('select count(*)::int as n from import_batches where tenant_id = $1', [workspace.id]);
    const response = await postImport('Email,Phone\nana@jobs.example.com,+34915550101\n', 'object=contact&background=true', {
      key: workspace.keys.marketing,
      purpose,
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().errors).toContainEqual({ field: 'phone', reason: `not declared for the purpose ${purpose}` });
    expect(await count('select count(*)::int as n from import_batches where tenant_id = $1', [workspace.id])).toBe(before);
    expect(await count('select count(*)::int as n from import_uploads where tenant_id = $1', [workspace.id])).toBe(0);
  });

  it('runs as its sender stands when the job starts: a key revoked meanwhile fails the import unrun', async () => {
    const other = await t.createWorkspace();
    const key = await t.request(other.keys.admin, {
      method: 'POST',
      url: '/api/v1/api-keys',
      payload: { name: 'short-lived', role: 'sales', purposes: ['sales'], defaultPurpose: 'sales' },
    });
    expect(key.statusCode, key.body).toBe(201);
    let release = () => {};
    gate = new Promise((resolve) => {
      release = resolve;
    });
    const response = await postImport(contactsCsv(3, 'revoked'), 'object=contact&background=true', { key: key.json().data.key });
    expect(response.statusCode).toBe(202);
    const id = response.json().data.id;
    expect((await t.request(other.keys.admin, { method: 'DELETE', url: `/api/v1/api-keys/${key.json().data.id}` })).statusCode).toBe(204);
    gate = null;
    release();
    const done = await eventually(async () => ((r) => (r.status === 'failed' ? r : null))(await report(id, other.keys.sales)), { what: 'the failure' });
    expect(done.issues).toEqual([{ line: 0, field: 'import', reason: expect.stringContaining('revoked') }]);
    expect(await count('select count(*)::int as n from contacts where tenant_id = $1', [other.id])).toBe(0);
    expect(await count('select count(*)::int as n from import_uploads where tenant_id = $1', [other.id])).toBe(0);
  });

  it('queues one import for one Idempotency-Key, and runs a batch once however often its job comes', async () => {
    const headers = { 'idempotency-key': `background-${Date.now()}` };
    const first = await postImport(contactsCsv(2, 'idempotent'), 'object=contact&background=true', { headers });
    const again = await postImport(contactsCsv(2, 'idempotent'), 'object=contact&background=true', { headers });
    expect(again.statusCode).toBe(202);
    expect(again.json().data.id).toBe(first.json().data.id);
    const done = await settled(first.json().data.id);
    expect(done.importedRows).toBe(2);
    await runQueuedImport(t.database, workspace.id, done.id);
    expect((await report(done.id)).importedRows).toBe(2);
    expect(await count('select count(*)::int as n from contacts where tenant_id = $1 and import_batch_id = $2', [workspace.id, done.id])).toBe(2);
  });
});

describe('abandoned imports', () => {
  it('are failed every 15 minutes with what they staged and their file, once idle long enough', async () => {
    const schedules = await runner.boss.getSchedules();
    expect(schedules).toContainEqual(expect.objectContaining({ name: abandonedImportsQueue, cron: '*/15 * * * *' }));
    let release = () => {};
    gate = new Promise((resolve) => {
      release = resolve;
    });
    const queued = (await postImport(contactsCsv(2, 'abandoned'), 'object=contact&background=true')).json().data.id;
    // One left running by a process that stopped 20 minutes ago, one queued that never ran for two days.
    const stalled = (await postImport(contactsCsv(2, 'stalled'), 'object=contact&background=true')).json().data.id;
    await t.database.query("update import_batches set status = 'running', updated_at = now() - interval '20 minutes' where id = $1", [stalled]);
    await t.database.query("update import_batches set updated_at = now() - interval '2 days' where id = $1", [queued]);
    const fresh = (await postImport(contactsCsv(2, 'fresh'), 'object=contact&background=true')).json().data.id;
    await abandonedImportsHandler(t.database).run({}, { id: 'tick', queue: abandonedImportsQueue });
    gate = null;
    release();
    for (const [id, reason] of [
      [stalled, 'abandoned: the importing process stopped before publishing'],
      [queued, 'abandoned: no job ran the import within a day'],
    ]) {
      const failed = await report(id);
      expect(failed.status).toBe('failed');
      expect(failed.issues).toContainEqual({ line: 0, field: 'file', reason });
      expect(await storedParts(id)).toBe(0);
      expect(await batchKeys(id)).toBe(0);
    }
    expect((await settled(fresh)).status).toBe('published');
  });
});

describe('the list of imports', () => {
  it('lists past imports newest first with state, progress, counts, who, when and file name, a keyset page at a time', async () => {
    const mine = await t.createWorkspace();
    const names = ['first.csv', 'second.csv', 'third.csv'];
    for (const [index, name] of names.entries()) {
      const response = await postImport(contactsCsv(index + 1, `list${index}`), 'object=contact', {
        key: mine.keys.sales,
        headers: { 'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(`C:\\exports\\${name}`)}` },
      });
      expect(response.statusCode, response.body).toBe(201);
    }
    const seen: Array<Record<string, unknown>> = [];
    let cursor: string | null = null;
    do {
      const page = await t.request(mine.keys.privacy_officer, { method: 'GET', url: `/api/v1/imports?limit=2${cursor ? `&cursor=${cursor}` : ''}` });
      expect(page.statusCode, page.body).toBe(200);
      seen.push(...page.json().data);
      cursor = page.json().nextCursor;
    } while (cursor);
    expect(seen.map((entry) => entry.fileName)).toEqual(['third.csv', 'second.csv', 'first.csv']);
    expect(seen[0]).toMatchObject({
      object: 'contact',
      status: 'published',
      mode: 'create',
      createdBy: { type: 'api_key', id: expect.any(String) },
      progress: { rowsProcessed: 3, rowsTotal: 3 },
      importedRows: 3,
      invalidRows: 0,
    });
    expect(seen[0]).not.toHaveProperty('issues');
    expect(JSON.stringify(seen)).not.toContain('jobs.example.com');
    // Another workspace's imports are not listed; a role that may not read imports is refused.
    const theirs = (await t.request(workspace.keys.sales, { method: 'GET', url: '/api/v1/imports?limit=200' }))
      .json()
      .data.map((entry: { id: string }) => entry.id);
    expect(theirs.some((id: string) => seen.some((entry) => entry.id === id))).toBe(false);
    expect((await t.request(mine.keys.support, { method: 'GET', url: '/api/v1/imports' })).statusCode).toBe(403);
  });

  it('reads the file name from Content-Disposition, refusing one it cannot store', async () => {
    const cases: Array<[string, string | null]> = [
      ['attachment; filename="quoted \\"name\\".csv"', 'quoted "name".csv'],
      ['attachment; filename=plain.csv', 'plain.csv'],
      [`attachment; filename="fallback.csv"; filename*=UTF-8''${encodeURIComponent('Übersicht.csv')}`, 'Übersicht.csv'],
      ['attachment; filename="/etc/../dir/nested.csv"', 'nested.csv'],
      ['attachment', null],
    ];
    for (const [header, expected] of cases) {
      const response = await postImport(contactsCsv(1, `name${cases.findIndex(([h]) => h === header)}`), 'object=contact', {
        headers: { 'content-disposition': header },
      });
      expect({ header, status: response.statusCode, fileName: response.json().data?.fileName }).toEqual({ header, status: 201, fileName: expected });
    }
    for (const header of [`attachment; filename*=UTF-8''%FF%FE`, `attachment; filename="${'x'.repeat(300)}.csv"`]) {
      const refused = await postImport(contactsCsv(1, 'refused'), 'object=contact', { headers: { 'content-disposition': header } });
      expect({ status: refused.statusCode, fields: refused.json().errors.map((error: { field: string }) => error.field) }).toEqual({
        status: 422,
        fields: ['content-disposition'],
      });
    }
  });
});

describe('README: Imports as jobs', () => {
  it('answers its two curl examples with the JSON they show: the import queued, then published', async () => {
    const readmeWorkspace = await t.createWorkspace();
    const section = readmeSection('Import and export');
    const start = section.indexOf('**Imports as jobs.**');
    const [post, poll] = codeBlocks(section.slice(start), 'sh').map((block) => curlCommands(block)[0]);
    const [queuedJson, publishedJson] = codeBlocks(section.slice(start), 'json');
    const file = readFileSync(new URL('../examples/hubspot-export.csv', import.meta.url), 'utf8');
    const variables = { CANDOR: 'http://localhost:3000', KEY: readmeWorkspace.keys.sales };
    const send = (request: ReturnType<typeof curlRequest>) =>
      t.app.inject({ method: request.method as 'GET' | 'POST', url: request.url, headers: request.headers, payload: request.body });

    const queued = await send(curlRequest(shellWords(post, variables), { 'examples/hubspot-export.csv': file }));
    expect(queued.statusCode, queued.body).toBe(202);
    expect(matchesDocumented(queued.json(), JSON.parse(queuedJson)), queued.body).toBe(true);
    const id = queued.json().data.id;
    await eventually(async () => ['published', 'failed'].includes((await report(id, readmeWorkspace.keys.sales)).status), { what: 'the README import' });
    const published = await send(curlRequest(shellWords(poll, { ...variables, IMPORT_ID: id })));
    expect(published.statusCode).toBe(200);
    expect(matchesDocumented(published.json(), JSON.parse(publishedJson)), published.body).toBe(true);
  });
});
