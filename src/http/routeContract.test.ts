import Fastify, { type FastifyContextConfig, type FastifyInstance, type RouteHandlerMethod } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { optionalIfMatchVersion, requiredIfMatchVersion, setEtag } from './etag.ts';
import { registerProblemHandler } from './problem.ts';
import { declaredIdempotencyKey } from './routeContract.ts';

// Handlers read If-Match, Idempotency-Key and set ETag only on routes that declare them, so
// the OpenAPI document, built from the declarations, shows every header a handler reads.

let app: FastifyInstance;

beforeAll(async () => {
  app = Fastify();
  registerProblemHandler(app);
  const route = (url: string, config: FastifyContextConfig, handler: RouteHandlerMethod) => app.get(url, { config }, handler);
  route('/required', { ifMatch: 'required', etag: true }, async (request, reply) => {
    setEtag(reply, requiredIfMatchVersion(request) + 1);
    return { ok: true };
  });
  route('/optional', { ifMatch: 'optional' }, async (request) => ({ version: optionalIfMatchVersion(request) }));
  route('/idempotent', { idempotencyKey: true }, async (request) => ({ key: declaredIdempotencyKey(request) }));
  route('/undeclared-if-match', {}, async (request) => ({ version: requiredIfMatchVersion(request) }));
  route('/optional-read-as-required', { ifMatch: 'optional' }, async (request) => ({ version: requiredIfMatchVersion(request) }));
  route('/undeclared-key', {}, async (request) => ({ key: declaredIdempotencyKey(request) }));
  route('/undeclared-etag', {}, async (_request, reply) => {
    setEtag(reply, 1);
    return {};
  });
  await app.ready();
});
afterAll(() => app.close());

const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });

describe('the headers a route declares', () => {
  it('are read as declared: If-Match required (428 without it) or optional, Idempotency-Key, and the ETag answered', async () => {
    const required = await get('/required', { 'if-match': '"3"' });
    expect({ status: required.statusCode, etag: required.headers.etag }).toEqual({ status: 200, etag: '"4"' });
    expect((await get('/required')).json()).toMatchObject({ status: 428, code: 'precondition_required' });
    expect((await get('/required', { 'if-match': 'three' })).json()).toMatchObject({ status: 422, errors: [{ field: 'If-Match', reason: 'malformed' }] });
    expect((await get('/optional')).json()).toEqual({ version: null });
    expect((await get('/optional', { 'if-match': 'W/"7"' })).json()).toEqual({ version: 7 });
    expect((await get('/idempotent', { 'idempotency-key': 'k-1' })).json()).toEqual({ key: 'k-1' });
    expect((await get('/idempotent')).json()).toEqual({ key: null });
  });

  it('refuse to be read on a route that does not declare them: a programming error, never a silent undocumented header', async () => {
    for (const url of ['/undeclared-if-match', '/optional-read-as-required', '/undeclared-key', '/undeclared-etag']) {
      const response = await get(url, { 'if-match': '"1"', 'idempotency-key': 'k' });
      expect({ url, status: response.statusCode, code: response.json().code }).toEqual({ url, status: 500, code: 'internal_error' });
    }
  });
});
