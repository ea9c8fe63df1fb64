import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addUser } from '../src/accounts/users.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

// How Candor serves its web app: the built page at / and at every path of the app, its
// hashed files under /assets/, and the server's own paths (API, discovery, demo tools) left
// to the API's 404. A small stand-in build is served here, so this test does not depend on
// web/dist; test/e2e/ runs the real app in a browser. The e-mailed links open app paths
// whose token stays in the fragment, out of every log.

const webRoot = mkdtempSync(join(tmpdir(), 'candor-web-'));
const appPage =
  '<!doctype html><html lang="en"><head><script type="module" src="/assets/app-0a1b2c.js"></script></head><body><div id="root"></div></body></html>';
const appScript = 'document.getElementById("root").textContent = "Candor";\n';
mkdirSync(join(webRoot, 'assets'));
writeFileSync(join(webRoot, 'index.html'), appPage);
writeFileSync(join(webRoot, 'assets', 'app-0a1b2c.js'), appScript);
// The build writes these beside each text file (web/precompress.ts).
writeFileSync(join(webRoot, 'assets', 'app-0a1b2c.js.br'), brotliCompressSync(appScript));
writeFileSync(join(webRoot, 'assets', 'app-0a1b2c.js.gz'), gzipSync(appScript));

let t: TestApp;
let workspace: TestWorkspace;
const tokens: string[] = [];

beforeAll(async () => {
  t = await createTestApp({ config: { webRoot } });
  workspace = await t.createWorkspace();
});
afterAll(async () => {
  await t.close();
  rmSync(webRoot, { recursive: true, force: true });
});

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

/** The app's page, served without a login under the server's CSP and never cached (it names the current build's files). */
async function expectAppPage(url: string) {
  const response = await t.app.inject({ method: 'GET', url });
  expect({ url, status: response.statusCode }).toEqual({ url, status: 200 });
  expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
  expect(response.headers['content-security-policy']).toContain("script-src 'self'");
  expect(response.headers['referrer-policy']).toBe('no-referrer');
  expect(response.headers['cache-control']).toBe('no-store');
  expect(response.body).toBe(appPage);
}

describe('the web app', () => {
  it('is served at / and at any path of its own, logged in or not, as the one page whose script reads the path', async () => {
    for (const url of ['/', '/sign-in', '/contacts', '/contacts/0191d0c8-0000-7000-8000-000000000000', '/contacts?sort=-createdAt', '/no/such/page']) {
      await expectAppPage(url);
    }
    const withStaleCookie = await t.app.inject({ method: 'GET', url: '/contacts', cookies: { candor_session: 'expired-or-forged' } });
    expect(withStaleCookie.statusCode).toBe(200);
    expect(withStaleCookie.body).toBe(appPage);
  });

  it('serves its files under /assets/ with a year-long immutable cache, since their names change with their content', async () => {
    const script = await t.app.inject({ method: 'GET', url: '/assets/app-0a1b2c.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toContain('javascript');
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(script.body).toBe(appScript);
  });

  it('sends the Brotli or gzip copy the browser accepts, and the file itself to a client that accepts neither', async () => {
    const asked = (acceptEncoding: string) => t.app.inject({ method: 'GET', url: '/assets/app-0a1b2c.js', headers: { 'accept-encoding': acceptEncoding } });
    const [brotli, gzip, identity] = [await asked('gzip, deflate, br, zstd'), await asked('gzip'), await asked('identity')];
    expect([brotli.headers['content-encoding'], gzip.headers['content-encoding'], identity.headers['content-encoding']]).toEqual(['br', 'gzip', undefined]);
    expect(brotliDecompressSync(brotli.rawPayload).toString()).toBe(appScript);
    expect(gunzipSync(gzip.rawPayload).toString()).toBe(appScript);
    expect(identity.body).toBe(appScript);
    for (const response of [brotli, gzip, identity]) {
      expect(response.headers.vary).toMatch(/accept-encoding/i);
      expect(response.headers['content-type']).toContain('javascript');
      expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
  });

  it("leaves the server's own paths to the server: an unknown URL there is a problem+json 404, never the app's page", async () => {
    for (const url of ['/api', '/api/v1/no-such-thing', '/v1/contacts', '/.well-known/candor', '/dev/mail', '/assets/missing-0a1b2c.js']) {
      for (const response of [await t.app.inject({ method: 'GET', url }), await t.request(workspace.keys.sales, { method: 'GET', url })]) {
        expect({ url, status: response.statusCode, type: response.headers['content-type'] }).toEqual({
          url,
          status: 404,
          type: 'application/problem+json; charset=utf-8',
        });
        expect(response.json().code).toBe('route_not_found');
      }
    }
  });

  it('answers only GET and HEAD with the page: another method on an app path is a 404', async () => {
    const head = await t.app.inject({ method: 'HEAD', url: '/contacts' });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-type']).toBe('text/html; charset=utf-8');
    for (const method of ['POST', 'PUT', 'DELETE'] as const) {
      const response = await t.app.inject({ method, url: '/contacts', payload: {} });
      expect({ method, status: response.statusCode }).toEqual({ method, status: 404 });
    }
  });

  it('says how to build it when the installation has no build, instead of a blank page', async () => {
    const unbuilt = await createTestApp({ database: t.database, config: { webRoot: join(webRoot, 'not-built') } });
    const response = await unbuilt.app.inject({ method: 'GET', url: '/contacts' });
    await unbuilt.app.close();
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('npm run build -w web');
  });
});

describe('the e-mailed links', () => {
  it("open the app's invitation page, whose form, posted as the app does, creates the user, who can then log in", async () => {
    const response = await t.request(workspace.keys.admin, {
      method: 'POST',
      url: '/api/v1/users/invitations',
      payload: { email: 'ines.invited@example.test', role: 'sales' },
    });
    expect(response.statusCode).toBe(201);
    const { path, token } = linkIn('ines.invited@example.test');
    expect(path).toBe('/accept-invitation');
    await expectAppPage(path);

    const password = 'a long enough invitation password';
    const accepted = await t.app.inject({ method: 'POST', url: '/api/v1/auth/accept-invitation', payload: { displayName: 'Ines Invited', password, token } });
    expect(accepted.statusCode).toBe(201);
    expect((await login('ines.invited@example.test', password)).statusCode).toBe(200);
  });

  it("open the app's password-reset page, whose form, posted as the app does, sets the password to log in with", async () => {
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
    await expectAppPage(path);

    const password = 'a new and long enough password';
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset/complete', payload: { password, token } })).statusCode).toBe(204);
    expect((await login('rita.reset@example.test', password)).statusCode).toBe(200);
  });

  it('leave no token in the logs', () => {
    expect(tokens).toHaveLength(2);
    const logs = t.logs.join('\n');
    expect(logs).toContain('/api/v1/auth/password-reset/complete');
    for (const token of tokens) {
      expect(logs).not.toContain(token);
      expect(logs).not.toContain(encodeURIComponent(token));
    }
  });
});
