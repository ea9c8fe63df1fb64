import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredRoutes, type Route } from './support/registeredRoutes.ts';
import { consentingVisitors } from './support/consentingVisitors.ts';
import { signedIn } from './support/portalSessions.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

/*
 * Unknown query parameters are refused with 400 naming them, on every API route: a list
 * asked `?updatedSince=…` must not answer with everything. The table below names every GET
 * route whose path ends in a collection or a resource name (not an id), with a URL that
 * works; a route registered without a row here fails the first test, so a new list is
 * covered the day it is added.
 */

let t: TestApp;
let workspace: TestWorkspace;
const ids = { contact: '', visitor: '', webhook: '', pipeline: '', consentEvent: '', formKey: '', segment: '', portalCookie: '' };

type Row = { url: () => string; purpose?: string; headers?: () => Record<string, string> };

/** Every GET route not ending in an id, with a URL that answers 200 and the purpose it needs. */
const getRoutes: Record<string, Row> = {
  'GET /api/v1/health': { url: () => '/api/v1/health' },
  'GET /api/v1/purposes': { url: () => '/api/v1/purposes' },
  'GET /api/v1/purposes/:key/notices': { url: () => '/api/v1/purposes/email_marketing/notices' },
  'GET /api/v1/purposes/:key/notices/current': { url: () => '/api/v1/purposes/email_marketing/notices/current' },
  'GET /api/v1/role-grants': { url: () => '/api/v1/role-grants' },
  'GET /api/v1/catalog': { url: () => '/api/v1/catalog?object=contact' },
  'GET /api/v1/catalog/data-categories': { url: () => '/api/v1/catalog/data-categories' },
  'GET /api/v1/workspace': { url: () => '/api/v1/workspace' },
  'GET /api/v1/auth/me': { url: () => '/api/v1/auth/me' },
  'GET /api/v1/pipelines': { url: () => '/api/v1/pipelines' },
  'GET /api/v1/custom-fields': { url: () => '/api/v1/custom-fields?object=contact' },
  'GET /api/v1/users': { url: () => '/api/v1/users?limit=1' },
  'GET /api/v1/api-keys': { url: () => '/api/v1/api-keys?limit=1' },
  'GET /api/v1/invitations': { url: () => '/api/v1/invitations?limit=1' },
  'GET /api/v1/webhooks': { url: () => '/api/v1/webhooks?limit=1' },
  'GET /api/v1/drp-agents': { url: () => '/api/v1/drp-agents' },
  'GET /api/v1/drp-business': { url: () => '/api/v1/drp-business' },
  'GET /api/v1/webhooks/:id/deliveries': { url: () => `/api/v1/webhooks/${ids.webhook}/deliveries?limit=1` },
  'GET /api/v1/audit': { url: () => '/api/v1/audit?limit=1' },
  'GET /api/v1/audit/verify': { url: () => '/api/v1/audit/verify' },
  'GET /api/v1/keys': { url: () => '/api/v1/keys' },
  'GET /api/v1/consents/confirm': { url: () => '/api/v1/consents/confirm?token=any' },
  'GET /api/v1/views': { url: () => '/api/v1/views?limit=1&object=contacts' },
  'GET /api/v1/segments': { url: () => '/api/v1/segments?limit=1&sort=name' },
  'GET /api/v1/segments/:id/preview': { url: () => `/api/v1/segments/${ids.segment}/preview?limit=1`, purpose: 'email_marketing' },
  'GET /api/v1/campaigns': { url: () => '/api/v1/campaigns?limit=1&status=draft' },
  'GET /api/v1/legal-holds': { url: () => '/api/v1/legal-holds?includeReleased=true' },
  'GET /api/v1/portal/verify': { url: () => '/api/v1/portal/verify?token=not-a-token' },
  'GET /api/v1/portal/:workspace/me': { url: () => `/api/v1/portal/${workspace.slug}/me`, headers: () => ({ cookie: ids.portalCookie }) },
  'GET /api/v1/portal/:workspace/me/data': { url: () => `/api/v1/portal/${workspace.slug}/me/data`, headers: () => ({ cookie: ids.portalCookie }) },
  'GET /api/v1/portal/:workspace/me/requests': { url: () => `/api/v1/portal/${workspace.slug}/me/requests`, headers: () => ({ cookie: ids.portalCookie }) },
  'GET /api/v1/portal/:workspace/me/access-exports': {
    url: () => `/api/v1/portal/${workspace.slug}/me/access-exports`,
    headers: () => ({ cookie: ids.portalCookie }),
  },
  'GET /api/v1/requests': { url: () => '/api/v1/requests?limit=1&due=overdue', purpose: 'legal_compliance' },
  'GET /api/v1/requests/holidays': { url: () => '/api/v1/requests/holidays?jurisdiction=DE&year=2026' },
  'GET /api/v1/form-keys': { url: () => '/api/v1/form-keys?includeRevoked=false' },
  'GET /api/v1/retention/preview': { url: () => '/api/v1/retention/preview?limit=1' },
  'GET /api/v1/retention/proofs': { url: () => '/api/v1/retention/proofs?limit=1' },
  'GET /api/v1/collect/notices': { url: () => '/api/v1/collect/notices', headers: () => ({ 'candor-form-key': ids.formKey }) },
  'GET /api/v1/imports': { url: () => '/api/v1/imports?limit=1', purpose: 'sales' },
  'GET /api/v1/contacts': { url: () => '/api/v1/contacts?limit=1&count=true', purpose: 'sales' },
  'GET /api/v1/contacts/:id/duplicates': { url: () => `/api/v1/contacts/${ids.contact}/duplicates`, purpose: 'sales' },
  'GET /api/v1/contacts/:id/access-exports': { url: () => `/api/v1/contacts/${ids.contact}/access-exports`, purpose: 'dsr_fulfilment' },
  'GET /api/v1/contacts/:id/events': { url: () => `/api/v1/contacts/${ids.contact}/events?limit=1`, purpose: 'sales' },
  'GET /api/v1/consents/statistics': { url: () => '/api/v1/consents/statistics?interval=week&from=2026-01-05&to=2026-02-01', purpose: 'legal_compliance' },
  'GET /api/v1/consents/gpc-conflicts': { url: () => '/api/v1/consents/gpc-conflicts?limit=1', purpose: 'legal_compliance' },
  'GET /api/v1/contacts/:id/consents': { url: () => `/api/v1/contacts/${ids.contact}/consents`, purpose: 'sales' },
  'GET /api/v1/contacts/:id/consents/:eventId/receipt': {
    url: () => `/api/v1/contacts/${ids.contact}/consents/${ids.consentEvent}/receipt`,
    purpose: 'sales',
  },
  'GET /api/v1/visitors/:id/events': { url: () => `/api/v1/visitors/${ids.visitor}/events?limit=1`, purpose: 'web_analytics' },
  'GET /api/v1/companies': { url: () => '/api/v1/companies?limit=1', purpose: 'sales' },
  'GET /api/v1/deals': { url: () => '/api/v1/deals?limit=1', purpose: 'sales' },
  'GET /api/v1/deals/stage-totals': { url: () => `/api/v1/deals/stage-totals?pipelineId=${ids.pipeline}`, purpose: 'sales' },
  'GET /api/v1/activities': { url: () => '/api/v1/activities?limit=1', purpose: 'sales' },
  'GET /api/v1/activities/weekly-counts': { url: () => '/api/v1/activities/weekly-counts?weeks=4', purpose: 'sales' },
  'GET /api/v1/purchases': { url: () => '/api/v1/purchases?limit=1', purpose: 'sales' },
  'GET /api/v1/exports/contacts.csv': { url: () => '/api/v1/exports/contacts.csv', purpose: 'sales' },
  'GET /api/v1/exports/contacts.json': { url: () => '/api/v1/exports/contacts.json', purpose: 'sales' },
  'GET /api/v1/exports/companies.csv': { url: () => '/api/v1/exports/companies.csv', purpose: 'sales' },
  'GET /api/v1/exports/companies.json': { url: () => '/api/v1/exports/companies.json', purpose: 'sales' },
};

const show = (route: Route) => `${route.method} ${route.url}`;
const apiRoutes = () => registeredRoutes(t.app).filter((route) => route.method !== 'HEAD' && route.url.startsWith('/api/v1/'));
const withUnknown = (url: string, parameter = 'updatedSince=2026-01-01') => `${url}${url.includes('?') ? '&' : '?'}${parameter}`;
const get = (url: string, purpose?: string, headers?: Record<string, string>) => t.request(workspace.keys.admin, { method: 'GET', url, purpose, headers });

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
  const contact = await t.request(workspace.keys.admin, { method: 'POST', url: '/api/v1/contacts', payload: { firstName: 'Una' }, purpose: 'sales' });
  ids.contact = contact.json().data.id;
  await consentingVisitors(t.database, workspace.id, ['unknown-parameters']);
  const event = await t.request(workspace.keys.admin, {
    method: 'POST',
    url: '/api/v1/events',
    payload: { type: 'click', occurredAt: new Date().toISOString(), anonymousId: 'unknown-parameters' },
    purpose: 'web_analytics',
  });
  ids.visitor = event.json().data.visitorId;
  const webhook = await t.request(workspace.keys.admin, {
    method: 'POST',
    url: '/api/v1/webhooks',
    payload: { url: 'https://hooks.example.com/candor', eventTypes: ['deal.updated'] },
  });
  ids.webhook = webhook.json().data.id;
  ids.pipeline = (await t.request(workspace.keys.admin, { method: 'GET', url: '/api/v1/pipelines' })).json().data[0].id;
  const consent = await t.request(workspace.keys.marketing, {
    method: 'POST',
    url: `/api/v1/contacts/${ids.contact}/consents`,
    payload: { purposeKey: 'email_marketing', state: 'given' },
    purpose: 'email_marketing',
  });
  ids.consentEvent = consent.json().data.id;
  const formKey = await t.request(workspace.keys.admin, {
    method: 'POST',
    url: '/api/v1/form-keys',
    payload: { name: 'Widget', allowedOrigins: ['https://www.example.com'] },
  });
  ids.formKey = formKey.json().data.publicKey;
  const segment = await t.request(workspace.keys.admin, { method: 'POST', url: '/api/v1/segments', payload: { name: 'Everyone', filters: {} } });
  ids.segment = segment.json().data.id;
  ids.portalCookie = (await signedIn(t, workspace.slug, 'una@example.org')).cookie;
});
afterAll(() => t.close());

describe('unknown query parameters', () => {
  it('has a row for every GET route not ending in an id, and no row for a route that does not exist', () => {
    const registered = apiRoutes()
      .filter((route) => route.method === 'GET' && !route.url.split('/').at(-1)!.startsWith(':'))
      .map(show);
    expect(Object.keys(getRoutes).sort()).toEqual(registered.sort());
  });

  it.each(Object.entries(getRoutes))('%s answers its URL, and refuses it with an unknown parameter: 400 naming it', async (_route, row) => {
    const known = await get(row.url(), row.purpose, row.headers?.());
    expect(known.statusCode).toBe(200);
    const unknown = await get(withUnknown(row.url()), row.purpose, row.headers?.());
    expect({ status: unknown.statusCode, type: unknown.headers['content-type'], body: unknown.json() }).toMatchObject({
      status: 400,
      type: expect.stringContaining('application/problem+json'),
      body: { code: 'unknown_parameter', errors: [{ field: 'querystring.updatedSince', reason: 'unknown query parameter' }] },
    });
  });

  it('refuses an unknown parameter on every other API route too, before its body, path or id is looked at', async () => {
    const outcomes = [];
    for (const route of apiRoutes()) {
      const url = withUnknown(route.url.replace(/:[A-Za-z]+/g, '0190c1f0-0000-7000-8000-000000000000'), 'filter=x');
      const response = await t.request(workspace.keys.admin, { method: route.method, url, purpose: 'sales' });
      outcomes.push({ route: show(route), status: response.statusCode, code: response.json().code });
    }
    expect(outcomes.length).toBeGreaterThan(80);
    expect(outcomes).toEqual(outcomes.map(({ route }) => ({ route, status: 400, code: 'unknown_parameter' })));
  });

  it('names each unknown parameter, says which ones the route takes, and still runs the known ones', async () => {
    const response = await get('/api/v1/contacts?limit=1&updatedSince=2026-01-01&ownerEmail=x', 'sales');
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.errors).toEqual([
      { field: 'querystring.updatedSince', reason: 'unknown query parameter' },
      { field: 'querystring.ownerEmail', reason: 'unknown query parameter' },
    ]);
    expect(body.detail).toMatch(/^Unknown query parameter: updatedSince, ownerEmail\. This route takes .*cursor, limit, sort/);
  });

  it('does not quote a parameter name that may be a personal value', async () => {
    const response = await get('/api/v1/contacts?ada%40example.com=1', 'sales');
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([{ field: 'querystring', reason: 'unknown query parameter' }]);
    expect(response.body).not.toContain('ada');
  });

  it('refuses an unknown parameter on a HEAD request as on the GET it mirrors', async () => {
    const response = await t.request(workspace.keys.admin, { method: 'HEAD', url: '/api/v1/contacts?updatedSince=2026-01-01', purpose: 'sales' });
    expect(response.statusCode).toBe(400);
  });

  it('leaves pages outside the API alone: a link with tracking parameters still opens', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/reset-password?utm_source=mail' });
    expect(response.statusCode).toBe(200);
  });
});
