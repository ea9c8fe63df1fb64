import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import type { Database } from '../../db/connection.ts';
import { verifyApiKey } from '../../accounts/apiKeys.ts';
import { sessionCookieName, verifySession } from '../../accounts/sessions.ts';
import { secretsEqual } from '../../shared/secrets.ts';
import { purposeNotGranted, purposeStanding, requirePurpose } from '../../kernel/index.ts';
import { DomainError } from '../../shared/domainError.ts';
import { notAuthenticated, type Principal } from '../principal.ts';
import { isPurposeFree } from '../purposeFreeRoutes.ts';

export const purposeHeader = 'candor-purpose';
export const csrfHeader = 'x-csrf-token';
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A request that changes state made with a session cookie must echo the session's CSRF token (compared in constant time), or `refusal` is thrown. */
export function checkCsrf(request: FastifyRequest, token: string, refusal: () => Error): void {
  if (safeMethods.has(request.method)) return;
  const presented = request.headers[csrfHeader];
  if (typeof presented !== 'string' || !secretsEqual(presented, token)) throw refusal();
}

/** 403: a state-changing request made with the session cookie did not echo the session's CSRF token. */
export const csrfRefusal = () =>
  new DomainError('csrf_failed', 'Send the CSRF token from login in the X-CSRF-Token header.', [{ field: 'X-CSRF-Token', reason: 'missing or wrong' }]);

/** 400: Candor-Purpose names no purpose of the workspace. */
export const unknownPurpose = () =>
  new DomainError('unknown_purpose', 'The Candor-Purpose header names no purpose of this workspace; GET /api/v1/purposes lists them.', [
    { field: 'Candor-Purpose', reason: 'unknown purpose' },
  ]);

/** 403: the API key may not act for the purpose named. */
export const purposeNotAllowed = () =>
  new DomainError('purpose_not_allowed', 'This API key may not act for the purpose in Candor-Purpose.', [
    { field: 'Candor-Purpose', reason: "not among the key's purposes" },
  ]);

function requestedPurpose(request: FastifyRequest): string | undefined {
  const header = request.headers[purposeHeader];
  const value = Array.isArray(header) ? header[0] : header;
  return value === '' ? undefined : value;
}

async function resolvePrincipal(database: Database, request: FastifyRequest): Promise<Principal | null> {
  const authorization = request.headers.authorization;
  if (authorization) {
    const [scheme, token] = authorization.split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) {
      throw new DomainError('unauthenticated', 'Use "Authorization: Bearer cnd_<keyId>_<secret>".');
    }
    const key = await verifyApiKey(database.db, token, { purpose: requestedPurpose(request) });
    if (!key) throw new DomainError('unauthenticated', 'The API key is unknown, expired or revoked.');
    return {
      tenantId: key.tenantId,
      actor: { type: 'api_key', id: key.apiKeyId, role: key.role, createdBy: key.createdBy },
      via: 'api_key',
      allowedPurposes: key.purposes,
      defaultPurpose: key.defaultPurpose,
      purposeKnown: key.purposeKnown,
      purposeGranted: key.purposeGranted,
    };
  }
  const cookie = request.cookies?.[sessionCookieName];
  if (!cookie) return null;
  const session = await verifySession(database.db, cookie);
  if (!session) return null;
  return {
    tenantId: session.tenantId,
    actor: { type: 'user', id: session.userId, role: session.role },
    via: 'session',
    allowedPurposes: null,
    defaultPurpose: null,
    sessionId: session.sessionId,
    csrfToken: session.csrfToken,
  };
}

type ResolvedPurpose = { purpose: string | null; granted: boolean };

async function resolvePurpose(database: Database, principal: Principal, header: string | undefined): Promise<ResolvedPurpose> {
  if (header === undefined || header === '') {
    return { purpose: principal.defaultPurpose, granted: principal.defaultPurpose !== null && principal.purposeGranted === true };
  }
  // API keys learnt both answers in the key's own query; sessions ask here, in one statement.
  const standing =
    principal.purposeKnown === undefined || principal.purposeKnown === null
      ? await purposeStanding(database.db, principal.tenantId, principal.actor.role, header)
      : { known: principal.purposeKnown, granted: principal.purposeGranted === true };
  if (!standing.known) throw unknownPurpose();
  if (principal.allowedPurposes && !principal.allowedPurposes.includes(header)) throw purposeNotAllowed();
  return { purpose: header, granted: standing.granted };
}

/**
 * Outside the purpose-free routes (src/http/purposeFreeRoutes.ts) a request must act for a
 * purpose (400 purpose_required) that the workspace grants its role (403 purpose_not_granted),
 * decided here before any handler, so no route can forget to ask.
 */
function enforcePurpose(request: FastifyRequest, principal: Principal, resolved: ResolvedPurpose): void {
  const url = request.routeOptions.url;
  // An unmatched URL has no handler to protect: it ends in 404.
  if (url === undefined || isPurposeFree(request.method, url)) return;
  const ctx = requirePurpose({ tenantId: principal.tenantId, actor: principal.actor, purpose: resolved.purpose });
  if (!resolved.granted) throw purposeNotGranted(principal.actor.role, ctx.purpose);
}

// Shown in the OpenAPI document (and Swagger UI's "Try it out") on every route that needs a purpose.
// Loose: validation must keep the other headers (If-Match, Idempotency-Key, X-CSRF-Token).
const purposeHeaders = z.looseObject({
  [purposeHeader]: z
    .string()
    .max(100)
    .optional()
    .describe(
      'Why this request processes personal data: a purpose key of the workspace (GET /api/v1/purposes). Required unless the API key has a default purpose; browser sessions always send it.',
    ),
});

/**
 * Establishes request.principal and request.purpose on every request, before its body is
 * validated. Bearer keys and session cookies are both accepted; a cookie-authenticated
 * request that changes state must echo the session's CSRF token in X-CSRF-Token (SameSite
 * alone does not cover every browser). Sessions have no default purpose: the web app names
 * one in Candor-Purpose on every request that reaches personal data.
 */
export const authenticationPlugin = fp(async (app: FastifyInstance, options: { database: Database }) => {
  app.decorateRequest('principal', null);
  app.decorateRequest('purpose', null);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (route.schema?.hide || route.schema?.headers || methods.every((method) => isPurposeFree(method, route.url))) return;
    route.schema = { ...route.schema, headers: purposeHeaders };
  });
  app.addHook('onRequest', async (request) => {
    // A public route (health, login, accepting an invitation) needs no caller: it runs as
    // anonymous whatever credentials, CSRF token or purpose the browser or client sends. A URL
    // no route serves has no handler to protect either: it gets the web app's page or a 404
    // (src/http/webApp.ts) whether or not the caller is logged in.
    if (request.routeOptions.config?.public === true || request.routeOptions.url === undefined) return;
    const principal = await resolvePrincipal(options.database, request);
    if (!principal) throw notAuthenticated();
    if (principal.via === 'session') checkCsrf(request, principal.csrfToken ?? '', csrfRefusal);
    request.principal = principal;
    const resolved = await resolvePurpose(options.database, principal, requestedPurpose(request));
    request.purpose = resolved.purpose;
    enforcePurpose(request, principal, resolved);
  });
});
