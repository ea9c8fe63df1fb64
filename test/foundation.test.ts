import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

let t: TestApp;
let workspace: TestWorkspace;

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
});
afterAll(() => t.close());

describe('the API foundation', () => {
  it('answers health checks without authentication', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json().status).toBe('ok');
  });

  it('serves an OpenAPI 3 document that lists the purposes route', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toContain('/api/v1/purposes');
  });

  it('refuses a request without credentials with 401 problem+json', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/purposes' });
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().code).toBe('unauthenticated');
  });

  it('lists the workspace purposes with their legal bases', async () => {
    const response = await t.request(workspace.keys.analyst, { method: 'GET', url: '/api/v1/purposes' });
    expect(response.statusCode).toBe(200);
    const purposes = response.json().data as Array<{ key: string; legalBasis: string }>;
    expect(purposes.find((purpose) => purpose.key === 'email_marketing')?.legalBasis).toBe('consent');
  });

  it('refuses an unknown Candor-Purpose with a problem naming the header', async () => {
    const response = await t.request(workspace.keys.sales, { method: 'GET', url: '/api/v1/purposes', purpose: 'world_domination' });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].field).toBe('Candor-Purpose');
  });

  it('refuses a bearer key that does not exist', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/v1/purposes',
      headers: { authorization: `Bearer cnd_AAAAAAAAAAAAAAAA_${'x'.repeat(43)}` },
    });
    expect(response.statusCode).toBe(401);
  });

  it('runs a public route as anonymous whatever credentials or purpose the caller sends', async () => {
    for (const headers of [
      { authorization: `Bearer ${workspace.keys.sales}`, 'candor-purpose': 'world_domination' },
      { authorization: 'Bearer not-a-key' },
      { cookie: 'candor_session=stale' },
    ]) {
      const response = await t.app.inject({ method: 'GET', url: '/api/v1/health', headers });
      expect({ headers, status: response.statusCode }).toEqual({ headers, status: 200 });
    }
  });

  it('answers a URL its router refuses with a problem document, like every other error', async () => {
    const tooLong = await t.request(workspace.keys.sales, { method: 'GET', url: `/api/v1/contacts/${'a'.repeat(101)}` });
    expect({ status: tooLong.statusCode, type: tooLong.headers['content-type'], code: tooLong.json().code }).toEqual({
      status: 414,
      type: 'application/problem+json; charset=utf-8',
      code: 'uri_too_long',
    });
  });
});
