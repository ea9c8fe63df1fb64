import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../db/connection.ts';
import { rememberedFormKey } from '../privacy/formKeyMemo.ts';
import { formKeysAllowOrigin, type FormKey } from '../privacy/formKeys.ts';
import { hitInTurn, rateLimitKey, rateLimited } from '../platform/rateLimit.ts';
import { DomainError } from '../shared/domainError.ts';
import type { CandorApp } from './routes/routePlugin.ts';

/*
 * What every public route under a form key shares (POST /collect, GET /collect/notices): the
 * key comes in the Candor-Form-Key header, never the URL. CORS is answered only for the key's
 * allowed origins; a request from any other origin gets no CORS header and 403. A preflight
 * cannot carry the key, so it is answered for an origin some live form key allows, and the
 * request itself is checked against its own key's list. Limits hold per key and per client.
 */

export const formKeyHeader = 'candor-form-key';

const badKey = () =>
  new DomainError('unauthenticated', 'Send a live form key in the Candor-Form-Key header.', [
    { field: 'Candor-Form-Key', reason: 'unknown, rotated or revoked' },
  ]);
const badOrigin = () =>
  new DomainError('forbidden', "This page's origin is not among the form key's allowed origins.", [{ field: 'Origin', reason: 'not allowed' }]);

const originOf = (request: FastifyRequest) => (typeof request.headers.origin === 'string' ? request.headers.origin : null);

function allowOrigin(reply: FastifyReply, origin: string): void {
  reply.header('access-control-allow-origin', origin);
  reply.header('vary', 'Origin');
}

/** Answers the CORS preflight of a form-key route. */
export function registerFormKeyPreflight(app: CandorApp, database: Database, path: string, method: 'GET' | 'POST'): void {
  app.options(path, { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
    const origin = originOf(request);
    if (!origin || !(await formKeysAllowOrigin(database.db, origin))) throw badOrigin();
    allowOrigin(reply, origin);
    reply.header('access-control-allow-methods', method);
    reply.header('access-control-allow-headers', 'Content-Type, Candor-Form-Key, Idempotency-Key');
    reply.header('access-control-max-age', '600');
    return reply.code(204).send();
  });
}

export type FormKeyRequest = { key: FormKey & { tenantId: string }; origin: string | null };

/** The live form key the request presents, its origin allowed (and answered with CORS); 401 or 403 otherwise. */
export async function formKeyOf(database: Database, request: FastifyRequest, reply: FastifyReply): Promise<FormKeyRequest> {
  const presented = request.headers[formKeyHeader];
  const key = typeof presented === 'string' ? await rememberedFormKey(database.db, presented) : null;
  if (!key) throw badKey();
  const origin = originOf(request);
  // A browser always names the page's origin on a cross-origin request; a server-side sender names none.
  if (origin !== null && !key.allowedOrigins.includes(origin)) throw badOrigin();
  if (origin !== null) allowOrigin(reply, origin);
  return { key, origin };
}

export type FormKeyLimits = { scope: string; perKey: number; perClient: number; windowMs: number };

/** One hit on the client's bucket and, while it holds, on the key's (one statement); 429 with Retry-After when either is spent. */
export async function limitFormKeyRequest(database: Database, key: FormKey, ip: string, limits: FormKeyLimits, what: string): Promise<void> {
  const { first: client, second: all } = await hitInTurn(
    database.db,
    { key: rateLimitKey(`${limits.scope}.client`, key.id, ip), limit: limits.perClient, windowMs: limits.windowMs },
    { key: rateLimitKey(`${limits.scope}.key`, key.id), limit: limits.perKey, windowMs: limits.windowMs },
  );
  if (!client.allowed) throw rateLimited(client, `Too many ${what} from this address; retry later.`);
  if (all && !all.allowed) throw rateLimited(all, `Too many ${what} under this form key; retry later.`);
}
