import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../db/connection.ts';
import { portalWorkspace, type PortalWorkspace } from '../privacy/requests/requestPortal.ts';
import { portalPerson, type PortalPerson } from '../privacy/portal/portalPerson.ts';
import { notAuthenticatedInPortal, portalCsrfRefusal } from '../privacy/portal/portalRefusals.ts';
import { portalCookieName, resumePortalSession, type NewPortalSession, type PortalSession } from '../privacy/portal/portalSessions.ts';
import { apiPrefix } from './knownQueryParameters.ts';
import { checkCsrf } from './plugins/authentication.ts';

/*
 * The portal session of a request, checked the way the authentication hook checks a staff
 * session: the cookie must hold a live session of THIS workspace (401 otherwise), and a
 * request that changes state must echo the session's CSRF token in X-CSRF-Token (403
 * csrf_failed). The portal's routes are public to the staff hook and call this instead.
 */

/** HttpOnly, SameSite=Strict, Secure whenever Candor is served over https, sent only to the workspace's portal routes. */
export function portalCookieOptions(publicUrl: string, slug: string) {
  return { path: `${apiPrefix}/portal/${slug}`, httpOnly: true, sameSite: 'strict' as const, secure: new URL(publicUrl).protocol === 'https:' };
}

export function setPortalCookie(reply: FastifyReply, publicUrl: string, workspace: PortalWorkspace, session: NewPortalSession): void {
  reply.setCookie(portalCookieName, session.cookie, portalCookieOptions(publicUrl, workspace.slug));
}

export function clearPortalCookie(reply: FastifyReply, publicUrl: string, workspace: PortalWorkspace): void {
  reply.clearCookie(portalCookieName, portalCookieOptions(publicUrl, workspace.slug));
}

export type PortalCaller = { workspace: PortalWorkspace; session: PortalSession };

/** The workspace of the route and the request's live session in it; 404, 401 or 403 csrf_failed otherwise. */
export async function portalCaller(database: Database, request: FastifyRequest<{ Params: { workspace: string } }>): Promise<PortalCaller> {
  const workspace = await portalWorkspace(database, request.params.workspace);
  const cookie = request.cookies?.[portalCookieName];
  const session = cookie ? await resumePortalSession(database, workspace.id, cookie) : null;
  if (!session) throw notAuthenticatedInPortal();
  checkCsrf(request, session.csrfToken, portalCsrfRefusal);
  return { workspace, session };
}

/** portalCaller, and who the session is: its address and the contact holding it now. */
export async function portalSignedIn(
  database: Database,
  request: FastifyRequest<{ Params: { workspace: string } }>,
): Promise<PortalCaller & { person: PortalPerson }> {
  const caller = await portalCaller(database, request);
  return { ...caller, person: await portalPerson(database, caller.session) };
}
