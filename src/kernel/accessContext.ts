import type { Role } from '../shared/roles.ts';
import { DomainError } from '../shared/domainError.ts';

export type Actor =
  | { type: 'user'; id: string; role: Role }
  | { type: 'api_key'; id: string; role: Role; createdBy: string | null }
  | { type: 'system'; id: string; role: 'admin' };

/**
 * Who is acting, in which workspace, and why. The purpose is null only where the caller
 * named none (routes that touch no personal data); such a context cannot reach personal
 * data: the kernel's record functions take a PurposeContext.
 */
export type AccessContext = {
  readonly tenantId: string;
  readonly actor: Actor;
  readonly purpose: string | null;
};

/** An AccessContext that names its purpose: the only kind that reaches personal data. */
export type PurposeContext = AccessContext & { readonly purpose: string };

export const actorKey = (actor: Actor) => `${actor.type}:${actor.id}`;

export function systemContext(tenantId: string, name: string): AccessContext;
export function systemContext(tenantId: string, name: string, purpose: string): PurposeContext;
export function systemContext(tenantId: string, name: string, purpose: string | null): AccessContext;
export function systemContext(tenantId: string, name: string, purpose: string | null = null): AccessContext {
  return { tenantId, actor: { type: 'system', id: name, role: 'admin' }, purpose };
}

/** Narrows to a PurposeContext, or refuses with 400 purpose_required naming the header. */
export function requirePurpose(ctx: AccessContext): PurposeContext {
  if (ctx.purpose === null || ctx.purpose === '') {
    throw new DomainError(
      'purpose_required',
      'This request reaches personal data: name its purpose in the Candor-Purpose header (GET /api/v1/purposes lists them) or give the API key a default purpose.',
      [{ field: 'Candor-Purpose', reason: 'required for personal data' }],
    );
  }
  return ctx as PurposeContext;
}
