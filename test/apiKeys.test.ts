import { forgetCredentials } from '../src/accounts/credentialCache.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

let t: TestApp;
let workspace: TestWorkspace;
let otherWorkspace: TestWorkspace;
const createdKeys: string[] = [];

const createKey = (payload: object, key = workspace.keys.admin, headers: Record<string, string> = {}) =>
  t.request(key, { method: 'POST', url: '/api/v1/api-keys', payload, headers });

const inOneDay = () => new Date(Date.now() + 86_400_000).toISOString();

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
  otherWorkspace = await t.createWorkspace();
});
afterAll(() => t.close());

describe('API keys over HTTP', () => {
  it('creates a key, shows it once, and the key works with its purposes and default', async () => {
    const response = await createKey({
      name: 'Zapier',
      role: 'marketing',
      purposes: ['email_marketing', 'sales'],
      defaultPurpose: 'sales',
      expiresAt: inOneDay(),
    });
    expect(response.statusCode).toBe(201);
    const data = response.json().data;
    expect(data.key).toMatch(new RegExp(`^cnd_${data.keyId}_[A-Za-z0-9_-]{43}$`));
    expect(data).toMatchObject({ name: 'Zapier', role: 'marketing', purposes: ['email_marketing', 'sales'], defaultPurpose: 'sales', revokedAt: null });
    expect(data).not.toHaveProperty('secretHash');
    createdKeys.push(data.key);

    const me = await t.request(data.key, { method: 'GET', url: '/api/v1/auth/me' });
    // /me lists what the key can really act for: sales is the key's, but not granted to marketing.
    expect(me.json().data).toMatchObject({ role: 'marketing', purposes: ['email_marketing'], defaultPurpose: 'sales', apiKeyId: data.id });
    expect((await t.request(data.key, { method: 'GET', url: '/api/v1/purposes', purpose: 'web_analytics' })).statusCode).toBe(403);
  });

  it('never returns a secret or its hash when listing or reading keys', async () => {
    const created = (await createKey({ name: 'secret keeper', role: 'sales', purposes: ['sales'] })).json().data;
    createdKeys.push(created.key);
    const secret = (created.key as string).slice('cnd_'.length + 16 + 1);
    const list = await t.request(workspace.keys.admin, { method: 'GET', url: '/api/v1/api-keys' });
    expect(list.statusCode).toBe(200);
    expect(list.json().data.map((key: { id: string }) => key.id)).toContain(created.id);
    const one = await t.request(workspace.keys.admin, { method: 'GET', url: `/api/v1/api-keys/${created.id}` });
    for (const body of [list.body, one.body]) {
      expect(body).not.toContain(secret);
      expect(body).not.toMatch(/secretHash|"key":/);
      for (const key of createdKeys) expect(body).not.toContain(key);
    }
    // The test workspace's own keys appear too, without their secrets.
    for (const key of Object.values(workspace.keys)) expect(list.body).not.toContain(key.slice('cnd_'.length + 16 + 1));
  });

  it('revokes a key with DELETE: it stops working at once and shows when it was revoked', async () => {
    const created = (await createKey({ name: 'short-lived', role: 'support', purposes: ['support'] })).json().data;
    createdKeys.push(created.key);
    expect((await t.request(created.key, { method: 'GET', url: '/api/v1/purposes' })).statusCode).toBe(200);
    expect((await t.request(workspace.keys.admin, { method: 'DELETE', url: `/api/v1/api-keys/${created.id}` })).statusCode).toBe(204);
    expect((await t.request(created.key, { method: 'GET', url: '/api/v1/purposes' })).statusCode).toBe(401);
    const read = await t.request(workspace.keys.admin, { method: 'GET', url: `/api/v1/api-keys/${created.id}` });
    expect(read.json().data.revokedAt).toEqual(expect.any(String));
    expect((await t.request(workspace.keys.admin, { method: 'DELETE', url: `/api/v1/api-keys/${created.id}` })).statusCode).toBe(204);
    const live = await t.request(workspace.keys.admin, { method: 'GET', url: '/api/v1/api-keys?includeRevoked=false&limit=200' });
    expect(live.json().data.map((key: { id: string }) => key.id)).not.toContain(created.id);
  });

  it('refuses an expired key with 401', async () => {
    const created = (await createKey({ name: 'expiring', role: 'analyst', purposes: ['web_analytics'], expiresAt: inOneDay() })).json().data;
    createdKeys.push(created.key);
    expect((await t.request(created.key, { method: 'GET', url: '/api/v1/purposes' })).statusCode).toBe(200);
    await t.database.query("update api_keys set expires_at = now() - interval '1 second' where tenant_id = $1 and id = $2", [workspace.id, created.id]);
    // Changed behind Candor's back, so the in-process memo of verified keys (one second) is cleared by hand.
    forgetCredentials();
    const refused = await t.request(created.key, { method: 'GET', url: '/api/v1/purposes' });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().code).toBe('unauthenticated');
  });

  it('validates the request: past expiry, unknown purpose, default outside the purposes, unknown role', async () => {
    const past = await createKey({ name: 'x', role: 'sales', purposes: ['sales'], expiresAt: '2000-01-01T00:00:00Z' });
    expect(past.statusCode).toBe(422);
    expect(past.json().errors[0].field).toBe('expiresAt');
    const unknownPurpose = await createKey({ name: 'x', role: 'sales', purposes: ['world_domination'] });
    expect(unknownPurpose.statusCode).toBe(400);
    expect(unknownPurpose.json().code).toBe('unknown_purpose');
    const badDefault = await createKey({ name: 'x', role: 'sales', purposes: ['sales'], defaultPurpose: 'support' });
    expect(badDefault.statusCode).toBe(422);
    expect(badDefault.json().errors[0].field).toBe('defaultPurpose');
    const badRole = await createKey({ name: 'x', role: 'overlord', purposes: ['sales'] });
    expect(badRole.statusCode).toBe(422);
    expect(badRole.json().errors[0].field).toBe('role');
    const noPurposes = await createKey({ name: 'x', role: 'sales', purposes: [] });
    expect(noPurposes.statusCode).toBe(422);
  });

  it('lets only admins manage keys', async () => {
    for (const role of ['privacy_officer', 'sales', 'support', 'marketing', 'analyst'] as const) {
      expect((await createKey({ name: 'x', role: 'admin', purposes: ['sales'] }, workspace.keys[role])).statusCode, role).toBe(403);
      expect((await t.request(workspace.keys[role], { method: 'GET', url: '/api/v1/api-keys' })).statusCode, role).toBe(403);
    }
  });

  it("keeps workspaces apart: another workspace's key id is 404 and stays live", async () => {
    const foreign = (await createKey({ name: 'foreign', role: 'sales', purposes: ['sales'] }, otherWorkspace.keys.admin)).json().data;
    createdKeys.push(foreign.key);
    expect((await t.request(workspace.keys.admin, { method: 'DELETE', url: `/api/v1/api-keys/${foreign.id}` })).statusCode).toBe(404);
    expect((await t.request(workspace.keys.admin, { method: 'GET', url: `/api/v1/api-keys/${foreign.id}` })).statusCode).toBe(404);
    expect((await t.request(foreign.key, { method: 'GET', url: '/api/v1/purposes' })).statusCode).toBe(200);
    const list = await t.request(workspace.keys.admin, { method: 'GET', url: '/api/v1/api-keys?limit=200' });
    expect(list.json().data.map((key: { id: string }) => key.id)).not.toContain(foreign.id);
  });

  it('pages through keys with a cursor', async () => {
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { data: Array<{ id: string }>; nextCursor: string | null } = (
        await t.request(workspace.keys.admin, { method: 'GET', url: `/api/v1/api-keys?limit=3${cursor ? `&cursor=${cursor}` : ''}` })
      ).json();
      for (const key of page.data) seen.add(key.id);
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    const total = (await t.request(workspace.keys.admin, { method: 'GET', url: '/api/v1/api-keys?limit=200' })).json().data.length;
    expect(seen.size).toBe(total);
    expect(total).toBeGreaterThan(6);
    expect(pages).toBe(Math.ceil(total / 3));
  });

  it('replays an Idempotency-Key retry as the same key, without showing the secret again', async () => {
    const headers = { 'idempotency-key': 'create-key-1' };
    const first = await createKey({ name: 'idempotent', role: 'sales', purposes: ['sales'] }, workspace.keys.admin, headers);
    const retry = await createKey({ name: 'idempotent', role: 'sales', purposes: ['sales'] }, workspace.keys.admin, headers);
    createdKeys.push(first.json().data.key);
    expect(retry.statusCode).toBe(201);
    expect(retry.json().data.id).toBe(first.json().data.id);
    expect(retry.json().data.key).toBeUndefined();
    const stored = await t.database.query('select * from idempotency_keys where tenant_id = $1', [workspace.id]);
    expect(JSON.stringify(stored)).not.toContain(first.json().data.key);
  });

  it('logs no key', () => {
    const logs = t.logs.join('\n');
    // The secret is everything after "cnd_<16-character key id>_" (base64url may itself contain "_").
    for (const key of [...createdKeys, ...Object.values(workspace.keys)]) expect(logs).not.toContain(key.slice('cnd_'.length + 16 + 1));
  });
});
