import type { Executor } from '../db/connection.ts';
import { appendAudit, type AccessContext } from '../kernel/index.ts';
import { DomainError, notFound } from '../shared/domainError.ts';
import { forgetLoginFailures } from './throttles.ts';
import { findUserByEmail, findUserById, toPublicUser, type PublicUser, type User } from './users.ts';
import { findWorkspaceById } from './workspaces.ts';

/**
 * Lets a user's right password in at once: forgets every failed login on the account, from
 * every client address. Audited with the user's id only. (A client address that sprayed
 * many accounts stays capped: that limit is the address's, not the account's.)
 */
export async function unlockUser(db: Executor, ctx: AccessContext, userId: string): Promise<PublicUser> {
  return db.transaction(async (tx) => {
    const user = await findUserById(tx, ctx.tenantId, userId);
    if (!user) throw notFound('user');
    return unlockFound(tx, ctx, user);
  });
}

/** The same, naming the user by login e-mail address (the CLI's way in). */
export async function unlockUserByEmail(db: Executor, ctx: AccessContext, email: string): Promise<PublicUser> {
  return db.transaction(async (tx) => {
    const user = await findUserByEmail(tx, ctx.tenantId, email);
    if (!user) throw new DomainError('not_found', 'No user with that e-mail address in this workspace.', [{ field: 'email', reason: 'no such user' }]);
    return unlockFound(tx, ctx, user);
  });
}

async function unlockFound(tx: Executor, ctx: AccessContext, user: User): Promise<PublicUser> {
  const workspace = await findWorkspaceById(tx, ctx.tenantId);
  if (!workspace) throw notFound('workspace');
  await forgetLoginFailures(tx, workspace.slug, user.email);
  await appendAudit(tx, ctx, { action: 'user.unlocked', object: 'user', recordIds: [user.id] });
  return toPublicUser(user);
}
