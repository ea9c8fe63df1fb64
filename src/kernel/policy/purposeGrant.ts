import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { DomainError } from '../../shared/domainError.ts';
import type { PurposeContext } from '../accessContext.ts';
import { toPolicyPurpose, type PolicyPurpose } from './policyPurpose.ts';
import { purposeNotGranted, roleGrantedCondition } from './roleGrants.ts';
import { rowsOf } from '../../db/rows.ts';
import { rememberGrant, rememberedGrant, type GrantRow } from './grantCache.ts';

/**
 * The context's purpose row (with its consent validity) and whether the actor may act for it,
 * or undefined when the workspace has no such purpose; asked once per transaction.
 */
export async function findPurposeGrant(tx: Executor, ctx: PurposeContext): Promise<GrantRow | undefined> {
  return asActorsGrant(ctx, await grantRow(tx, ctx));
}

// Candor's own work (imports, seeds, jobs) acts for a purpose without a role's grant.
const asActorsGrant = (ctx: PurposeContext, row: GrantRow | undefined) => row && { ...row, granted: row.granted || ctx.actor.type === 'system' };

const grantQuery = (ctx: PurposeContext) => sql`
    select p.key, p.legal_basis, p.data_use, p.consent_validity_days, ${roleGrantedCondition(ctx.tenantId, ctx.actor.role, ctx.purpose)} as granted
    from purposes p where p.tenant_id = ${ctx.tenantId}::uuid and p.key = ${ctx.purpose}`;

async function grantRow(tx: Executor, ctx: PurposeContext): Promise<GrantRow | undefined> {
  const cached = rememberedGrant(tx, ctx.tenantId, ctx.actor.role, ctx.purpose);
  if (cached) return cached;
  const [row] = rowsOf<GrantRow>(await tx.execute(grantQuery(ctx)));
  if (row) rememberGrant(tx, ctx.tenantId, ctx.actor.role, row);
  return row;
}

/**
 * requireGrantedPurpose, and in the same statement one more scalar read (`also`, e.g. the
 * catalog as json) the caller needs anyway: one round trip where there were two. A grant
 * already remembered by the transaction is not read again.
 */
export async function requireGrantedPurposeWith(tx: Executor, ctx: PurposeContext, also: SQL): Promise<{ purpose: PolicyPurpose; also: unknown }> {
  const cached = rememberedGrant(tx, ctx.tenantId, ctx.actor.role, ctx.purpose);
  const [row] = rowsOf<{ grant: GrantRow | null; also: unknown }>(
    await tx.execute(cached ? sql`select ${also} as also` : sql`select (select row_to_json(g) from (${grantQuery(ctx)}) g) as grant, ${also} as also`),
  );
  const grant = cached ?? row?.grant ?? undefined;
  if (!cached && grant) rememberGrant(tx, ctx.tenantId, ctx.actor.role, grant);
  return { purpose: requireGranted(ctx, asActorsGrant(ctx, grant)), also: row?.also };
}

/** The context's purpose and whether its role is granted it; one statement, asked once per transaction. */
export async function loadPurposeGrant(tx: Executor, ctx: PurposeContext): Promise<{ purpose: PolicyPurpose; granted: boolean }> {
  return grantedPurpose(ctx, await findPurposeGrant(tx, ctx));
}

function grantedPurpose(ctx: PurposeContext, row: GrantRow | undefined): { purpose: PolicyPurpose; granted: boolean } {
  if (!row)
    throw new DomainError('unknown_purpose', 'This workspace has no such purpose.', [{ field: 'Candor-Purpose', reason: 'unknown purpose' }], {
      purpose: ctx.purpose,
    });
  return { purpose: toPolicyPurpose({ key: row.key, legalBasis: row.legal_basis, dataUse: row.data_use }), granted: row.granted };
}

/**
 * The context's purpose, refusing (403 purpose_not_granted) when the workspace does not
 * grant it to the actor's role: default deny, before any personal data is touched.
 */
export async function requireGrantedPurpose(tx: Executor, ctx: PurposeContext): Promise<PolicyPurpose> {
  return requireGranted(ctx, await findPurposeGrant(tx, ctx));
}

function requireGranted(ctx: PurposeContext, row: GrantRow | undefined): PolicyPurpose {
  const { purpose, granted } = grantedPurpose(ctx, row);
  if (!granted) throw purposeNotGranted(ctx.actor.role, purpose.key);
  return purpose;
}
