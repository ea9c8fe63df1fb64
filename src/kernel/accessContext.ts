import type { Role } from '../accounts/roles.ts';

export type Actor =
  | { type: 'user'; id: string; role: Role }
  | { type: 'api_key'; id: string; role: Role; createdBy: string | null }
  | { type: 'system'; id: string; role: 'admin' };

/**
 * Who is acting, in which workspace, and why. Every call into the kernel carries one.
 * The purpose is null only where the caller named none; the privacy kernel will refuse
 * personal-data access without one.
 */
export type AccessContext = {
  readonly tenantId: string;
  readonly actor: Actor;
  readonly purpose: string | null;
};

export const actorKey = (actor: Actor) => `${actor.type}:${actor.id}`;

export function systemContext(tenantId: string, name: string, purpose: string | null = null): AccessContext {
  return { tenantId, actor: { type: 'system', id: name, role: 'admin' }, purpose };
}
