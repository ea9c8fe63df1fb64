import { and, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { companies, users } from '../../db/schema/index.ts';
import type { AccessContext } from '../../kernel/index.ts';
import { invalid } from '../../shared/domainError.ts';

/** Which of these user ids are users of this workspace (one query, none for no ids). */
export async function existingOwnerIds(tx: Executor, ctx: AccessContext, userIds: readonly string[]): Promise<Set<string>> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return new Set();
  const rows = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.tenantId, ctx.tenantId), inArray(users.id, ids)));
  return new Set(rows.map((row) => row.id));
}

/** Which of these company ids are companies of this workspace (one query, none for no ids). */
export async function existingCompanyIds(tx: Executor, ctx: AccessContext, companyIds: readonly string[]): Promise<Set<string>> {
  const ids = [...new Set(companyIds)];
  if (ids.length === 0) return new Set();
  const rows = await tx
    .select({ id: companies.id })
    .from(companies)
    .where(and(eq(companies.tenantId, ctx.tenantId), inArray(companies.id, ids)));
  return new Set(rows.map((row) => row.id));
}

/** Refuses (422 naming `field`) an owner not among `owners`, the workspace's users looked up for a request. */
export function refuseUnknownOwner(owners: ReadonlySet<string>, userId: string, field = 'ownerId'): void {
  if (!owners.has(userId)) throw invalid(field, 'no user with this id in this workspace');
}

/** Refuses (422 naming `field`) a company not among `known`, the workspace's companies looked up for a request. */
export function refuseUnknownCompany(known: ReadonlySet<string>, companyId: string, field = 'companyId'): void {
  if (!known.has(companyId)) throw invalid(field, 'no company with this id in this workspace');
}

/** Refuses (422 naming `field`) an owner that is not a user of this workspace. */
export async function requireOwner(tx: Executor, ctx: AccessContext, userId: string, field = 'ownerId'): Promise<void> {
  refuseUnknownOwner(await existingOwnerIds(tx, ctx, [userId]), userId, field);
}

/** Refuses (422 naming `field`) a company that is not in this workspace. */
export async function requireCompany(tx: Executor, ctx: AccessContext, companyId: string, field = 'companyId'): Promise<void> {
  refuseUnknownCompany(await existingCompanyIds(tx, ctx, [companyId]), companyId, field);
}

/** The owner a new record gets when none is named: the acting user, or the key's creator. */
export function defaultOwnerId(ctx: AccessContext): string | null {
  if (ctx.actor.type === 'user') return ctx.actor.id;
  if (ctx.actor.type === 'api_key') return ctx.actor.createdBy;
  return null;
}
