import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { addUser } from '../src/accounts/users.ts';
import { sessionCookieOptions } from '../src/http/routes/auth.ts';
import { roleMatrix, roles } from '../src/shared/roles.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

let t: TestApp;
let workspace: TestWorkspace;
const password = 'correct horse battery staple';
const secrets: string[] = [password];

type Session = { cookie: string; csrfToken: string; userId: string };

function sessionCookieOf(response: LightMyRequestResponse): string {
  const cookie = response.cookies.find((candidate) => candidate.name === 'candor_session');
  if (!cookie) throw new Error(`no session cookie in a ${response.statusCode} response`);
  return cookie.value;
}

function login(email: string, pass = password, remoteAddress = '127.0.0.1', workspaceSlug = workspace.slug) {
  return t.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress, payload: { workspace: workspaceSlug, email, password: pass } });
}

async function loggedIn(email: string, pass = password): Promise<Session> {
  const response = await login(email, pass);
  expect(response.statusCode).toBe(200);
  const body = response.json();
  secrets.push(body.data.csrfToken, sessionCookieOf(response));
  return { cookie: sessionCookieOf(response), csrfToken: body.data.csrfToken, userId: body.data.user.id };
}

function asSession(session: Session, options: { method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; url: string; payload?: object; csrf?: string | null }) {
  const headers: Record<string, string> = {};
  const csrf = options.csrf === undefined ? session.csrfToken : options.csrf;
  if (csrf !== null) headers['x-csrf-token'] = csrf;
  return t.app.inject({ method: options.method, url: options.url, payload: options.payload, cookies: { candor_session: session.cookie }, headers });
}

const emails = {
  admin: 'ada.admin@example.test',
  sales: 'sam.sales@example.test',
  locked: 'lou.locked@example.test',
  sprayTarget: 'val.valid@example.test',
  forgiven: 'fay.forgiven@example.test',
  logout: 'leo.logout@example.test',
  reset: 'rita.reset@example.test',
  resetExpired: 'eli.expired@example.test',
  resetWeak: 'wes.weak@example.test',
  resetLimited: 'lim.limited@example.test',
  deactivated: 'dee.deactivated@example.test',
};

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
  for (const [name, email] of Object.entries(emails)) {
    await addUser(t.database.db, { tenantId: workspace.id, email, displayName: `User ${name}`, role: name === 'admin' ? 'admin' : 'sales', password });
  }
});
afterAll(() => t.close());

describe('logging in', () => {
  it('sets an HttpOnly, SameSite=Lax session cookie for the whole site and returns the CSRF token', async () => {
    const response = await login(emails.sales);
    expect(response.statusCode).toBe(200);
    const cookie = response.cookies.find((candidate) => candidate.name === 'candor_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie?.secure).toBeFalsy(); // the test app's public URL is http://localhost
    const body = response.json();
    expect(body.data.user).toMatchObject({ email: emails.sales, role: 'sales', status: 'active' });
    expect(body.data.user).not.toHaveProperty('passwordHash');
    expect(body.data.csrfToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
    secrets.push(body.data.csrfToken, cookie?.value ?? '');
  });

  it('marks the cookie Secure when Candor is served over https', () => {
    expect(sessionCookieOptions('https://crm.example.com').secure).toBe(true);
    expect(sessionCookieOptions('http://localhost:3000').secure).toBe(false);
  });

  it('accepts the e-mail address in any case and with surrounding spaces', async () => {
    const response = await login(`  ${emails.sales.toUpperCase()} `);
    expect(response.statusCode).toBe(200);
  });

  it('answers a wrong password, an unknown user and an unknown workspace with the same 401', async () => {
    const wrongPassword = await login(emails.sales, 'not the password at all');
    const unknownUser = await login('nobody@example.test');
    const unknownWorkspace = await login(emails.sales, password, '127.0.0.1', 'no-such-workspace');
    for (const response of [wrongPassword, unknownUser, unknownWorkspace]) {
      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
    expect(unknownUser.json().detail).toBe(wrongPassword.json().detail);
    expect(unknownWorkspace.json().detail).toBe(wrongPassword.json().detail);
    expect(wrongPassword.cookies).toHaveLength(0);
  });

  it('tells who is logged in, with role, CSRF token and the purposes a session may use', async () => {
    const session = await loggedIn(emails.admin);
    const response = await asSession(session, { method: 'GET', url: '/api/v1/auth/me' });
    expect(response.statusCode).toBe(200);
    const me = response.json().data;
    expect(me).toMatchObject({ role: 'admin', csrfToken: session.csrfToken, apiKeyId: null, defaultPurpose: null });
    expect(me.user.email).toBe(emails.admin);
    expect(me.purposes).toEqual(expect.arrayContaining(['sales', 'email_marketing']));
  });

  it('tells an API key its role and its own purposes, only those the workspace grants its role', async () => {
    const response = await t.request(workspace.keys.support, { method: 'GET', url: '/api/v1/auth/me' });
    expect(response.statusCode).toBe(200);
    expect(response.json().data).toMatchObject({ user: null, role: 'support', csrfToken: null, defaultPurpose: 'support' });
    // The test key may name every purpose; support is granted support and order fulfilment.
    expect(response.json().data.purposes.sort()).toEqual(['order_fulfilment', 'support']);
  });

  it("lists what the caller's role may do: each role gets exactly its row of the role matrix", async () => {
    for (const role of roles) {
      const me = (await t.request(workspace.keys[role], { method: 'GET', url: '/api/v1/auth/me' })).json().data;
      expect(me.role).toBe(role);
      expect([...me.permissions].sort()).toEqual([...roleMatrix[role]].sort());
    }
    const session = (await asSession(await loggedIn(emails.sales), { method: 'GET', url: '/api/v1/auth/me' })).json().data;
    expect(session.permissions).toContain('contact:write');
    expect(session.permissions).not.toContain('contact:delete');
  });

  it("lists for a session only the purposes the workspace grants the user's role", async () => {
    const me = (await asSession(await loggedIn(emails.sales), { method: 'GET', url: '/api/v1/auth/me' })).json().data;
    expect(me.role).toBe('sales');
    expect(me.purposes).toContain('sales');
    expect(me.purposes).not.toContain('email_marketing');
  });
});

describe('CSRF protection of cookie sessions', () => {
  const newKey = { name: 'made from a browser', role: 'analyst', purposes: ['sales'] };

  it('refuses a cookie-authenticated POST without the CSRF token with 403', async () => {
    const session = await loggedIn(emails.admin);
    const response = await asSession(session, { method: 'POST', url: '/api/v1/api-keys', payload: newKey, csrf: null });
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('csrf_failed');
  });

  it("refuses a cookie-authenticated POST with another session's CSRF token", async () => {
    const session = await loggedIn(emails.admin);
    const other = await loggedIn(emails.admin);
    const response = await asSession(session, { method: 'POST', url: '/api/v1/api-keys', payload: newKey, csrf: other.csrfToken });
    expect(response.statusCode).toBe(403);
  });

  it("accepts the same POST with the token, and records the user as the key's creator", async () => {
    const session = await loggedIn(emails.admin);
    const response = await asSession(session, { method: 'POST', url: '/api/v1/api-keys', payload: newKey });
    expect(response.statusCode).toBe(201);
    expect(response.json().data.createdBy).toBe(session.userId);
    secrets.push(response.json().data.key);
  });

  it('lets a browser that still holds a cookie log in again without the token', async () => {
    const session = await loggedIn(emails.sales);
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      cookies: { candor_session: session.cookie },
      payload: { workspace: workspace.slug, email: emails.sales, password },
    });
    expect(response.statusCode).toBe(200);
  });
});

describe('login rate limits', () => {
  it('slows one address down after 5 failures on an account: 429 with Retry-After, even for the right password, while another address still logs in', async () => {
    const address = '192.0.2.10';
    for (let attempt = 0; attempt < 5; attempt += 1) expect((await login(emails.locked, 'wrong password!', address)).statusCode).toBe(401);
    const refused = await login(emails.locked, 'wrong password!', address);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json().code).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(25);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(30);
    const correctDuringBackoff = await login(emails.locked, password, address);
    expect(correctDuringBackoff.statusCode).toBe(429);
    expect(correctDuringBackoff.cookies).toHaveLength(0);
    expect((await login(emails.locked, password, '192.0.2.11')).statusCode).toBe(200);
  });

  it('locks unknown addresses the same way, so a 429 does not reveal who has an account', async () => {
    const address = '192.0.2.20';
    const statuses = [];
    for (let attempt = 0; attempt < 6; attempt += 1) statuses.push((await login('ghost@example.test', 'wrong password!', address)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it('stops one client address after 30 failures across many accounts, while others still log in', async () => {
    const address = '198.51.100.7';
    for (let attempt = 0; attempt < 30; attempt += 1) {
      expect((await login(`spray${attempt}@example.test`, 'wrong password!', address)).statusCode).toBe(401);
    }
    expect((await login(emails.sprayTarget, password, address)).statusCode).toBe(429);
    expect((await login(emails.sprayTarget, password, '198.51.100.8')).statusCode).toBe(200);
  });

  it("clears an account's failures when its password is then given correctly", async () => {
    const address = '192.0.2.30';
    for (let attempt = 0; attempt < 4; attempt += 1) await login(emails.forgiven, 'wrong password!', address);
    expect((await login(emails.forgiven, password, address)).statusCode).toBe(200);
    for (let attempt = 0; attempt < 4; attempt += 1) expect((await login(emails.forgiven, 'wrong password!', address)).statusCode).toBe(401);
  });

  it('keeps only hashed keys in rate_limit_buckets, never e-mail or IP addresses', async () => {
    const keys = (await t.database.query<{ key: string }>('select key from rate_limit_buckets')).map((row) => row.key);
    expect(keys.length).toBeGreaterThan(3);
    for (const key of keys) {
      expect(key).toMatch(/^[a-z_.]+:[0-9a-f]{64}(\.[0-9a-f]{64})?$/);
      expect(key).not.toMatch(/@|192\.0\.2|198\.51/);
    }
  });
});

describe('logging out', () => {
  it('requires the CSRF token, then the session stops working at once', async () => {
    const session = await loggedIn(emails.logout);
    expect((await asSession(session, { method: 'POST', url: '/api/v1/auth/logout', csrf: null })).statusCode).toBe(403);
    const response = await asSession(session, { method: 'POST', url: '/api/v1/auth/logout' });
    expect(response.statusCode).toBe(204);
    const cleared = response.cookies.find((candidate) => candidate.name === 'candor_session');
    expect(cleared?.value).toBe('');
    expect((await asSession(session, { method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(401);
  });
});

describe('password reset', () => {
  const mailTo = async (email: string, count: number) => {
    await vi.waitFor(() => expect(t.mail.filter((message) => message.to === email)).toHaveLength(count));
    return t.mail.filter((message) => message.to === email);
  };
  const tokenIn = (text: string) => {
    const match = /\/reset-password#token=(\S+)/.exec(text);
    if (!match) throw new Error('no reset link in the mail');
    const token = decodeURIComponent(match[1]);
    secrets.push(token);
    return token;
  };
  const requestReset = (email: string, remoteAddress = '127.0.0.1') =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', remoteAddress, payload: { workspace: workspace.slug, email } });
  const completeReset = (token: string, newPassword: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset/complete', payload: { token, password: newPassword } });

  it('mails a one-hour link; the new password works, the old one and every old session do not', async () => {
    const before = await loggedIn(emails.reset);
    const response = await requestReset(emails.reset);
    expect(response.statusCode).toBe(202);
    const [mail] = await mailTo(emails.reset, 1);
    expect(mail.text).toContain('http://localhost:3000/reset-password#token=');
    const token = tokenIn(mail.text);
    const [row] = await t.database.query<{ expires_at: Date; created_at: Date; token_hash: string }>(
      'select expires_at, created_at, token_hash from password_resets where tenant_id = $1',
      [workspace.id],
    );
    expect(new Date(row.expires_at).getTime() - new Date(row.created_at).getTime()).toBeLessThanOrEqual(60 * 60 * 1000 + 1000);
    expect(row.token_hash).not.toContain(token.split('.')[2]);

    const newPassword = 'a brand new passphrase';
    secrets.push(newPassword);
    expect((await completeReset(token, newPassword)).statusCode).toBe(204);
    expect((await asSession(before, { method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(401);
    expect((await login(emails.reset, password)).statusCode).toBe(401);
    expect((await login(emails.reset, newPassword)).statusCode).toBe(200);
    const reused = await completeReset(token, 'yet another passphrase');
    expect(reused.statusCode).toBe(422);
    expect(reused.json().errors[0].field).toBe('token');
  });

  it('answers 202 for an unknown address and a deactivated user, and sends nothing', async () => {
    await t.database.query("update users set status = 'deactivated' where tenant_id = $1 and email = $2", [workspace.id, emails.deactivated]);
    const sentBefore = t.mail.length;
    const unknown = await requestReset('nobody-here@example.test');
    const deactivated = await requestReset(emails.deactivated);
    expect(unknown.statusCode).toBe(202);
    expect(deactivated.statusCode).toBe(202);
    expect(unknown.json()).toEqual(deactivated.json());
    expect(t.mail.length).toBe(sentBefore);
  });

  it('refuses an expired token', async () => {
    await requestReset(emails.resetExpired);
    const [mail] = await mailTo(emails.resetExpired, 1);
    const token = tokenIn(mail.text);
    await t.database.query("update password_resets set expires_at = now() - interval '1 minute' where tenant_id = $1 and id = $2", [
      workspace.id,
      token.split('.')[1],
    ]);
    expect((await completeReset(token, 'a perfectly fine passphrase')).statusCode).toBe(422);
    expect((await login(emails.resetExpired, password)).statusCode).toBe(200);
  });

  it('refuses a weak password without using up the token, and a forged token', async () => {
    await requestReset(emails.resetWeak);
    const [mail] = await mailTo(emails.resetWeak, 1);
    const token = tokenIn(mail.text);
    const weak = await completeReset(token, 'short');
    expect(weak.statusCode).toBe(422);
    expect(weak.json().errors[0].field).toBe('password');
    const [tenantId, id] = token.split('.');
    expect((await completeReset(`${tenantId}.${id}.${'A'.repeat(43)}`, 'a perfectly fine passphrase')).statusCode).toBe(422);
    expect((await completeReset(token, 'a perfectly fine passphrase')).statusCode).toBe(204);
  });

  it('limits reset requests per account with 429', async () => {
    const statuses = [];
    for (let attempt = 0; attempt < 4; attempt += 1) statuses.push((await requestReset(emails.resetLimited, '192.0.2.40')).statusCode);
    expect(statuses).toEqual([202, 202, 202, 429]);
    await mailTo(emails.resetLimited, 3);
  });
});

describe('what the auth routes leave in the logs', () => {
  it('logs no password, token, session cookie or e-mail address', () => {
    const logs = t.logs.join('\n');
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of secrets.filter((value) => value.length > 0)) expect(logs).not.toContain(secret);
    for (const email of Object.values(emails)) expect(logs.toLowerCase()).not.toContain(email);
    expect(logs).not.toMatch(/@example\.test/);
  });
});
