import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { rolePurposeGrants } from '../../db/schema/index.ts';
import { roles, type Role } from '../../accounts/roles.ts';
import { isDirectMarketing, type PolicyPurpose } from './policyPurpose.ts';

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
  await tx
    .insert(rolePurposeGrants)
    .values(grants.map((grant) => ({ tenantId, role: grant.role, purposeKey: grant.purposeKey })))
    .onConflictDoNothing();
}

export async function grantedPurposeKeys(tx: Executor, tenantId: string, role: Role): Promise<Set<string>> {
  const rows = await tx
    .select({ purposeKey: rolePurposeGrants.purposeKey })
    .from(rolePurposeGrants)
    .where(and(eq(rolePurposeGrants.tenantId, tenantId), eq(rolePurposeGrants.role, role)));
  return new Set(rows.map((row) => row.purposeKey));
}

/** SQL: whether `role` is granted `purposeKey` in the workspace. */
export const roleGrantedCondition = (tenantId: string, role: Role, purposeKey: string) => sql`exists (
  select 1 from role_purpose_grants g
  where g.tenant_id = ${tenantId}::uuid and g.role = ${role} and g.purpose_key = ${purposeKey})`;
