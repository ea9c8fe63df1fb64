import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Database } from '../../db/connection.ts';
import { verifyApiKey } from '../../accounts/apiKeys.ts';
import { sessionCookieName, verifySession } from '../../accounts/sessions.ts';
import { secretsEqual } from '../../accounts/secrets.ts';
import { purposeExists } from '../../privacy/purposes.ts';
import { DomainError } from '../../shared/domainError.ts';
import type { Principal } from '../principal.ts';

export const purposeHeader = 'candor-purpose';
export const csrfHeader = 'x-csrf-token';
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

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

async function resolvePurpose(database: Database, principal: Principal, header: string | undefined): Promise<string | null> {
  if (header === undefined || header === '') return principal.defaultPurpose;
  const known = principal.purposeKnown ?? (await purposeExists(database.db, principal.tenantId, header));
  if (!known) {
    throw new DomainError('unknown_purpose', 'The Candor-Purpose header names no purpose of this workspace; GET /api/v1/purposes lists them.', [
      { field: 'Candor-Purpose', reason: 'unknown purpose' },
    ]);
  }
  if (principal.allowedPurposes && !principal.allowedPurposes.includes(header)) {
    throw new DomainError('purpose_not_allowed', 'This API key may not act for the purpose in Candor-Purpose.', [
      { field: 'Candor-Purpose', reason: 'not among the key\'s purposes' },
    ]);
  }
  return header;
}

/**
 * Establishes request.principal and request.purpose. Bearer keys and session cookies are
 * both accepted; a cookie-authenticated request that changes state must echo the
 * session's CSRF token in X-CSRF-Token (SameSite alone does not cover every browser).
 */
export const authenticationPlugin = fp(async (app: FastifyInstance, options: { database: Database }) => {
  app.decorateRequest('principal', null);
  app.decorateRequest('purpose', null);
  app.addHook('preHandler', async (request) => {
    const isPublic = request.routeOptions.config?.public === true;
    const principal = await resolvePrincipal(options.database, request).catch((error: unknown) => {
      if (isPublic) return null;
      throw error;
    });
    if (!principal) {
      if (isPublic) return;
      throw new DomainError('unauthenticated', 'Authenticate with "Authorization: Bearer cnd_…" or log in at POST /api/v1/auth/login.');
    }
    if (principal.via === 'session' && !safeMethods.has(request.method)) {
      const presented = request.headers[csrfHeader];
      if (typeof presented !== 'string' || !secretsEqual(presented, principal.csrfToken ?? '')) {
        // A public route (login, accepting an invitation) does not need the session, so it
        // runs as anonymous instead of failing because the browser still holds a cookie.
        if (isPublic) return;
        throw new DomainError('csrf_failed', 'Send the CSRF token from login in the X-CSRF-Token header.', [{ field: 'X-CSRF-Token', reason: 'missing or wrong' }]);
      }
    }
    request.principal = principal;
    request.purpose = await resolvePurpose(options.database, principal, requestedPurpose(request));
  });
});
