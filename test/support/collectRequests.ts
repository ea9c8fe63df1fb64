import { expect } from 'vitest';
import { createTestApp, type TestApp, type TestWorkspace } from './testApp.ts';
import { tenantRowCount } from './tenantRowCount.ts';

/** The site the form keys of these tests allow, and that their submissions come from. */
export const collectOrigin = 'https://www.shop.example';

/** The app the collection tests run (its public URL is where mailed links point) and its workspace. */
export async function openCollectApp(): Promise<{ t: TestApp; workspace: TestWorkspace }> {
  const t = await createTestApp({ config: { publicUrl: 'https://crm.example.org' } });
  return { t, workspace: await t.createWorkspace() };
}

/**
 * POST /api/v1/collect as a browser on the allowed site sends it, form keys made by the
 * workspace's admin, and the row counts of the tables a submission may write, read raw.
 * `opened` names the app and workspace when a request is made: a test file opens them in
 * beforeAll, after these are made.
 */
export function collectRequests(opened: () => { t: TestApp; workspace: TestWorkspace }) {
  async function formKey(body: Record<string, unknown> = {}): Promise<{ id: string; publicKey: string }> {
    const { t, workspace } = opened();
    const response = await t.request(workspace.keys.admin, {
      method: 'POST',
      url: '/api/v1/form-keys',
      payload: { name: 'Newsletter', allowedOrigins: [collectOrigin], ...body },
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json().data;
  }

  const collect = (publicKey: string, payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
    opened().t.app.inject({
      method: 'POST',
      url: '/api/v1/collect',
      payload,
      headers: { 'candor-form-key': publicKey, origin: collectOrigin, 'user-agent': 'TestBrowser/1.0', ...headers },
      remoteAddress: headers['x-test-ip'] ?? '203.0.113.7',
    });

  const count = (table: string) => {
    const { t, workspace } = opened();
    return tenantRowCount(t.database, workspace.id, table);
  };
  const counts = async () => ({
    contacts: await count('contacts'),
    consents: await count('consent_events'),
    events: await count('events'),
    visitors: await count('visitors'),
    requests: await count('consent_requests'),
  });

  return { formKey, collect, count, counts };
}
