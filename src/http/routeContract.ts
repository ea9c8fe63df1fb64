import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DomainErrorCode } from '../shared/domainError.ts';

/*
 * What a route promises beyond its zod schemas, declared in its `config`: the conditional
 * and idempotency headers its handler reads, whether it answers with an ETag, and the
 * domain errors its services raise beyond those every route of its kind can
 * (src/http/openapi/problemResponses.ts derives the rest from the route's shape). The
 * OpenAPI document is built from these declarations, and the functions below, through which
 * handlers read those headers, refuse on a route that does not declare them: a handler
 * cannot read a header the document does not show.
 */

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route reads If-Match: required (428 without it) or optional; a stale one is 412. */
    ifMatch?: 'required' | 'optional';
    /** The route honours Idempotency-Key. */
    idempotencyKey?: boolean;
    /** Successful answers carry the record's ETag. */
    etag?: boolean;
    /** Domain errors the route's services raise that its shape does not imply (duplicate, conflict, rate_limited, …). */
    problems?: readonly DomainErrorCode[];
    /**
     * A Data Rights Protocol route (src/http/routes/drp.ts): its errors are the protocol's JSON
     * `{code, message, fatal}`; `setup` is signed by the agent's key alone, `token` takes the
     * agent's bearer token.
     */
    drp?: 'setup' | 'token';
  }
}

// A programming error, not the client's: the route must declare what its handler reads.
function undeclared(request: FastifyRequest, what: string): Error {
  return new Error(`${request.method} ${request.routeOptions.url ?? '?'} ${what} without declaring it in its route config`);
}

/** The If-Match header of a route that declares it `required` or `optional` as the caller expects. */
export function declaredIfMatch(request: FastifyRequest, expected: 'required' | 'optional'): string | undefined {
  if (request.routeOptions.config?.ifMatch !== expected) throw undeclared(request, `reads If-Match as ${expected}`);
  const header = request.headers['if-match'];
  return Array.isArray(header) ? header[0] : header;
}

/** The Idempotency-Key header of a route that declares `idempotencyKey`; null when the client sent none. */
export function declaredIdempotencyKey(request: FastifyRequest): string | null {
  if (request.routeOptions.config?.idempotencyKey !== true) throw undeclared(request, 'reads Idempotency-Key');
  const header = request.headers['idempotency-key'];
  const key = Array.isArray(header) ? header[0] : header;
  return key ?? null;
}

/** Checks that the route answering declares `etag` before its handler sets one. */
export function assertEtagDeclared(reply: FastifyReply): void {
  if (reply.request.routeOptions.config?.etag !== true) throw undeclared(reply.request, 'sets ETag');
}
