import type { Me } from '../api/types.ts';

type Role = Me['role'];

/*
 * Who the privacy console is for, as the API's role matrix decides (docs/roles.md): admins and
 * privacy officers read purposes, grants, the catalog and the audit trail. The app shows the
 * console to no one else, since every call behind it would be refused.
 */
const consoleRoles: ReadonlySet<Role> = new Set<Role>(['admin', 'privacy_officer']);

export const usesPrivacyConsole = (role: Role): boolean => consoleRoles.has(role);

/** Changing a role's grants (role_grant:write) is for admins and privacy officers, as the role matrix says. */
export const changesRoleGrants = (role: Role): boolean => consoleRoles.has(role);
