import { DomainError } from './domainError.ts';

export const roles = ['admin', 'privacy_officer', 'sales', 'support', 'marketing', 'analyst'] as const;
export type Role = (typeof roles)[number];

export const isRole = (value: string): value is Role => (roles as readonly string[]).includes(value);

export const resources = [
  'contact',
  'company',
  'deal',
  'pipeline',
  'activity',
  'purchase',
  'event',
  'visitor',
  'custom_field',
  'import',
  'export',
  'segment',
  'campaign',
  'request',
  'aggregate',
  'consent_statistics',
  'user',
  'api_key',
  'webhook',
  'purpose',
  'notice',
  'role_grant',
  'catalog',
  'audit',
  'vault',
  'workspace',
  'legal_hold',
  'retention',
] as const;
export type Resource = (typeof resources)[number];
export const verbs = ['read', 'write', 'delete'] as const;
export type Verb = (typeof verbs)[number];
export type Action = `${Resource}:${Verb}`;
/** Every action there is, resource by resource (the order of docs/roles.md). */
export const actions = resources.flatMap((resource) => verbs.map((verb): Action => `${resource}:${verb}`));

const crud = (resource: Resource): Action[] => [`${resource}:read`, `${resource}:write`, `${resource}:delete`];
const readWrite = (resource: Resource): Action[] => [`${resource}:read`, `${resource}:write`];

/**
 * The role × action matrix, rendered to docs/roles.md (npx tsx src/accounts/writeRoleMatrixDoc.ts;
 * test/roleMatrixDoc.test.ts fails when the two disagree). Admins configure the
 * workspace; privacy officers see everything, steer the purposes, their notices, the role grants and the
 * catalog, and may delete (they run erasure), place legal holds and run retention, but do not sell; analysts read aggregates only and never see or delete a person's record.
 */
export const roleMatrix: Record<Role, ReadonlySet<Action>> = {
  admin: new Set(actions),
  privacy_officer: new Set<Action>([
    'contact:read',
    'contact:write',
    'contact:delete',
    'company:read',
    'deal:read',
    'pipeline:read',
    'activity:read',
    'purchase:read',
    'event:read',
    'event:delete',
    'visitor:read',
    'visitor:delete',
    'custom_field:read',
    'custom_field:write',
    'export:read',
    'aggregate:read',
    'consent_statistics:read',
    'purpose:read',
    'purpose:write',
    'notice:read',
    'notice:write',
    'role_grant:read',
    'role_grant:write',
    'catalog:read',
    'catalog:write',
    'audit:read',
    'vault:read',
    'user:read',
    'webhook:read',
    'import:read',
    'segment:read',
    'campaign:read',
    ...readWrite('legal_hold'),
    ...readWrite('retention'),
    'request:read',
    'request:write',
  ]),
  sales: new Set<Action>([
    ...readWrite('contact'),
    ...crud('company'),
    ...crud('deal'),
    'pipeline:read',
    ...crud('activity'),
    ...readWrite('purchase'),
    'event:read',
    'visitor:read',
    'custom_field:read',
    ...readWrite('import'),
    'export:read',
    'aggregate:read',
    'purpose:read',
    'notice:read',
  ]),
  support: new Set<Action>([
    ...readWrite('contact'),
    'company:read',
    'deal:read',
    'pipeline:read',
    ...readWrite('activity'),
    'purchase:read',
    'event:read',
    'visitor:read',
    'custom_field:read',
    'aggregate:read',
    'purpose:read',
    'notice:read',
  ]),
  marketing: new Set<Action>([
    ...readWrite('contact'),
    'company:read',
    'deal:read',
    'pipeline:read',
    'activity:read',
    'purchase:read',
    ...readWrite('event'),
    ...readWrite('visitor'),
    'custom_field:read',
    ...readWrite('import'),
    'export:read',
    ...crud('segment'),
    ...crud('campaign'),
    'aggregate:read',
    'purpose:read',
    'notice:read',
  ]),
  analyst: new Set<Action>(['aggregate:read', 'pipeline:read', 'purpose:read', 'notice:read']),
};

/** Whether `outer` may do everything `inner` may (a user may hold keys only up to their own role). */
export function roleIncludes(outer: Role, inner: Role): boolean {
  for (const action of roleMatrix[inner]) if (!roleMatrix[outer].has(action)) return false;
  return true;
}

/** What `role` may do, in the order of `actions`. */
export const permissionsOf = (role: Role): Action[] => actions.filter((action) => roleMatrix[role].has(action));

export function can(role: Role, action: Action): boolean {
  return roleMatrix[role].has(action);
}

export function assertCan(role: Role, action: Action): void {
  if (!can(role, action)) {
    throw new DomainError('forbidden', `The ${role} role may not ${action.replace(':', ' ')}.`, [], { action });
  }
}
