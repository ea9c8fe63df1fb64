import type { FastifyRequest } from 'fastify';
import { requirePurpose, type AccessContext, type Actor, type PurposeContext } from '../kernel/index.ts';
import { assertCan, type Action } from '../shared/roles.ts';
import { DomainError } from '../shared/domainError.ts';

/** Who sent a request, as established by the authentication plugin. */
export type Principal = {
  tenantId: string;
  actor: Actor;
  via: 'api_key' | 'session';
  /** Purposes an API key may act for; null for a browser session (any workspace purpose). */
  allowedPurposes: string[] | null;
  defaultPurpose: string | null;
  /** Whether the requested purpose exists, when authentication already found out (API keys). */
  purposeKnown?: boolean | null;
  /** Whether the role is granted the purpose the key acts for, when authentication already found out (API keys). */
  purposeGranted?: boolean;
  sessionId?: string;
  csrfToken?: string;
};

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    /**
     * The purpose this request acts for (Candor-Purpose header or the key's default). Never
     * null on a route outside src/http/purposeFreeRoutes.ts: authentication refuses first.
     */
    purpose: string | null;
  }
  interface FastifyContextConfig {
    /** Routes that need no authentication (login, health, OpenAPI, …). */
    public?: boolean;
    /** A public route of the customer privacy portal that needs its session cookie (src/http/portalSessionAccess.ts). */
    portalSession?: boolean;
  }
}

/** 401: neither a valid API key nor a session cookie. */
export const notAuthenticated = () =>
  new DomainError('unauthenticated', 'Authenticate with "Authorization: Bearer cnd_…" or log in at POST /api/v1/auth/login.');

export function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw notAuthenticated();
  return request.principal;
}

// One context object per request: the kernel remembers the request's grant and catalog
// against it (src/kernel/callPolicy.ts), so they are read once per request, not per call.
const requestContexts = new WeakMap<FastifyRequest, AccessContext>();

/** Checks the role matrix for `action` and returns the context every service call takes. */
export function accessContext(request: FastifyRequest, action: Action): AccessContext {
  const principal = requirePrincipal(request);
  assertCan(principal.actor.role, action);
  let ctx = requestContexts.get(request);
  if (!ctx) {
    ctx = { tenantId: principal.tenantId, actor: principal.actor, purpose: request.purpose };
    requestContexts.set(request, ctx);
  }
  return ctx;
}

/** accessContext for a route that reaches personal data: the context names its purpose. */
export function purposeContext(request: FastifyRequest, action: Action): PurposeContext {
  return requirePurpose(accessContext(request, action));
}
