import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { TestApp } from './testApp.ts';

// Signing in to the customer privacy portal in tests: the mailed code read back from the captured mail.

export type PortalTestSession = { slug: string; cookie: string; csrfToken: string };

let clients = 0;
/** A fresh client address per call, so one test's per-client limits do not reach the next. */
export const newPortalClient = () => {
  clients += 1;
  return `203.0.113.${clients % 250}`;
};

export const startSignIn = (t: TestApp, slug: string, email: string, client = newPortalClient()) =>
  t.app.inject({ method: 'POST', url: `/api/v1/portal/${slug}/sign-in`, payload: { email }, remoteAddress: client });

export const enterCode = (t: TestApp, slug: string, signInId: string, code: string, client = newPortalClient()) =>
  t.app.inject({ method: 'POST', url: `/api/v1/portal/${slug}/sign-in/${signInId}/verify`, payload: { code }, remoteAddress: client });

/** The code of the last mail, which must have gone to `email` (as normalised: lower case). */
export function mailedCode(t: TestApp, email: string): string {
  const mail = t.mail.at(-1)!;
  expect(mail.to).toBe(email.toLowerCase());
  return /^ {2}(\d{6})$/m.exec(mail.text)![1];
}

/** The cookie pair (name=value) a response set. */
export function portalCookieOf(response: LightMyRequestResponse): string {
  const cookie = response.cookies.find((entry) => entry.name === 'candor_portal');
  expect(cookie, 'the candor_portal cookie').toBeDefined();
  return `candor_portal=${cookie!.value}`;
}

/** Signs in with the mailed code: the session's cookie and CSRF token. */
export async function signedIn(t: TestApp, slug: string, email: string): Promise<PortalTestSession> {
  const started = await startSignIn(t, slug, email);
  expect(started.statusCode, started.body).toBe(202);
  const verified = await enterCode(t, slug, started.json().data.signInId, mailedCode(t, email));
  expect(verified.statusCode, verified.body).toBe(200);
  return { slug, cookie: portalCookieOf(verified), csrfToken: verified.json().data.csrfToken };
}

/** A request of the portal session under its workspace's portal path; unsafe methods echo the CSRF token unless told otherwise. */
export function portalRequest(
  t: TestApp,
  session: PortalTestSession,
  options: Omit<InjectOptions, 'url'> & { path: string; csrf?: boolean; slug?: string },
): Promise<LightMyRequestResponse> {
  const { path, csrf = true, slug = session.slug, headers, ...rest } = options;
  const method = (rest.method ?? 'GET').toString().toUpperCase();
  const csrfHeader = csrf && method !== 'GET' ? { 'x-csrf-token': session.csrfToken } : {};
  return t.app.inject({
    ...rest,
    url: `/api/v1/portal/${slug}${path}`,
    headers: { cookie: session.cookie, ...csrfHeader, ...headers },
    remoteAddress: newPortalClient(),
  });
}
