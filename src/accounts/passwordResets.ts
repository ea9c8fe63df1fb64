import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Database } from '../db/connection.ts';
import { newId } from '../db/ids.ts';
import { passwordResets, users } from '../db/schema/index.ts';
import { appendAudit } from '../kernel/index.ts';
import { issueOneTimeToken, parseOneTimeToken } from '../shared/oneTimeTokens.ts';
import { hashPassword } from './passwords.ts';
import { verifySecret } from '../shared/secrets.ts';
import { revokeUserSessions } from './sessions.ts';
import { unusableToken } from './invitations.ts';
import { findUserByEmail, assertAcceptablePassword, userContext } from './users.ts';
import { findWorkspaceBySlug, type Workspace } from './workspaces.ts';

export const passwordResetLifetimeMs = 60 * 60 * 1000;

export type IssuedPasswordReset = { to: string; token: string; workspace: Workspace; expiresAt: Date };

/**
 * Issues a reset token when the workspace has an active user with that address, and null
 * otherwise. Callers answer the same way in both cases, so nobody learns who has an account.
 */
export async function issuePasswordReset(database: Database, input: { workspace: string; email: string }): Promise<IssuedPasswordReset | null> {
  const workspace = await findWorkspaceBySlug(database.db, input.workspace.trim().toLowerCase());
  const user = workspace ? await findUserByEmail(database.db, workspace.id, input.email) : null;
  if (!workspace || !user || user.status !== 'active') return null;
  const id = newId();
  const { token, tokenHash } = issueOneTimeToken(workspace.id, id);
  const expiresAt = new Date(Date.now() + passwordResetLifetimeMs);
  await database.db.transaction(async (tx) => {
    await tx.insert(passwordResets).values({ tenantId: workspace.id, id, userId: user.id, tokenHash, expiresAt });
    await appendAudit(tx, userContext(user), { action: 'password_reset.requested', object: 'user', recordIds: [user.id] });
  });
  return { to: user.email, token, workspace, expiresAt };
}

/**
 * Sets a new password with a reset token, uses up every outstanding reset token of that
 * user and revokes all their sessions (whoever knew the old password is logged out).
 */
export async function completePasswordReset(database: Database, input: { token: string; password: string }): Promise<void> {
  assertAcceptablePassword(input.password);
  const parsed = parseOneTimeToken(input.token);
  if (!parsed) throw unusableToken();
  const passwordHash = await hashPassword(input.password);
  await database.db.transaction(async (tx) => {
    const now = new Date();
    const [row] = await tx
      .select({ reset: passwordResets, user: users })
      .from(passwordResets)
      .innerJoin(users, and(eq(users.tenantId, passwordResets.tenantId), eq(users.id, passwordResets.userId)))
      .where(
        and(eq(passwordResets.tenantId, parsed.tenantId), eq(passwordResets.id, parsed.id), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, now)),
      )
      .for('update');
    if (!row || !verifySecret(parsed.secret, row.reset.tokenHash) || row.user.status !== 'active') throw unusableToken();
    const { tenantId, id: userId } = row.user;
    await tx
      .update(users)
      .set({ passwordHash, updatedAt: now })
      .where(and(eq(users.tenantId, tenantId), eq(users.id, userId)));
    await tx
      .update(passwordResets)
      .set({ usedAt: now })
      .where(and(eq(passwordResets.tenantId, tenantId), eq(passwordResets.userId, userId), isNull(passwordResets.usedAt)));
    await revokeUserSessions(tx, tenantId, userId, now);
    await appendAudit(tx, userContext(row.user), { action: 'password_reset.completed', object: 'user', recordIds: [userId], fields: ['password'] });
  });
}
