import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestJobRunner, type TestJobRunner } from './support/jobs.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

// Access exports queued as the access-export job (a server runs a job runner): progress, and a
// payload that names the export, never the person.

let t: TestApp;
let workspace: TestWorkspace;
let runner: TestJobRunner;

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
  runner = await startTestJobRunner(t.database);
});
afterAll(async () => {
  await runner?.stop();
  await t?.close();
});

describe('the access-export job', () => {
  it('builds a queued export with its progress, from a payload holding only the workspace and export ids', async () => {
    const contact = await t.request(workspace.keys.sales, {
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { firstName: 'Queued', email: 'queued.export@example.org' },
      purpose: 'sales',
    });
    const contactId = contact.json().data.id as string;
    const officer = (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) =>
      t.request(workspace.keys.privacy_officer, { method, url, payload, purpose: 'dsr_fulfilment' });
    const created = await officer('POST', `/api/v1/contacts/${contactId}/access-exports`, { format: 'csv' });
    expect(created.statusCode, created.body).toBe(202);
    const exportId = created.json().data.id as string;
    expect(created.json().data).toMatchObject({ status: 'queued', progress: 0 });

    const [job] = await t.database.query<{ data: Record<string, unknown> }>(
      "select data from pgboss.job where name = 'access-export' and data->>'exportId' = $1",
      [exportId],
    );
    expect(job?.data).toEqual({ tenantId: workspace.id, exportId });

    const ready = await eventually(
      async () => {
        const status = (await officer('GET', `/api/v1/contacts/${contactId}/access-exports/${exportId}`)).json().data;
        return status.status === 'ready' ? status : null;
      },
      { what: 'the export to be ready' },
    );
    expect(ready).toMatchObject({ progress: 100, step: 'done', contentType: 'application/zip' });
    expect(ready.byteSize).toBeGreaterThan(0);
    expect(runner.failures).toEqual([]);
    const link = await officer('POST', `/api/v1/contacts/${contactId}/access-exports/${exportId}/download-links`);
    const download = await t.app.inject({ method: 'GET', url: `/api/v1/access-export-downloads/${link.json().data.token}` });
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.subarray(0, 2).toString('latin1')).toBe('PK');
  });
});
