import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Database, Executor } from '../db/connection.ts';
import { newId } from '../db/ids.ts';
import { invitations } from '../db/schema/index.ts';
import { appendAudit, type AccessContext } from '../kernel/index.ts';
import { recordChange } from '../platform/changes.ts';
import { DomainError, invalid, notFound } from '../shared/domainError.ts';
import { issueOneTimeToken, parseOneTimeToken } from '../shared/oneTimeTokens.ts';
import { hashPassword } from './passwords.ts';
import type { Role } from '../shared/roles.ts';
import { verifySecret } from '../shared/secrets.ts';
import { createSession } from './sessions.ts';
import {
  addUser,
  assertAcceptablePassword,
  assertValidLoginEmail,
  findUserByEmail,
  humanBehind,
  lockLoginEmail,
  userContext,
  type PublicUser,
} from './users.ts';

export const invitationLifetimeMs = 7 * 24 * 60 * 60 * 1000;

export const invitationStates = ['pending', 'accepted', 'expired', 'revoked'] as const;
export type InvitationState = (typeof invitationStates)[number];

export type Invitation = {
  id: string;
  email: string;
  role: Role;
  state: InvitationState;
  invitedBy: string | null;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
  revokedAt: Date | null;
};

type InvitationRow = typeof invitations.$inferSelect;

/** Accepted and revoked are final; otherwise the clock decides between pending and expired. */
export function invitationStateOf(row: Pick<InvitationRow, 'acceptedAt' | 'revokedAt' | 'expiresAt'>, now = new Date()): InvitationState {
  if (row.acceptedAt) return 'accepted';
  if (row.revokedAt) return 'revoked';
  return row.expiresAt > now ? 'pending' : 'expired';
}

export const toInvitation = (row: InvitationRow, now = new Date()): Invitation => ({
  id: row.id,
  email: row.email,
  role: row.role as Role,
  state: invitationStateOf(row, now),
  invitedBy: row.invitedBy,
  createdAt: row.createdAt,
  expiresAt: row.expiresAt,
  acceptedAt: row.acceptedAt,
  revokedAt: row.revokedAt,
});

/**
 * Records an invitation and returns its one-time token, which only the e-mail carries.
 * Inviting an address again replaces its pending invitation, so only the newest link works.
 */
export async function createInvitation(
  tx: Executor,
  ctx: AccessContext,
  input: { email: string; role: Role },
): Promise<{ invitation: Invitation; token: string }> {
  const email = assertValidLoginEmail(input.email);
  await lockLoginEmail(tx, ctx.tenantId, email);
  if (await findUserByEmail(tx, ctx.tenantId, email)) {
    throw new DomainError('conflict', 'A user with that e-mail address already exists in this workspace.', [{ field: 'email', reason: 'already a user' }]);
  }
  const now = new Date();
  const replaced = await tx
    .update(invitations)
    .set({ revokedAt: now })
    .where(and(eq(invitations.tenantId, ctx.tenantId), eq(invitations.email, email), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
    .returning({ id: invitations.id });
  const id = newId();
  const { token, tokenHash } = issueOneTimeToken(ctx.tenantId, id);
  const [row] = await tx
    .insert(invitations)
    .values({
      tenantId: ctx.tenantId,
      id,
      email,
      role: input.role,
      tokenHash,
      invitedBy: humanBehind(ctx.actor),
      createdAt: now,
      expiresAt: new Date(now.getTime() + invitationLifetimeMs),
    })
    .returning();
  await recordChange(tx, ctx, { object: 'invitation', recordId: id, kind: 'created', fields: ['email', 'role'], relatedIds: replaced.map((r) => r.id) });
  return { invitation: toInvitation(row), token };
}

export async function getInvitation(db: Executor, ctx: AccessContext, id: string): Promise<Invitation> {
  const [row] = await db
    .select()
    .from(invitations)
    .where(and(eq(invitations.tenantId, ctx.tenantId), eq(invitations.id, id)))
    .limit(1);
  if (!row) throw notFound('invitation');
  return toInvitation(row);
}

/** One answer for unknown, wrong, expired, revoked and used tokens. */
export const unusableToken = () => invalid('token', 'invalid, expired or already used');

export type AcceptedInvitation = { user: PublicUser; cookie: string; csrfToken: string; expiresAt: Date };

/**
 * Creates the invited user (active, with the chosen password) and a session for them, in
 * one transaction that also marks the invitation used: a token works exactly once.
 */
export async function acceptInvitation(database: Database, input: { token: string; displayName: string; password: string }): Promise<AcceptedInvitation> {
  assertAcceptablePassword(input.password);
  const parsed = parseOneTimeToken(input.token);
  if (!parsed) throw unusableToken();
  // Hashing takes ~80 ms; do it before the transaction so no lock is held meanwhile.
  const passwordHash = await hashPassword(input.password);
  return database.db.transaction(async (tx) => {
    const now = new Date();
    const [row] = await tx
      .select()
      .from(invitations)
      .where(
        and(
          eq(invitations.tenantId, parsed.tenantId),
          eq(invitations.id, parsed.id),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
          gt(invitations.expiresAt, now),
        ),
      )
      .for('update');
    if (!row || !verifySecret(parsed.secret, row.tokenHash)) throw unusableToken();
    const user = await addUser(tx, {
      tenantId: row.tenantId,
      email: row.email,
      displayName: input.displayName,
      role: row.role as Role,
      passwordHash,
      status: 'active',
    });
    await tx
      .update(invitations)
      .set({ acceptedAt: now })
      .where(and(eq(invitations.tenantId, row.tenantId), eq(invitations.id, row.id)));
    const ctx = userContext(user);
    await recordChange(tx, ctx, { object: 'user', recordId: user.id, kind: 'created', fields: ['email', 'displayName', 'role'], relatedIds: [row.id] });
    const session = await createSession(tx, user.tenantId, user.id);
    await appendAudit(tx, ctx, { action: 'session.created', object: 'user', recordIds: [user.id] });
    return { user, ...session };
  });
}
