import { and, eq, gt, isNotNull, isNull, lte, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import { invitations } from '../db/schema/index.ts';
import type { AccessContext } from '../kernel/index.ts';
import { recordChange } from '../platform/changes.ts';
import { DomainError, notFound } from '../shared/domainError.ts';
import { keysetCondition, keysetOrderBy, pageByCreationOf, parseSort, type SortColumn } from '../shared/keyset.ts';
import { invitationLifetimeMs, invitationStateOf, toInvitation, type Invitation, type InvitationState } from './invitations.ts';
import { issueOneTimeToken } from '../shared/oneTimeTokens.ts';
import { findUserByEmail, lockLoginEmail } from './users.ts';

/*
 * What an admin does with invitations after sending them: list them, withdraw a pending one,
 * send a fresh link. The invitee's address is account data, like a user's login e-mail: it
 * is shown to admins but never written to the audit trail, which names the invitation's id.
 */

const invitationSorts: Record<string, SortColumn> = { created_at: { column: invitations.createdAt, kind: 'timestamp' } };

/** The row condition of a state, the same rule as invitationStateOf. */
function stateCondition(state: InvitationState, now: Date): SQL | undefined {
  const open = and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt));
  switch (state) {
    case 'accepted':
      return isNotNull(invitations.acceptedAt);
    case 'revoked':
      return and(isNull(invitations.acceptedAt), isNotNull(invitations.revokedAt));
    case 'pending':
      return and(open, gt(invitations.expiresAt, now));
    case 'expired':
      return and(open, lte(invitations.expiresAt, now));
  }
}

export type InvitationListQuery = { cursor?: string; limit: number; sort?: string; state?: InvitationState };

export async function listInvitations(
  db: Executor,
  ctx: AccessContext,
  query: InvitationListQuery,
): Promise<{ data: Invitation[]; nextCursor: string | null }> {
  const now = new Date();
  const order = parseSort(query.sort, invitationSorts, 'created_at');
  const rows = await db
    .select()
    .from(invitations)
    .where(
      and(
        eq(invitations.tenantId, ctx.tenantId),
        query.state ? stateCondition(query.state, now) : undefined,
        keysetCondition(order, invitations.id, query.cursor),
      ),
    )
    .orderBy(...keysetOrderBy(order, invitations.id))
    .limit(query.limit + 1);
  const page = pageByCreationOf(rows, query.limit, order);
  return { data: page.data.map((row) => toInvitation(row, now)), nextCursor: page.nextCursor };
}

async function lockInvitation(tx: Executor, ctx: AccessContext, id: string) {
  const [row] = await tx
    .select()
    .from(invitations)
    .where(and(eq(invitations.tenantId, ctx.tenantId), eq(invitations.id, id)))
    .for('update');
  if (!row) throw notFound('invitation');
  return row;
}

const alreadyAccepted = (doing: string) =>
  new DomainError('conflict', `This invitation was already accepted, so it cannot be ${doing}; manage the user it created instead.`, [
    { field: 'id', reason: 'already accepted' },
  ]);

/**
 * Withdraws an invitation so its link stops working. Withdrawing a withdrawn one changes
 * nothing (DELETE is idempotent); an accepted one refuses, since a user exists now.
 */
export async function revokeInvitation(tx: Executor, ctx: AccessContext, id: string): Promise<void> {
  const row = await lockInvitation(tx, ctx, id);
  if (row.acceptedAt) throw alreadyAccepted('withdrawn');
  if (row.revokedAt) return;
  await tx
    .update(invitations)
    .set({ revokedAt: new Date() })
    .where(and(eq(invitations.tenantId, ctx.tenantId), eq(invitations.id, id)));
  await recordChange(tx, ctx, { object: 'invitation', recordId: id, kind: 'updated', fields: ['revokedAt'] }, { action: 'invitation.revoked' });
}

/**
 * Issues a new link for a pending or expired invitation, valid for another seven days; the
 * old link stops working because only the new secret's hash is kept. Returns the token for
 * the e-mail, the only place it goes.
 */
export async function resendInvitation(tx: Executor, ctx: AccessContext, id: string): Promise<{ invitation: Invitation; token: string }> {
  const row = await lockInvitation(tx, ctx, id);
  const state = invitationStateOf(row);
  if (state === 'accepted') throw alreadyAccepted('sent again');
  if (state === 'revoked') {
    throw new DomainError('conflict', 'This invitation was withdrawn; invite the address again instead.', [{ field: 'id', reason: 'withdrawn' }]);
  }
  await lockLoginEmail(tx, ctx.tenantId, row.email);
  if (await findUserByEmail(tx, ctx.tenantId, row.email)) {
    throw new DomainError('conflict', 'A user with that e-mail address already exists in this workspace.', [{ field: 'id', reason: 'already a user' }]);
  }
  const { token, tokenHash } = issueOneTimeToken(ctx.tenantId, id);
  const [updated] = await tx
    .update(invitations)
    .set({ tokenHash, expiresAt: new Date(Date.now() + invitationLifetimeMs) })
    .where(and(eq(invitations.tenantId, ctx.tenantId), eq(invitations.id, id)))
    .returning();
  await recordChange(tx, ctx, { object: 'invitation', recordId: id, kind: 'updated', fields: ['token', 'expiresAt'] }, { action: 'invitation.resent' });
  return { invitation: toInvitation(updated), token };
}
