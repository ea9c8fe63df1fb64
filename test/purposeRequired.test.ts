import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, HTTPMethods } from 'fastify';
import { createApiKey } from '../src/accounts/apiKeys.ts';
import { addUser } from '../src/accounts/users.ts';
import { isPurposeFree, purposeFreeRoutes } from '../src/http/purposeFreeRoutes.ts';
import { createTestApp, errorFields, type TestApp, type TestWorkspace } from './support/testApp.ts';

let t: TestApp;
let workspace: TestWorkspace;
/** An admin key without purposes, hence without a default purpose: its requests name none. */
let keyWithoutPurpose: string;
let session: { cookie: string; csrfToken: string };

type Route = { method: HTTPMethods; url: string };

/**
 * Every registered route, read from Fastify's own route tree (printRoutes), so a route added
 * anywhere — a new plugin, swagger, a demo-only group — is walked without being named here.
 * The tree with its common prefixes: without them, printRoutes leaves out a segment no route
 * ends at (the web app's /assets/* would print as /*).
 */
function registeredRoutes(app: FastifyInstance): Route[] {
  const routes: Route[] = [];
  const pathAtDepth: string[] = [];
  for (const line of app.printRoutes().split('\n')) {
    const match = /^((?:[│ ] {3})*)[├└]── (\S+)(?: \(([^)]*)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1].length / 4;
    pathAtDepth[depth] = (depth === 0 ? '' : pathAtDepth[depth - 1]) + match[2];
    for (const method of (match[3] ?? '').split(', ').filter(Boolean)) routes.push({ method: method as HTTPMethods, url: pathAtDepth[depth] });
  }
  return routes;
}

/** A concrete URL for a route pattern: any id, any value for a wildcard. */
const concreteUrl = (url: string) => url.replace(/:[A-Za-z]+/g, '0190c1f0-0000-7000-8000-000000000000').replace('*', 'anything');
const show = (route: Route) => `${route.method} ${route.url}`;

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
  keyWithoutPurpose = (await createApiKey(t.database.db, { tenantId: workspace.id, name: 'no purpose', role: 'admin', purposes: [] })).key;
  const password = 'correct horse battery staple';
  await addUser(t.database.db, { tenantId: workspace.id, email: 'pia.purpose@example.test', displayName: 'Pia', role: 'admin', password });
  const login = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { workspace: workspace.slug, email: 'pia.purpose@example.test', password },
  });
  session = { cookie: login.cookies.find((cookie) => cookie.name === 'candor_session')!.value, csrfToken: login.json().data.csrfToken };
});
afterAll(() => t.close());

describe('a purpose on every access to personal data', () => {
  it('refuses every route outside the purpose-free list without a purpose: 400 purpose_required naming Candor-Purpose', async () => {
    const needPurpose = registeredRoutes(t.app).filter((route) => route.method !== 'HEAD' && !isPurposeFree(route.method, route.url));
    // Contacts, companies, deals, activities, purchases, events, visitors, imports, exports.
    expect(needPurpose.length).toBeGreaterThan(35);
    const outcomes = [];
    for (const route of needPurpose) {
      const response = await t.request(keyWithoutPurpose, {
        method: route.method,
        url: concreteUrl(route.url),
        payload: ['GET', 'DELETE'].includes(route.method) ? undefined : {},
      });
      const body = response.json();
      outcomes.push({ route: show(route), status: response.statusCode, code: body.code, fields: errorFields(body) });
    }
    expect(outcomes).toEqual(needPurpose.map((route) => ({ route: show(route), status: 400, code: 'purpose_required', fields: ['Candor-Purpose'] })));
  });

  it('refuses before the handler runs: the refused writes left the workspace empty', async () => {
    for (const url of ['/api/v1/contacts', '/api/v1/companies', '/api/v1/deals', '/api/v1/activities', '/api/v1/purchases']) {
      const response = await t.request(workspace.keys.admin, { method: 'GET', url });
      expect({ url, status: response.statusCode, records: response.json().data?.length }).toEqual({ url, status: 200, records: 0 });
    }
  });

  it('refuses a HEAD request as it refuses the GET it mirrors', async () => {
    const response = await t.request(keyWithoutPurpose, { method: 'HEAD', url: '/api/v1/contacts' });
    expect(response.statusCode).toBe(400);
  });

  it('runs every purpose-free route without a purpose', async () => {
    const purposeFree = registeredRoutes(t.app).filter((route) => route.method !== 'HEAD' && isPurposeFree(route.method, route.url));
    const refused = [];
    for (const route of purposeFree) {
      const response = await t.request(keyWithoutPurpose, {
        method: route.method,
        url: concreteUrl(route.url),
        payload: ['GET', 'DELETE'].includes(route.method) ? undefined : {},
      });
      if (response.statusCode === 400 && response.json().code === 'purpose_required') refused.push(show(route));
    }
    expect(purposeFree.length).toBeGreaterThan(20);
    expect(refused).toEqual([]);
    const purposes = await t.request(keyWithoutPurpose, { method: 'GET', url: '/api/v1/purposes' });
    expect(purposes.statusCode).toBe(200);
  });

  it('lists only routes that exist, so the list cannot keep a stale exemption', () => {
    const registered = registeredRoutes(t.app);
    const stale = purposeFreeRoutes
      .filter((entry) => !entry.demoOnly)
      .filter(
        (entry) =>
          !registered.some((route) => route.method !== 'HEAD' && entry.route === show(route)) &&
          !(entry.route.endsWith('*') && registered.some((route) => show(route).startsWith(entry.route.slice(0, -1)))),
      )
      .map((entry) => entry.route);
    expect(stale).toEqual([]);
  });

  it('answers an unknown URL with 404, not with a demand for a purpose', async () => {
    const response = await t.request(keyWithoutPurpose, { method: 'GET', url: '/api/v1/no-such-thing' });
    expect(response.statusCode).toBe(404);
  });

  it('gives a browser session no default purpose: it names one in Candor-Purpose on each request', async () => {
    const cookies = { candor_session: session.cookie };
    const without = await t.app.inject({ method: 'GET', url: '/api/v1/contacts', cookies });
    expect({ status: without.statusCode, code: without.json().code }).toEqual({ status: 400, code: 'purpose_required' });
    const withPurpose = await t.app.inject({ method: 'GET', url: '/api/v1/contacts', cookies, headers: { 'candor-purpose': 'sales' } });
    expect(withPurpose.statusCode).toBe(200);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', cookies });
    expect(me.statusCode).toBe(200);
  });

  it('documents Candor-Purpose in the OpenAPI document on the routes that need a purpose, and only there', () => {
    type Operation = { parameters?: Array<{ in: string; name: string }> };
    const paths = (t.app.swagger() as { paths: Record<string, Record<string, Operation>> }).paths;
    const asksPurpose = (path: string, method: string) =>
      (paths[path][method].parameters ?? []).some((parameter) => parameter.in === 'header' && parameter.name === 'candor-purpose');
    expect(asksPurpose('/api/v1/contacts', 'get')).toBe(true);
    expect(asksPurpose('/api/v1/contacts/{id}', 'patch')).toBe(true);
    expect(asksPurpose('/api/v1/users', 'get')).toBe(false);
    expect(asksPurpose('/api/v1/purposes', 'get')).toBe(false);
  });

  it('keeps the other headers a route reads when it validates Candor-Purpose', async () => {
    const headers = { 'idempotency-key': 'purpose-headers-1' };
    const first = await t.request(workspace.keys.admin, { method: 'POST', url: '/api/v1/companies', payload: { name: 'Headers Ltd' }, headers });
    const replay = await t.request(workspace.keys.admin, { method: 'POST', url: '/api/v1/companies', payload: { name: 'Headers Ltd' }, headers });
    expect(first.statusCode).toBe(201);
    expect(replay.json().data.id).toBe(first.json().data.id);
  });

  it('lets a key with a default purpose act without the header, for that purpose', async () => {
    const response = await t.request(workspace.keys.support, { method: 'GET', url: '/api/v1/contacts' });
    expect(response.statusCode).toBe(200);
  });
});
