import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

// The outside tester's finding: API responses carried no security headers, and the API docs
// answered 401. Every response — a 200, a problem response, a 404 — now carries them, and
// the docs are served without a key under a CSP that lets Swagger UI load what it needs.

let t: TestApp;
let workspace: TestWorkspace;

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
});
afterAll(() => t.close());

/** The CSP as a map of directive → sources. */
function cspOf(response: LightMyRequestResponse): Map<string, string[]> {
  const header = String(response.headers['content-security-policy'] ?? '');
  return new Map(
    header
      .split(';')
      .map((directive) => directive.trim().split(/\s+/))
      .filter((parts) => parts[0] !== '')
      .map(([name, ...sources]) => [name, sources]),
  );
}

function expectSecurityHeaders(response: LightMyRequestResponse) {
  expect(response.headers['x-content-type-options']).toBe('nosniff');
  expect(response.headers['x-frame-options']).toBe('DENY');
  expect(response.headers['referrer-policy']).toBe('no-referrer');
  const csp = cspOf(response);
  expect(csp.get('default-src')).toEqual(["'self'"]);
  expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
  expect(csp.get('object-src')).toEqual(["'none'"]);
  expect(csp.get('script-src')).toEqual(["'self'"]);
}

describe('security headers', () => {
  it('are on a 200 carrying personal data, with Cache-Control: no-store', async () => {
    const created = await t.request(workspace.keys.sales, {
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { firstName: 'Headed', email: 'headed@headers.example.com' },
    });
    expect(created.statusCode).toBe(201);
    const response = await t.request(workspace.keys.sales, { method: 'GET', url: `/api/v1/contacts/${created.json().data.id}` });
    expect(response.statusCode).toBe(200);
    expectSecurityHeaders(response);
    expect(response.headers['cache-control']).toBe('no-store');
    expectSecurityHeaders(created);
    expect(created.headers['cache-control']).toBe('no-store');
  });

  it('are on 4xx problem responses, before and after authentication', async () => {
    const unauthenticated = await t.app.inject({ method: 'GET', url: '/api/v1/contacts' });
    expect(unauthenticated.statusCode).toBe(401);
    expect(unauthenticated.headers['content-type']).toContain('application/problem+json');
    const invalid = await t.request(workspace.keys.sales, { method: 'POST', url: '/api/v1/contacts', payload: { email: 'not an address' } });
    expect(invalid.statusCode).toBe(422);
    for (const response of [unauthenticated, invalid]) {
      expectSecurityHeaders(response);
      expect(response.headers['cache-control']).toBe('no-store');
    }
  });

  it('are on a 404 for a URL no route serves', async () => {
    const response = await t.request(workspace.keys.sales, { method: 'GET', url: '/api/v1/no-such-thing' });
    expect(response.statusCode).toBe(404);
    expectSecurityHeaders(response);
    expect(response.headers['cache-control']).toBe('no-store');
  });
});

describe('the API documentation', () => {
  it('serves the Swagger UI page and the OpenAPI document without a key', async () => {
    for (const url of ['/api/docs', '/api/docs/', '/api/openapi.json', '/api/docs/json']) {
      const response = await t.app.inject({ method: 'GET', url });
      expect({ url, status: response.statusCode }).toEqual({ url, status: 200 });
    }
    const page = await t.app.inject({ method: 'GET', url: '/api/docs' });
    expect(page.headers['content-type']).toContain('text/html');
    expectSecurityHeaders(page);
  });

  it('loads only self-hosted assets, each without a key, and needs no inline script the CSP would block', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    const html = page.body;
    // Every script is an external file (script-src 'self' allows no inline script), and no
    // element carries an event-handler attribute or inline style (script-src-attr / style-src).
    const scriptTags = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)];
    expect(scriptTags.length).toBeGreaterThan(0);
    for (const [tag, content] of scriptTags) {
      expect(tag).toMatch(/\ssrc="/);
      expect(content.trim()).toBe('');
    }
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).not.toMatch(/<style\b|\sstyle=/i);
    const assets = [...html.matchAll(/\s(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
    expect(assets.length).toBeGreaterThan(3);
    for (const asset of assets) {
      // Relative to the page: same origin, which 'self' allows.
      expect(asset).not.toMatch(/^(?:[a-z]+:)?\/\//i);
      const response = await t.app.inject({ method: 'GET', url: new URL(asset, 'http://candor.test/api/docs/').pathname });
      expect({ asset, status: response.statusCode }).toEqual({ asset, status: 200 });
    }
    // The stylesheet draws icons from data: URLs: img-src must allow them; the page fetches the
    // OpenAPI document from its own origin (connect-src falls back to default-src 'self').
    const css = await t.app.inject({ method: 'GET', url: '/api/docs/static/swagger-ui.css' });
    expect(css.body).toContain('url(data:image/');
    const csp = cspOf(page);
    expect(csp.get('img-src')).toEqual(expect.arrayContaining(["'self'", 'data:']));
    expect(csp.has('connect-src') ? csp.get('connect-src') : csp.get('default-src')).toEqual(["'self'"]);
    // Swagger UI's initializer asks no other origin (its validator badge would load from one).
    const initializer = await t.app.inject({ method: 'GET', url: '/api/docs/static/swagger-initializer.js' });
    expect(initializer.body).toContain('validatorUrl: null');
  });
});
