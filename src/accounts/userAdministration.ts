import { and, eq, ne, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import { users } from '../db/schema/index.ts';
import type { AccessContext } from '../kernel/index.ts';
import { recordChange } from '../platform/changes.ts';
import { keysetCondition, keysetOrderBy, pageOf, parseSort, type SortColumn } from '../shared/keyset.ts';
import { DomainError, notFound, staleVersion } from '../shared/domainError.ts';
import { revokeApiKeysBeyondRole, revokeApiKeysCreatedBy } from './apiKeys.ts';
import type { Role } from '../shared/roles.ts';
import { revokeUserSessions } from './sessions.ts';
import { findUserById, toPublicUser, type PublicUser, type User, type UserStatus } from './users.ts';

const userSorts: Record<string, SortColumn> = {
  created_at: { column: users.createdAt, kind: 'timestamp' },
  updated_at: { column: users.updatedAt, kind: 'timestamp' },
};

export type ListUsersQuery = { cursor?: string; limit: number; sort?: string; status?: UserStatus; role?: Role };

export async function listUsers(db: Executor, ctx: AccessContext, query: ListUsersQuery): Promise<{ data: PublicUser[]; nextCursor: string | null }> {
  const order = parseSort(query.sort, userSorts, 'created_at');
  const conditions: Array<SQL | undefined> = [
    eq(users.tenantId, ctx.tenantId),
    query.status ? eq(users.status, query.status) : undefined,
    query.role ? eq(users.role, query.role) : undefined,
    keysetCondition(order, users.id, query.cursor),
  ];
  const rows = await db
    .select()
    .from(users)
    .where(and(...conditions))
    .orderBy(...keysetOrderBy(order, users.id))
    .limit(query.limit + 1);
  const page = pageOf(
    rows,
    query.limit,
    order,
    (row) => (order.name.replace(/^-/, '') === 'updated_at' ? row.updatedAt : row.createdAt),
    (row) => row.id,
  );
  return { data: page.data.map(toPublicUser), nextCursor: page.nextCursor };
}

export async function getUser(db: Executor, ctx: AccessContext, id: string): Promise<PublicUser> {
  const user = await findUserById(db, ctx.tenantId, id);
  if (!user) throw notFound('user');
  return toPublicUser(user);
}

/**
 * Refuses a change that would leave the workspace without an active admin: nobody could
 * invite, manage keys or reactivate anyone. Locks per workspace so two admins demoting
 * each other at once cannot both succeed.
 */
async function assertAnotherActiveAdmin(tx: Executor, tenantId: string, userId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`workspace-admins:${tenantId}`}, 0))`);
  const [row] = await tx
    .select({ count: sql<number>`count(*)::int` })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), eq(users.role, 'admin'), eq(users.status, 'active'), ne(users.id, userId)));
  if (Number(row.count) === 0) {
    throw new DomainError('conflict', "This is the workspace's last active admin; make another user admin first.", [
      { field: 'role', reason: 'last active admin' },
    ]);
  }
}

async function lockedUser(tx: Executor, ctx: AccessContext, id: string): Promise<User> {
  const [user] = await tx
    .select()
    .from(users)
    .where(and(eq(users.tenantId, ctx.tenantId), eq(users.id, id)))
    .for('update');
  if (!user) throw notFound('user');
  return user;
}

export type UserChanges = { role?: Role; displayName?: string };

export async function updateUser(tx: Executor, ctx: AccessContext, id: string, expectedVersion: number, changes: UserChanges): Promise<PublicUser> {
  const user = await lockedUser(tx, ctx, id);
  if (user.version !== expectedVersion) throw staleVersion(user.version, 'user');
  const fields = (Object.keys(changes) as Array<keyof UserChanges>).filter((field) => changes[field] !== undefined && changes[field] !== user[field]);
  if (fields.length === 0) return toPublicUser(user);
  if (fields.includes('role') && user.role === 'admin' && user.status === 'active') await assertAnotherActiveAdmin(tx, ctx.tenantId, id);
  const [updated] = await tx
    .update(users)
    .set({ ...changes, updatedAt: new Date(), version: user.version + 1 })
    .where(and(eq(users.tenantId, ctx.tenantId), eq(users.id, id)))
    .returning();
  await recordChange(tx, ctx, { object: 'user', recordId: id, kind: 'updated', fields });
  if (changes.role !== undefined && fields.includes('role')) {
    for (const keyId of await revokeApiKeysBeyondRole(tx, ctx.tenantId, id, changes.role)) {
      await recordChange(tx, ctx, { object: 'api_key', recordId: keyId, kind: 'updated', fields: ['revokedAt'] });
    }
  }
  return toPublicUser(updated);
}

/**
 * Deactivates a user and, in the same transaction, revokes their sessions and every API
 * key they created: the next request with any of them is refused.
 */
export async function deactivateUser(tx: Executor, ctx: AccessContext, id: string): Promise<PublicUser> {
  const user = await lockedUser(tx, ctx, id);
  if (user.status === 'deactivated') return toPublicUser(user);
  if (user.role === 'admin' && user.status === 'active') await assertAnotherActiveAdmin(tx, ctx.tenantId, id);
  const now = new Date();
  const [updated] = await tx
    .update(users)
    .set({ status: 'deactivated', deactivatedAt: now, updatedAt: now, version: user.version + 1 })
    .where(and(eq(users.tenantId, ctx.tenantId), eq(users.id, id)))
    .returning();
  await revokeUserSessions(tx, ctx.tenantId, id, now);
  const revokedKeys = await revokeApiKeysCreatedBy(tx, ctx.tenantId, id, now);
  await recordChange(tx, ctx, { object: 'user', recordId: id, kind: 'updated', fields: ['status', 'deactivatedAt'] });
  for (const keyId of revokedKeys) await recordChange(tx, ctx, { object: 'api_key', recordId: keyId, kind: 'updated', fields: ['revokedAt'] });
  return toPublicUser(updated);
}

/** Lets a deactivated user log in again. Their revoked sessions and keys stay revoked. */
export async function reactivateUser(tx: Executor, ctx: AccessContext, id: string): Promise<PublicUser> {
  const user = await lockedUser(tx, ctx, id);
  if (user.status !== 'deactivated') return toPublicUser(user);
  const [updated] = await tx
    .update(users)
    .set({ status: 'active', deactivatedAt: null, updatedAt: new Date(), version: user.version + 1 })
    .where(and(eq(users.tenantId, ctx.tenantId), eq(users.id, id)))
    .returning();
  await recordChange(tx, ctx, { object: 'user', recordId: id, kind: 'updated', fields: ['status', 'deactivatedAt'] });
  return toPublicUser(updated);
}
