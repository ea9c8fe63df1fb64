import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addUser } from '../src/accounts/users.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

// The pages a browser lands on before the web app exists: the home page and the targets of
// the e-mailed links, which must work under the server's CSP and keep the token out of logs.

let t: TestApp;
let workspace: TestWorkspace;
const tokens: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
});
afterAll(() => t.close());

/** The link in the newest mail to `email`, split as a browser does: the fragment never reaches the server. */
function linkIn(email: string): { path: string; token: string } {
  const mail = t.mail.filter((message) => message.to === email).at(-1);
  const match = /http:\/\/localhost:3000(\/[\w-]+)#token=(\S+)/.exec(mail?.text ?? '');
  if (!match) throw new Error(`no link with a #token fragment in the mail to ${email}`);
  const token = decodeURIComponent(match[2]);
  tokens.push(token);
  return { path: match[1], token };
}

const login = (email: string, password: string) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { workspace: workspace.slug, email, password } });

/** A page that needs no login, is HTML, and runs only scripts and styles served by Candor (the CSP allows nothing inline). */
async function expectPublicPage(path: string) {
  const response = await t.app.inject({ method: 'GET', url: path });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
  expect(response.headers['content-security-policy']).toContain("script-src 'self'");
  expect(response.headers['referrer-policy']).toBe('no-referrer');
  expect(response.body).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>|<style|\son\w+=|style=/);
  for (const [, asset] of response.body.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)) {
    expect((await t.app.inject({ method: 'GET', url: asset })).statusCode).toBe(200);
  }
  return response.body;
}

describe('the home page', () => {
  it('is a public HTML page saying what Candor is, where the API docs are, how to log in and that the web app comes next', async () => {
    const body = await expectPublicPage('/');
    expect(body).toContain('href="/api/docs"');
    expect(body).toContain('POST /api/v1/auth/login');
    expect(body).toContain('web app comes in the next release');
  });
});

describe('the e-mailed links', () => {
  it('open a page for an invitation whose form, posted as its script does, creates the user, who can then log in', async () => {
    const response = await t.request(workspace.keys.admin, {
      method: 'POST',
      url: '/api/v1/users/invitations',
      payload: { email: 'ines.invited@example.test', role: 'sales' },
    });
    expect(response.statusCode).toBe(201);
    const { path, token } = linkIn('ines.invited@example.test');
    expect(path).toBe('/accept-invitation');
    const body = await expectPublicPage(path);
    expect(body).toContain('<script src="/assets/account-link.js" defer></script>');
    expect(body).toContain('name="displayName"');
    const script = (await t.app.inject({ method: 'GET', url: '/assets/account-link.js' })).body;
    expect(script).toContain("'/api/v1/auth/accept-invitation'");

    const password = 'a long enough invitation password';
    const accepted = await t.app.inject({ method: 'POST', url: '/api/v1/auth/accept-invitation', payload: { displayName: 'Ines Invited', password, token } });
    expect(accepted.statusCode).toBe(201);
    expect((await login('ines.invited@example.test', password)).statusCode).toBe(200);
  });

  it('open a page for a password reset whose form, posted as its script does, sets the password to log in with', async () => {
    await addUser(t.database.db, {
      tenantId: workspace.id,
      email: 'rita.reset@example.test',
      displayName: 'Rita Reset',
      role: 'sales',
      password: 'the password she forgot',
    });
    const requested = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset',
      payload: { workspace: workspace.slug, email: 'rita.reset@example.test' },
    });
    expect(requested.statusCode).toBe(202);
    await vi.waitFor(() => expect(t.mail.some((message) => message.to === 'rita.reset@example.test')).toBe(true));
    const { path, token } = linkIn('rita.reset@example.test');
    expect(path).toBe('/reset-password');
    const body = await expectPublicPage(path);
    expect(body).toContain('<script src="/assets/account-link.js" defer></script>');
    const script = (await t.app.inject({ method: 'GET', url: '/assets/account-link.js' })).body;
    expect(script).toContain("'/api/v1/auth/password-reset/complete'");

    const password = 'a new and long enough password';
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset/complete', payload: { password, token } })).statusCode).toBe(204);
    expect((await login('rita.reset@example.test', password)).statusCode).toBe(200);
  });

  it('leave no token in the logs', () => {
    expect(tokens).toHaveLength(2);
    const logs = t.logs.join('\n');
    expect(logs).toContain('/reset-password');
    for (const token of tokens) {
      expect(logs).not.toContain(token);
      expect(logs).not.toContain(encodeURIComponent(token));
    }
  });
});
