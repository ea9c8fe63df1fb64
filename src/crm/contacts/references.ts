import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { companies, users } from '../../db/schema/index.ts';
import type { AccessContext } from '../../kernel/index.ts';
import { invalid } from '../../shared/domainError.ts';

/** Refuses (422 naming `field`) an owner that is not a user of this workspace. */
export async function requireOwner(tx: Executor, ctx: AccessContext, userId: string, field = 'ownerId'): Promise<void> {
  const [user] = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.tenantId, ctx.tenantId), eq(users.id, userId)))
    .limit(1);
  if (!user) throw invalid(field, 'no user with this id in this workspace');
}

/** Refuses (422 naming `field`) a company that is not in this workspace. */
export async function requireCompany(tx: Executor, ctx: AccessContext, companyId: string, field = 'companyId'): Promise<void> {
  const [company] = await tx
    .select({ id: companies.id })
    .from(companies)
    .where(and(eq(companies.tenantId, ctx.tenantId), eq(companies.id, companyId)))
    .limit(1);
  if (!company) throw invalid(field, 'no company with this id in this workspace');
}

/** The owner a new record gets when none is named: the acting user, or the key's creator. */
export function defaultOwnerId(ctx: AccessContext): string | null {
  if (ctx.actor.type === 'user') return ctx.actor.id;
  if (ctx.actor.type === 'api_key') return ctx.actor.createdBy;
  return null;
}
