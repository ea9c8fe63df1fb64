import type { RouteOptions } from 'fastify';
import type { DomainErrorCode } from '../../shared/domainError.ts';
import { isPurposeFree } from '../purposeFreeRoutes.ts';

/** What the OpenAPI document needs to know about a route to say which problems and headers it has. */
export type RouteFacts = {
  method: string;
  /** The URL pattern with its prefix, e.g. /api/v1/contacts/:id. */
  url: string;
  /** Not a public route: authentication runs and may refuse (401, 403, unknown purpose). */
  authenticated: boolean;
  /** Public to the staff hook, but needs the privacy portal's session (401, and 403 csrf_failed on a change). */
  portalSession: boolean;
  /** Outside src/http/purposeFreeRoutes.ts: the request must act for a purpose granted to its role. */
  needsPurpose: boolean;
  /** A state-changing method: with the session cookie it needs X-CSRF-Token. */
  changesState: boolean;
  pathParameters: string[];
  hasBody: boolean;
  hasQuery: boolean;
  /** Fastify checks the request's parts against the route's schemas (some routes validate their body themselves). */
  validatesShape: boolean;
  ifMatch: 'required' | 'optional' | undefined;
  idempotencyKey: boolean;
  etag: boolean;
  /** Domain errors the route declares beyond those its shape implies. */
  problems: readonly DomainErrorCode[];
};

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export function routeFactsOf(route: RouteOptions, url: string): RouteFacts {
  const method = (Array.isArray(route.method) ? route.method[0] : route.method).toUpperCase();
  const schema = route.schema ?? {};
  const config = route.config ?? {};
  const authenticated = config.public !== true;
  const pathParameters = [...url.matchAll(/:(\w+)/g)].map((match) => match[1]);
  const hasBody = schema.body !== undefined;
  const hasQuery = schema.querystring !== undefined;
  // A route with its own validator compiler checks its body itself (answering 422, not 400).
  const ownValidator = route.validatorCompiler !== undefined;
  return {
    method,
    url,
    authenticated,
    portalSession: config.portalSession === true,
    needsPurpose: authenticated && !isPurposeFree(method, url),
    changesState: !safeMethods.has(method),
    pathParameters,
    hasBody,
    hasQuery,
    validatesShape: hasQuery || schema.params !== undefined || (!ownValidator && (hasBody || schema.headers !== undefined)),
    ifMatch: config.ifMatch,
    idempotencyKey: config.idempotencyKey === true,
    etag: config.etag === true,
    problems: config.problems ?? [],
  };
}
