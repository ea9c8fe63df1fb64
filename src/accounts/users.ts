import { and, eq } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import { newId } from '../db/ids.ts';
import { users } from '../db/schema/index.ts';
import { DomainError, invalid } from '../shared/domainError.ts';
import { hashPassword, passwordProblem } from './passwords.ts';
import type { Role } from './roles.ts';

export type User = typeof users.$inferSelect;
export type PublicUser = Omit<User, 'passwordHash'>;

export const normalizeLoginEmail = (email: string) => email.trim().toLowerCase();

export function toPublicUser(user: User): PublicUser {
  const { passwordHash: _omitted, ...rest } = user;
  return rest;
}

export async function addUser(
  db: Executor,
  input: { tenantId: string; email: string; displayName: string; role: Role; password?: string | null; status?: 'active' | 'invited' },
): Promise<PublicUser> {
  const email = normalizeLoginEmail(input.email);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw invalid('email', 'not a valid e-mail address');
  if (input.password != null) {
    const problem = passwordProblem(input.password);
    if (problem) throw invalid('password', problem);
  }
  if (await findUserByEmail(db, input.tenantId, email)) {
    throw new DomainError('conflict', 'A user with that e-mail address already exists in this workspace.', [{ field: 'email', reason: 'already in use' }]);
  }
  const [user] = await db
    .insert(users)
    .values({
      tenantId: input.tenantId,
      id: newId(),
      email,
      displayName: input.displayName,
      role: input.role,
      passwordHash: input.password != null ? await hashPassword(input.password) : null,
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
