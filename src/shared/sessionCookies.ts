/*
 * A session cookie's value, for staff sessions and the privacy portal's alike: the workspace
 * id, the session id and a secret only the holder knows (the database keeps its hash).
 */

const cookiePattern = /^([0-9a-f-]{36})\.([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/;

export type SessionCookie = { tenantId: string; sessionId: string; secret: string };

export const sessionCookieValue = ({ tenantId, sessionId, secret }: SessionCookie): string => `${tenantId}.${sessionId}.${secret}`;

/** The cookie's parts, or null when it is not shaped like one. */
export function parseSessionCookie(cookie: string): SessionCookie | null {
  const match = cookiePattern.exec(cookie);
  return match ? { tenantId: match[1], sessionId: match[2], secret: match[3] } : null;
}
