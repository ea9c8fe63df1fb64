import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import { dataOf, problemIn } from '../api/problem.ts';

/*
 * The portal's calls, for the person signed in with the mailed code (the portal session
 * cookie, scoped to one workspace): who they are, everything held on them, their requests
 * and their copies. No staff session and no purpose: the portal acts for the person.
 */

export const portalKeys = {
  all: (workspace: string) => ['portal', workspace] as const,
  me: (workspace: string) => ['portal', workspace, 'me'] as const,
  data: (workspace: string) => ['portal', workspace, 'data'] as const,
  requests: (workspace: string) => ['portal', workspace, 'requests'] as const,
  exports: (workspace: string) => ['portal', workspace, 'exports'] as const,
};

// The portal session's CSRF token, echoed on every write (the cookie alone is not enough);
// in memory only, like the staff session's.
let portalCsrfToken: string | null = null;

export function rememberPortalCsrfToken(token: string | null): void {
  portalCsrfToken = token;
}

/** The header every portal write carries (the API refuses one without it: 403 csrf_failed). */
export const portalCsrfHeader = () => ({ 'X-CSRF-Token': portalCsrfToken ?? '' });

const path = (workspace: string) => ({ params: { path: { workspace } } });

/** Who is signed in to the portal, or null without a portal session (401). */
export function usePortalMe(workspace: string) {
  return useQuery({
    queryKey: portalKeys.me(workspace),
    queryFn: async () => {
      const result = await api.GET('/api/v1/portal/{workspace}/me', path(workspace));
      if (result.response.status === 401) return null;
      return dataOf(result).data;
    },
    retry: false,
    staleTime: 60_000,
  });
}

/** Everything the workspace holds on the person, with why and who read it. */
export function usePortalData(workspace: string) {
  return useQuery({
    queryKey: portalKeys.data(workspace),
    queryFn: async () => dataOf(await api.GET('/api/v1/portal/{workspace}/me/data', path(workspace))).data,
  });
}

export async function startPortalSignIn(workspace: string, email: string) {
  return dataOf(await api.POST('/api/v1/portal/{workspace}/sign-in', { ...path(workspace), body: { email } })).data;
}

/** Checks the mailed code; the right one opens the portal session (its cookie) and gives its CSRF token. */
export async function verifyPortalSignIn(workspace: string, signInId: string, code: string): Promise<void> {
  const session = dataOf(
    await api.POST('/api/v1/portal/{workspace}/sign-in/{signInId}/verify', { params: { path: { workspace, signInId } }, body: { code } }),
  ).data;
  rememberPortalCsrfToken(session.csrfToken);
}

export async function signOutOfPortal(workspace: string): Promise<void> {
  dataOf(await api.POST('/api/v1/portal/{workspace}/sign-out', { params: { path: { workspace }, header: portalCsrfHeader() } }));
  rememberPortalCsrfToken(null);
}

/** Whether an error is the API saying the portal session is gone (expired or signed out elsewhere). */
export const sessionGone = (error: unknown) => problemIn(error)?.status === 401;
