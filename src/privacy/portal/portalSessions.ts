import { parseSessionCookie, sessionCookieValue } from '../../shared/sessionCookies.ts';
import { sql } from 'drizzle-orm';
import type { Database, Executor } from '../../db/connection.ts';
import { newId } from '../../db/ids.ts';
import { selectRows } from '../../db/rows.ts';
import { forgetPortalSignIns } from '../../kernel/index.ts';
import { hashSecret, randomToken, verifySecret } from '../../shared/secrets.ts';

/*
 * Portal sessions: made by a right sign-in code, held in an HttpOnly cookie
 * (workspace.session.secret, of which only the secret's SHA-256 is stored) with a CSRF token
 * the client echoes on every unsafe request, as staff sessions do. A session ends after 30
 * minutes without use or 2 hours in all, whichever comes first, or when the person signs
 * out — which forgets the sign-in and its sealed address too. A cookie names its workspace:
 * shown to another workspace's portal it is no session at all.
 */

export const portalCookieName = 'candor_portal';
export const portalIdleMs = 30 * 60_000;
export const portalSessionMaxMs = 2 * 60 * 60_000;

export type NewPortalSession = { cookie: string; csrfToken: string; expiresAt: Date };
export type PortalSession = { tenantId: string; sessionId: string; signInId: string; csrfToken: string; expiresAt: Date };

const earlier = (a: Date, b: Date) => (a.getTime() <= b.getTime() ? a : b);

export async function createPortalSession(tx: Executor, tenantId: string, signInId: string, now = new Date()): Promise<NewPortalSession> {
  const id = newId();
  const secret = randomToken(32);
  const csrfToken = randomToken(24);
  const idle = new Date(now.getTime() + portalIdleMs);
  const end = new Date(now.getTime() + portalSessionMaxMs);
  await tx.execute(sql`
    insert into portal_sessions (tenant_id, id, sign_in_id, secret_hash, csrf_token, created_at, idle_expires_at, expires_at)
    values (${tenantId}, ${id}, ${signInId}, ${hashSecret(secret)}, ${csrfToken}, ${now.toISOString()}::timestamptz,
            ${idle.toISOString()}::timestamptz, ${end.toISOString()}::timestamptz)`);
  return { cookie: sessionCookieValue({ tenantId, sessionId: id, secret }), csrfToken, expiresAt: earlier(idle, end) };
}

type Row = { sign_in_id: string; secret_hash: string; csrf_token: string; expires_at: string | Date };

/**
 * The live session a cookie holds for the workspace, its idle expiry moved on; null for a
 * malformed, unknown, ended or another workspace's cookie.
 */
export async function resumePortalSession(database: Database, tenantId: string, cookie: string, now = new Date()): Promise<PortalSession | null> {
  const parsed = parseSessionCookie(cookie);
  if (!parsed || parsed.tenantId !== tenantId) return null;
  const { sessionId } = parsed;
  const idle = new Date(now.getTime() + portalIdleMs);
  const [row] = await selectRows<Row>(
    database.db,
    sql`select sign_in_id, secret_hash, csrf_token, expires_at from portal_sessions
        where tenant_id = ${tenantId} and id = ${sessionId}
          and idle_expires_at > ${now.toISOString()}::timestamptz and expires_at > ${now.toISOString()}::timestamptz`,
  );
  if (!row || !verifySecret(parsed.secret, row.secret_hash)) return null;
  await database.db.execute(
    sql`update portal_sessions set idle_expires_at = ${idle.toISOString()}::timestamptz where tenant_id = ${tenantId} and id = ${sessionId}`,
  );
  return { tenantId, sessionId, signInId: row.sign_in_id, csrfToken: row.csrf_token, expiresAt: earlier(idle, new Date(row.expires_at)) };
}

/** Ends the session and forgets its sign-in (the sealed address and its key). */
export async function endPortalSession(database: Database, session: PortalSession): Promise<void> {
  await database.db.transaction((tx) => forgetPortalSignIns(tx, session.tenantId, [session.signInId]));
}
