import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { addUser } from '../src/accounts/users.ts';
import { createApiKey } from '../src/accounts/apiKeys.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

let t: TestApp;
let workspace: TestWorkspace;
let otherWorkspace: TestWorkspace;
const password = 'correct horse battery staple';
const secrets: string[] = [password];

type Session = { cookie: string; csrfToken: string; userId: string };

function sessionFrom(response: LightMyRequestResponse): Session {
  const cookie = response.cookies.find((candidate) => candidate.name === 'candor_session');
  if (!cookie) throw new Error(`no session cookie in a ${response.statusCode} response`);
  const body = response.json();
  secrets.push(cookie.value, body.data.csrfToken);
  return { cookie: cookie.value, csrfToken: body.data.csrfToken, userId: body.data.user.id };
}

const login = (email: string, pass = password) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { workspace: workspace.slug, email, password: pass } });

function asSession(
  session: Session,
  options: { method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; url: string; payload?: object; headers?: Record<string, string> },
) {
  return t.app.inject({ ...options, cookies: { candor_session: session.cookie }, headers: { 'x-csrf-token': session.csrfToken, ...options.headers } });
}

const invite = (email: string, role = 'sales', key = workspace.keys.admin, headers: Record<string, string> = {}) =>
  t.request(key, { method: 'POST', url: '/api/v1/users/invitations', payload: { email, role }, headers });

const accept = (token: string, displayName = 'New Person', pass = password) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/accept-invitation', payload: { token, displayName, password: pass } });

function invitationTokenFor(email: string): string {
  const mail = t.mail.filter((message) => message.to === email).at(-1);
  if (!mail) throw new Error('no invitation mail');
  const match = /\/accept-invitation#token=(\S+)/.exec(mail.text);
  if (!match) throw new Error('no invitation link in the mail');
  const token = decodeURIComponent(match[1]);
  secrets.push(token);
  return token;
}

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
  otherWorkspace = await t.createWorkspace();
  await addUser(t.database.db, { tenantId: workspace.id, email: 'root.admin@example.test', displayName: 'Root Admin', role: 'admin', password });
});
afterAll(() => t.close());

describe('invitations', () => {
  it('mails a one-time link; accepting it creates an active user who is logged in at once', async () => {
    const response = await invite('nina.new@example.test', 'marketing');
    expect(response.statusCode).toBe(201);
    expect(response.json().data).toMatchObject({ email: 'nina.new@example.test', role: 'marketing' });
    expect(response.json().data).not.toHaveProperty('token');
    const [mail] = t.mail.filter((message) => message.to === 'nina.new@example.test');
    expect(mail.subject).toContain('Test workspace');
    expect(mail.text).toContain('http://localhost:3000/accept-invitation#token=');
    const token = invitationTokenFor('nina.new@example.test');

    const accepted = await accept(token, 'Nina New');
    expect(accepted.statusCode).toBe(201);
    const cookie = accepted.cookies.find((candidate) => candidate.name === 'candor_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    const session = sessionFrom(accepted);
    expect(accepted.json().data.user).toMatchObject({ email: 'nina.new@example.test', displayName: 'Nina New', role: 'marketing', status: 'active' });
    const me = await asSession(session, { method: 'GET', url: '/api/v1/auth/me' });
    expect(me.json().data.role).toBe('marketing');
    expect((await login('nina.new@example.test')).statusCode).toBe(200);
  });

  it('refuses a used token, an expired token and a forged one alike', async () => {
    await invite('ulla.used@example.test');
    const used = invitationTokenFor('ulla.used@example.test');
    expect((await accept(used)).statusCode).toBe(201);
    const again = await accept(used);
    expect(again.statusCode).toBe(422);
    expect(again.json().errors[0].field).toBe('token');

    await invite('eddie.expired@example.test');
    const expired = invitationTokenFor('eddie.expired@example.test');
    await t.database.query("update invitations set expires_at = now() - interval '1 second' where tenant_id = $1 and id = $2", [
      workspace.id,
      expired.split('.')[1],
    ]);
    expect((await accept(expired)).statusCode).toBe(422);

    const [tenantId, id] = expired.split('.');
    expect((await accept(`${tenantId}.${id}.${'x'.repeat(43)}`)).statusCode).toBe(422);
    expect((await accept('not-a-token')).statusCode).toBe(422);
  });

  it('keeps only the newest link working when someone is invited twice', async () => {
    await invite('twice@example.test');
    const first = invitationTokenFor('twice@example.test');
    await invite('twice@example.test', 'support');
    const second = invitationTokenFor('twice@example.test');
    expect((await accept(first)).statusCode).toBe(422);
    const accepted = await accept(second);
    expect(accepted.statusCode).toBe(201);
    expect(accepted.json().data.user.role).toBe('support');
  });

  it('refuses to invite an existing user (409) and refuses a weak password on acceptance (422)', async () => {
    expect((await invite('root.admin@example.test')).statusCode).toBe(409);
    await invite('wendy.weak@example.test');
    const token = invitationTokenFor('wendy.weak@example.test');
    const weak = await accept(token, 'Wendy', 'short');
    expect(weak.statusCode).toBe(422);
    expect(weak.json().errors[0].field).toBe('password');
    expect((await accept(token, 'Wendy')).statusCode).toBe(201);
  });

  it('lets only admins invite', async () => {
    for (const role of ['privacy_officer', 'sales', 'support', 'marketing', 'analyst'] as const) {
      const response = await invite(`not-by-${role}@example.test`, 'sales', workspace.keys[role]);
      expect(response.statusCode, role).toBe(403);
    }
  });

  it('creates one invitation and sends one e-mail for a retried Idempotency-Key', async () => {
    const headers = { 'idempotency-key': 'invite-retry-1' };
    const first = await invite('ivy.idem@example.test', 'sales', workspace.keys.admin, headers);
    const retry = await invite('ivy.idem@example.test', 'sales', workspace.keys.admin, headers);
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(retry.json().data.id).toBe(first.json().data.id);
    expect(t.mail.filter((message) => message.to === 'ivy.idem@example.test')).toHaveLength(1);
  });
});

describe('listing and changing users', () => {
  it("lists the workspace's users with keyset pages and never another workspace's", async () => {
    await addUser(t.database.db, { tenantId: otherWorkspace.id, email: 'elsewhere@example.test', displayName: 'Elsewhere', role: 'admin', password });
    const first = await t.request(workspace.keys.privacy_officer, { method: 'GET', url: '/api/v1/users?limit=2' });
    expect(first.statusCode).toBe(200);
    expect(first.json().data).toHaveLength(2);
    expect(first.json().nextCursor).toEqual(expect.any(String));
    const all = [];
    let cursor: string | null = null;
    do {
      const page: LightMyRequestResponse = await t.request(workspace.keys.admin, {
        method: 'GET',
        url: `/api/v1/users?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      });
      all.push(...page.json().data);
      cursor = page.json().nextCursor;
    } while (cursor);
    const emails = all.map((user: { email: string }) => user.email);
    expect(emails).toContain('root.admin@example.test');
    expect(emails).not.toContain('elsewhere@example.test');
    expect(new Set(all.map((user: { id: string }) => user.id)).size).toBe(all.length);
    expect(all.every((user: object) => !('passwordHash' in user))).toBe(true);
    expect((await t.request(workspace.keys.sales, { method: 'GET', url: '/api/v1/users' })).statusCode).toBe(403);
  });

  it('changes role and display name only with a current If-Match', async () => {
    const user = await addUser(t.database.db, { tenantId: workspace.id, email: 'pat.patch@example.test', displayName: 'Pat', role: 'sales', password });
    const url = `/api/v1/users/${user.id}`;
    const read = await t.request(workspace.keys.admin, { method: 'GET', url });
    expect(read.headers.etag).toBe('"1"');
    expect((await t.request(workspace.keys.admin, { method: 'PATCH', url, payload: { role: 'support' } })).statusCode).toBe(428);
    const patched = await t.request(workspace.keys.admin, {
      method: 'PATCH',
      url,
      payload: { role: 'support', displayName: 'Pat P.' },
      headers: { 'if-match': '"1"' },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().data).toMatchObject({ role: 'support', displayName: 'Pat P.', version: 2 });
    expect(patched.headers.etag).toBe('"2"');
    expect((await t.request(workspace.keys.admin, { method: 'PATCH', url, payload: { role: 'analyst' }, headers: { 'if-match': '"1"' } })).statusCode).toBe(
      412,
    );
    expect((await t.request(workspace.keys.admin, { method: 'PATCH', url, payload: { role: 'chief' }, headers: { 'if-match': '"2"' } })).statusCode).toBe(422);
  });

  it('revokes, on demotion, the keys the user made that can do more than their new role', async () => {
    const user = await addUser(t.database.db, { tenantId: workspace.id, email: 'demi.demoted@example.test', displayName: 'Demi', role: 'admin', password });
    const adminKey = (await createApiKey(t.database.db, { tenantId: workspace.id, name: 'admin', role: 'admin', purposes: ['sales'], createdBy: user.id })).key;
    const salesKey = (await createApiKey(t.database.db, { tenantId: workspace.id, name: 'sales', role: 'sales', purposes: ['sales'], createdBy: user.id })).key;
    secrets.push(adminKey, salesKey);
    const demoted = await t.request(workspace.keys.admin, {
      method: 'PATCH',
      url: `/api/v1/users/${user.id}`,
      payload: { role: 'sales' },
      headers: { 'if-match': '"1"' },
    });
    expect(demoted.statusCode).toBe(200);
    expect((await t.request(adminKey, { method: 'GET', url: '/api/v1/purposes' })).statusCode).toBe(401);
    expect((await t.request(salesKey, { method: 'GET', url: '/api/v1/purposes' })).statusCode).toBe(200);
  });

  it("answers 404 for another workspace's user and 422 for a malformed id", async () => {
    const stranger = await addUser(t.database.db, {
      tenantId: otherWorkspace.id,
      email: 'stranger@example.test',
      displayName: 'Stranger',
      role: 'sales',
      password,
    });
    expect((await t.request(workspace.keys.admin, { method: 'GET', url: `/api/v1/users/${stranger.id}` })).statusCode).toBe(404);
    expect((await t.request(workspace.keys.admin, { method: 'POST', url: `/api/v1/users/${stranger.id}/deactivate` })).statusCode).toBe(404);
    expect((await t.request(workspace.keys.admin, { method: 'GET', url: '/api/v1/users/not-a-uuid' })).statusCode).toBe(422);
  });

  it('refuses to demote or deactivate the last active admin', async () => {
    const lonely = await t.createWorkspace();
    const admin = await addUser(t.database.db, { tenantId: lonely.id, email: 'only.admin@example.test', displayName: 'Only', role: 'admin', password });
    const demote = await t.request(lonely.keys.admin, {
      method: 'PATCH',
      url: `/api/v1/users/${admin.id}`,
      payload: { role: 'sales' },
      headers: { 'if-match': '"1"' },
    });
    expect(demote.statusCode).toBe(409);
    expect((await t.request(lonely.keys.admin, { method: 'POST', url: `/api/v1/users/${admin.id}/deactivate` })).statusCode).toBe(409);
  });
});

describe('deactivation', () => {
  it("stops the user's sessions and the API keys they created at once; reactivation brings back only logins", async () => {
    const user = await addUser(t.database.db, { tenantId: workspace.id, email: 'dora.deact@example.test', displayName: 'Dora', role: 'admin', password });
    const session = sessionFrom(await login('dora.deact@example.test'));
    const created = await asSession(session, {
      method: 'POST',
      url: '/api/v1/api-keys',
      payload: { name: "Dora's integration", role: 'sales', purposes: ['sales'] },
    });
    expect(created.statusCode).toBe(201);
    const browserKey: string = created.json().data.key;
    // A key made with one of her keys counts as hers too.
    const viaKey = await t.request(browserKey, { method: 'GET', url: '/api/v1/purposes' });
    expect(viaKey.statusCode).toBe(200);
    const cliKey = (await createApiKey(t.database.db, { tenantId: workspace.id, name: 'cli', role: 'analyst', purposes: ['sales'], createdBy: user.id })).key;
    secrets.push(browserKey, cliKey);

    const deactivated = await t.request(workspace.keys.admin, { method: 'POST', url: `/api/v1/users/${user.id}/deactivate` });
    expect(deactivated.statusCode).toBe(200);
    expect(deactivated.json().data).toMatchObject({ status: 'deactivated', deactivatedAt: expect.any(String) });

    expect((await asSession(session, { method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(401);
    expect((await t.request(browserKey, { method: 'GET', url: '/api/v1/purposes' })).statusCode).toBe(401);
    expect((await t.request(cliKey, { method: 'GET', url: '/api/v1/purposes' })).statusCode).toBe(401);
    expect((await login('dora.deact@example.test')).statusCode).toBe(401);
    const keys = (await t.request(workspace.keys.admin, { method: 'GET', url: '/api/v1/api-keys?limit=200' })).json().data as Array<{
      createdBy: string | null;
      revokedAt: string | null;
    }>;
    const hers = keys.filter((key) => key.createdBy === user.id);
    expect(hers).toHaveLength(2);
    expect(hers.every((key) => key.revokedAt !== null)).toBe(true);

    const reactivated = await t.request(workspace.keys.admin, { method: 'POST', url: `/api/v1/users/${user.id}/reactivate` });
    expect(reactivated.json().data).toMatchObject({ status: 'active', deactivatedAt: null });
    expect((await login('dora.deact@example.test')).statusCode).toBe(200);
    expect((await asSession(session, { method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(401);
    expect((await t.request(browserKey, { method: 'GET', url: '/api/v1/purposes' })).statusCode).toBe(401);
  });

  it('audits deactivation by field name only', async () => {
    const user = await addUser(t.database.db, { tenantId: workspace.id, email: 'audit.me@example.test', displayName: 'Audit Me', role: 'sales', password });
    await t.request(workspace.keys.admin, { method: 'POST', url: `/api/v1/users/${user.id}/deactivate` });
    const entries = await t.database.query<{ action: string; fields: string[]; detail: unknown }>(
      'select action, fields, detail from audit_entries where tenant_id = $1 and $2 = any(record_ids)',
      [workspace.id, user.id],
    );
    expect(entries.map((entry) => entry.action)).toContain('user.updated');
    expect(JSON.stringify(entries)).not.toContain('audit.me@example.test');
  });
});

describe('what the user routes leave in the logs', () => {
  it('logs no password, token, cookie or e-mail address', () => {
    const logs = t.logs.join('\n');
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(logs).not.toContain(secret);
    expect(logs).not.toMatch(/@example\.test/);
  });
});
