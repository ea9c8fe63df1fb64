import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import { newId } from '../db/ids.ts';
import { users } from '../db/schema/index.ts';
import { DomainError, invalid } from '../shared/domainError.ts';
import { hashPassword, passwordProblem } from './passwords.ts';
import type { Role } from '../shared/roles.ts';
import type { AccessContext, Actor } from '../kernel/index.ts';

export type User = typeof users.$inferSelect;
export type PublicUser = Omit<User, 'passwordHash'>;
export type UserStatus = 'active' | 'invited' | 'deactivated';

export const normalizeLoginEmail = (email: string) => email.trim().toLowerCase();

export function toPublicUser(user: User): PublicUser {
  const { passwordHash: _omitted, ...rest } = user;
  return rest;
}

export function assertValidLoginEmail(email: string): string {
  const normalized = normalizeLoginEmail(email);
  if (normalized.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(normalized)) throw invalid('email', 'not a valid e-mail address');
  return normalized;
}

export function assertAcceptablePassword(password: string): void {
  const problem = passwordProblem(password);
  if (problem) throw invalid('password', problem);
}

/**
 * Serialises account creation per (workspace, e-mail) inside the caller's transaction:
 * users has no unique index on e-mail, so two concurrent creations must not both pass
 * the existence check.
 */
export async function lockLoginEmail(tx: Executor, tenantId: string, email: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`user-email:${tenantId}:${normalizeLoginEmail(email)}`}, 0))`);
}

export async function addUser(
  db: Executor,
  input: {
    tenantId: string;
    email: string;
    displayName: string;
    role: Role;
    password?: string | null;
    /** An argon2id hash made beforehand, so a transaction is not held open while hashing. */
    passwordHash?: string | null;
    status?: UserStatus;
  },
): Promise<PublicUser> {
  const email = assertValidLoginEmail(input.email);
  if (input.password != null) assertAcceptablePassword(input.password);
  const passwordHash = input.passwordHash ?? (input.password != null ? await hashPassword(input.password) : null);
  await lockLoginEmail(db, input.tenantId, email);
  if (await findUserByEmail(db, input.tenantId, email)) {
    throw new DomainError('conflict', 'A user with that e-mail address already exists in this workspace.', [{ field: 'email', reason: 'already in use' }]);
  }
  // Timestamps from JS (millisecond precision) so keyset cursors, which carry a JS Date,
  // match the stored value exactly; PostgreSQL's now() has microseconds.
  const now = new Date();
  const [user] = await db
    .insert(users)
    .values({
      createdAt: now,
      updatedAt: now,
      tenantId: input.tenantId,
      id: newId(),
      email,
      displayName: input.displayName,
      role: input.role,
      passwordHash,
      status: input.status ?? 'active',
    })
    .returning();
  return toPublicUser(user);
}

export async function findUserByEmail(db: Executor, tenantId: string, email: string): Promise<User | null> {
  const [user] = await db
    .select()
    .from(users)
    .where(and(eq(users.tenantId, tenantId), eq(users.email, normalizeLoginEmail(email))))
    .limit(1);
  return user ?? null;
}

export async function findUserById(db: Executor, tenantId: string, id: string): Promise<User | null> {
  const [user] = await db
    .select()
    .from(users)
    .where(and(eq(users.tenantId, tenantId), eq(users.id, id)))
    .limit(1);
  return user ?? null;
}

/** The context of a user acting for themselves (login, accepting an invitation, a reset). */
export function userContext(user: Pick<User, 'tenantId' | 'id' | 'role'>): AccessContext {
  return { tenantId: user.tenantId, actor: { type: 'user', id: user.id, role: user.role as Role }, purpose: null };
}

/** The person behind an actor: a user, or the user who created the acting API key. */
export function humanBehind(actor: Actor): string | null {
  if (actor.type === 'user') return actor.id;
  if (actor.type === 'api_key') return actor.createdBy;
  return null;
}
