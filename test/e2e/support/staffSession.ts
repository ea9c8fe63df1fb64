import { demoEmail, demoPassword, e2eServer } from './e2eServer.ts';

/*
 * A demo user's own API session, outside the browser: for what a test sets up or checks under
 * a purpose the demo keys do not act for (each key acts for one purpose; rights requests are
 * handled for legal_compliance).
 */

export type StaffSession = { cookie: string; csrfToken: string };

export async function staffSession(role: string): Promise<StaffSession> {
  const login = await fetch(`${e2eServer().url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ workspace: 'demo', email: demoEmail(role), password: demoPassword }),
  });
  if (login.status !== 200) throw new Error(`signing in as ${role} answered ${login.status}`);
  const { csrfToken } = ((await login.json()) as { data: { csrfToken: string } }).data;
  return { cookie: (login.headers.get('set-cookie') ?? '').split(';')[0], csrfToken };
}

/** A call in the session for a purpose; a body is sent as JSON with the CSRF token. */
export function callAsStaff(session: StaffSession, path: string, purpose: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { cookie: session.cookie, 'candor-purpose': purpose };
  if (body !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken });
  return fetch(`${e2eServer().url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}
