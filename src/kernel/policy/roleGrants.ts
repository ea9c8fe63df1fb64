import { and, asc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { purposes, rolePurposeGrants, workspaces } from '../../db/schema/index.ts';
import { roles, type Role } from '../../shared/roles.ts';
import { DomainError } from '../../shared/domainError.ts';
import type { AccessContext } from '../accessContext.ts';
import { appendAudit } from '../audit/index.ts';
import { isDirectMarketing, toPolicyPurpose, type PolicyPurpose } from './policyPurpose.ts';
import { rowsOf } from '../../db/rows.ts';
import { forgetPurposeGrants } from './grantCache.ts';

/*
 * Which purposes each role may act for (default deny). A workspace starts with the grants
 * below and changes them later; the rules are written over purposes' data uses so the
 * defaults also fit purposes a workspace adds before it has reviewed its grants.
 */

const defaultRuleByRole: Record<Role, (purpose: PolicyPurpose) => boolean> = {
  admin: () => true,
  privacy_officer: () => true,
  sales: (purpose) => purpose.dataUse === 'sales' || purpose.dataUse === 'essential.service.payment_processing',
  support: (purpose) => purpose.dataUse.startsWith('essential.service.operations.support') || purpose.dataUse === 'essential.service.payment_processing',
  marketing: (purpose) => isDirectMarketing(purpose) || purpose.dataUse.startsWith('analytics'),
  analyst: (purpose) => purpose.dataUse.startsWith('analytics'),
};

export type RoleGrant = { role: Role; purposeKey: string };

/** The default grants of every role over the given purposes. */
export function defaultRoleGrants(purposes: readonly PolicyPurpose[]): RoleGrant[] {
  return roles.flatMap((role) => purposes.filter(defaultRuleByRole[role]).map((purpose) => ({ role, purposeKey: purpose.key })));
}

/** Inserts grants (existing ones are kept); one statement. */
export async function insertRoleGrants(tx: Executor, tenantId: string, grants: readonly RoleGrant[]): Promise<void> {
  if (grants.length === 0) return;
  forgetPurposeGrants(tx);
  await tx
    .insert(rolePurposeGrants)
    .values(grants.map((grant) => ({ tenantId, role: grant.role, purposeKey: grant.purposeKey })))
    .onConflictDoNothing();
}

/** Gives a new workspace the default grants over the purposes it has (call in its creating transaction). */
export async function grantDefaultRoles(tx: Executor, tenantId: string): Promise<void> {
  const rows = await tx
    .select({ key: purposes.key, legalBasis: purposes.legalBasis, dataUse: purposes.dataUse })
    .from(purposes)
    .where(eq(purposes.tenantId, tenantId));
  await insertRoleGrants(tx, tenantId, defaultRoleGrants(rows.map(toPolicyPurpose)));
}

/** The audit action of every change an admin makes to a role's grants. */
export const roleGrantChangedAction = 'role_grant.changed';

/**
 * Upgrade step for workspaces created before role grants existed: a workspace with no grant
 * at all and no audited grant change has never had any, so it gets the defaults (a
 * workspace whose admins removed every grant keeps none: their changes are in the audit
 * trail). Idempotent; run after the migrations. Two statements whatever the number of workspaces.
 */
export async function grantDefaultsToUngrantedWorkspaces(tx: Executor): Promise<number> {
  const result = await tx.execute(sql`
    select p.tenant_id, p.key, p.legal_basis, p.data_use from purposes p
    where not exists (select 1 from role_purpose_grants g where g.tenant_id = p.tenant_id)
      and not exists (select 1 from audit_entries a where a.tenant_id = p.tenant_id and a.action = ${roleGrantChangedAction})`);
  const rows = rowsOf<{ tenant_id: string; key: string; legal_basis: string; data_use: string }>(result);
  const byTenant = new Map<string, PolicyPurpose[]>();
  for (const row of rows) {
    const list = byTenant.get(row.tenant_id) ?? [];
    list.push(toPolicyPurpose({ key: row.key, legalBasis: row.legal_basis, dataUse: row.data_use }));
    byTenant.set(row.tenant_id, list);
  }
  const values = [...byTenant].flatMap(([tenantId, list]) => defaultRoleGrants(list).map((grant) => ({ tenantId, ...grant })));
  forgetPurposeGrants(tx);
  if (values.length > 0) await tx.insert(rolePurposeGrants).values(values).onConflictDoNothing();
  return byTenant.size;
}

/** Every role's granted purposes (roles without any included, with an empty list). */
export async function listRoleGrants(tx: Executor, tenantId: string): Promise<Record<Role, string[]>> {
  const rows = await tx
    .select({ role: rolePurposeGrants.role, purposeKey: rolePurposeGrants.purposeKey })
    .from(rolePurposeGrants)
    .where(eq(rolePurposeGrants.tenantId, tenantId))
    .orderBy(asc(rolePurposeGrants.role), asc(rolePurposeGrants.purposeKey));
  const grants = Object.fromEntries(roles.map((role) => [role, [] as string[]])) as Record<Role, string[]>;
  for (const row of rows) grants[row.role as Role]?.push(row.purposeKey);
  return grants;
}

/**
 * Replaces `role`'s grants with exactly `purposeKeys` and audits the difference (purpose
 * keys and roles only). Unknown purposes are refused (422, each named). Any role may be
 * left with no purpose, admin included: managing grants is a role permission, not a
 * grant, so an admin can always grant again. Four statements and the audit entry.
 */
export async function replaceRoleGrants(
  tx: Executor,
  ctx: AccessContext,
  role: Role,
  purposeKeys: readonly string[],
): Promise<{ added: string[]; removed: string[] }> {
  const wanted = [...new Set(purposeKeys)];
  // Replacements of one workspace's grants take turns, so two at once end as one or the
  // other, never a mix. NO KEY UPDATE: inserts elsewhere that only reference the workspace go on.
  await tx.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.id, ctx.tenantId)).for('no key update');
  const known =
    wanted.length === 0
      ? []
      : await tx
          .select({ key: purposes.key })
          .from(purposes)
          .where(and(eq(purposes.tenantId, ctx.tenantId), inArray(purposes.key, wanted)));
  const knownKeys = new Set(known.map((row) => row.key));
  const unknown = wanted.filter((key) => !knownKeys.has(key));
  if (unknown.length > 0) {
    throw new DomainError(
      'validation_failed',
      `Unknown purpose: ${unknown.join(', ')}. GET /api/v1/purposes lists this workspace's purposes.`,
      unknown.map((key) => ({ field: 'purposes', reason: `unknown purpose ${key}` })),
    );
  }
  const ofRole = and(eq(rolePurposeGrants.tenantId, ctx.tenantId), eq(rolePurposeGrants.role, role));
  forgetPurposeGrants(tx);
  // Each statement reports what it did itself, so a concurrent change is never mis-audited.
  const removedRows = await tx
    .delete(rolePurposeGrants)
    .where(wanted.length === 0 ? ofRole : and(ofRole, notInArray(rolePurposeGrants.purposeKey, wanted)))
    .returning({ purposeKey: rolePurposeGrants.purposeKey });
  const addedRows =
    wanted.length === 0
      ? []
      : await tx
          .insert(rolePurposeGrants)
          .values(wanted.map((purposeKey) => ({ tenantId: ctx.tenantId, role, purposeKey })))
          .onConflictDoNothing()
          .returning({ purposeKey: rolePurposeGrants.purposeKey });
  const added = addedRows.map((row) => row.purposeKey).sort();
  const removed = removedRows.map((row) => row.purposeKey).sort();
  if (added.length > 0 || removed.length > 0) {
    await appendAudit(tx, ctx, { action: roleGrantChangedAction, object: 'role_grant', detail: { role, added, removed } });
  }
  return { added, removed };
}

export async function grantedPurposeKeys(tx: Executor, tenantId: string, role: Role): Promise<Set<string>> {
  const rows = await tx
    .select({ purposeKey: rolePurposeGrants.purposeKey })
    .from(rolePurposeGrants)
    .where(and(eq(rolePurposeGrants.tenantId, tenantId), eq(rolePurposeGrants.role, role)));
  return new Set(rows.map((row) => row.purposeKey));
}

/** Whether the workspace has the purpose, and grants it to the role; one statement. */
export async function purposeStanding(tx: Executor, tenantId: string, role: Role, purposeKey: string): Promise<{ known: boolean; granted: boolean }> {
  const result = await tx.execute(sql`select
    exists (select 1 from purposes p where p.tenant_id = ${tenantId}::uuid and p.key = ${purposeKey}) as known,
    ${roleGrantedCondition(tenantId, role, purposeKey)} as granted`);
  const [row] = rowsOf<{ known: boolean; granted: boolean }>(result);
  return { known: row?.known === true, granted: row?.granted === true };
}

/** 403 purpose_not_granted: the workspace does not let `role` act for `purposeKey`. */
export function purposeNotGranted(role: Role, purposeKey: string): DomainError {
  return new DomainError(
    'purpose_not_granted',
    `This workspace does not grant the ${role} role the purpose ${purposeKey}; an admin can grant it (PUT /api/v1/role-grants/${role}) or use a purpose the role holds.`,
    [{ field: 'Candor-Purpose', reason: 'not granted to this role' }],
    { purpose: purposeKey },
  );
}

/** SQL: whether `role` is granted `purposeKey` in the workspace. */
export const roleGrantedCondition = (tenantId: string, role: Role, purposeKey: string) => sql`exists (
  select 1 from role_purpose_grants g
  where g.tenant_id = ${tenantId}::uuid and g.role = ${role} and g.purpose_key = ${purposeKey})`;
