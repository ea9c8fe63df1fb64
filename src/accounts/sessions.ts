import { parseSessionCookie, sessionCookieValue } from '../shared/sessionCookies.ts';
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import { newId } from '../db/ids.ts';
import { sessions, users } from '../db/schema/index.ts';
import { randomToken, hashSecret, verifySecret } from '../shared/secrets.ts';
import type { Role } from '../shared/roles.ts';

export const sessionCookieName = 'candor_session';
export const sessionLifetimeMs = 12 * 60 * 60 * 1000;

export type SessionPrincipal = { tenantId: string; sessionId: string; userId: string; role: Role; csrfToken: string };

/** Returns the cookie value (tenant.session.secret) and the CSRF token the client echoes. */
export async function createSession(db: Executor, tenantId: string, userId: string): Promise<{ cookie: string; csrfToken: string; expiresAt: Date }> {
  const id = newId();
  const secret = randomToken(32);
  const csrfToken = randomToken(24);
  const expiresAt = new Date(Date.now() + sessionLifetimeMs);
  await db.insert(sessions).values({ tenantId, id, userId, secretHash: hashSecret(secret), csrfToken, expiresAt });
  return { cookie: sessionCookieValue({ tenantId, sessionId: id, secret }), csrfToken, expiresAt };
}

/** A session counts only while it is unexpired, unrevoked and its user is active. */
export async function verifySession(db: Executor, cookie: string, now = new Date()): Promise<SessionPrincipal | null> {
  const parsed = parseSessionCookie(cookie);
  if (!parsed) return null;
  const { tenantId, sessionId, secret } = parsed;
  const [row] = await db
    .select({ session: sessions, role: users.role })
    .from(sessions)
    .innerJoin(users, and(eq(users.tenantId, sessions.tenantId), eq(users.id, sessions.userId)))
    .where(
      and(eq(sessions.tenantId, tenantId), eq(sessions.id, sessionId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now), eq(users.status, 'active')),
    )
    .limit(1);
  if (!row || !verifySecret(secret, row.session.secretHash)) return null;
  return { tenantId, sessionId, userId: row.session.userId, role: row.role as Role, csrfToken: row.session.csrfToken };
}

export async function revokeSession(db: Executor, tenantId: string, sessionId: string): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(sessions.tenantId, tenantId), eq(sessions.id, sessionId)));
}

/** Revokes every live session of a user (deactivation, password reset). Returns how many. */
export async function revokeUserSessions(db: Executor, tenantId: string, userId: string, now = new Date()): Promise<number> {
  const revoked = await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.tenantId, tenantId), eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return revoked.length;
}
