import type { Me } from '../api/types.ts';
import { useSession } from './sessionContext.ts';

/** One `resource:action` of the role matrix (docs/roles.md), as GET /auth/me lists them. */
export type Permission = Me['permissions'][number];

/*
 * What the signed-in user's role may do, read from /auth/me rather than copied here: the app only
 * hides what the API would refuse. The API still decides, and a refusal still shows its reason.
 */
export const isPermitted = (me: Me | null, permission: Permission): boolean => me?.permissions.includes(permission) ?? false;

/** Whether the signed-in user's role may do `permission`; false while no one is signed in. */
export function usePermission(permission: Permission): boolean {
  return isPermitted(useSession().me, permission);
}
