import { expect } from 'vitest';
import type { TestApp, TestWorkspace } from './testApp.ts';

/** The site the form keys of these tests allow, and that their submissions come from. */
export const collectOrigin = 'https://www.shop.example';

/**
 * POST /api/v1/collect as a browser on the allowed site sends it, form keys made by the
 * workspace's admin, and the row counts of the tables a submission may write, read raw.
 */
export function collectRequests(t: TestApp, workspace: TestWorkspace) {
  async function formKey(body: Record<string, unknown> = {}): Promise<{ id: string; publicKey: string }> {
    const response = await t.request(workspace.keys.admin, {
      method: 'POST',
      url: '/api/v1/form-keys',
      payload: { name: 'Newsletter', allowedOrigins: [collectOrigin], ...body },
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json().data;
  }

  const collect = (publicKey: string, payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/collect',
      payload,
      headers: { 'candor-form-key': publicKey, origin: collectOrigin, 'user-agent': 'TestBrowser/1.0', ...headers },
      remoteAddress: headers['x-test-ip'] ?? '203.0.113.7',
    });

  async function count(table: string): Promise<number> {
    const [row] = await t.database.query<{ n: number }>(`select count(*)::int as n from ${table} where tenant_id = $1`, [workspace.id]);
    return row.n;
  }
  const counts = async () => ({
    contacts: await count('contacts'),
    consents: await count('consent_events'),
    events: await count('events'),
    visitors: await count('visitors'),
    requests: await count('consent_requests'),
  });

  return { formKey, collect, count, counts };
}
