// Where the portal's pages live in the app: beside the API's /api/v1/portal/…, never under it.

/** The sign-in page of a workspace's portal; the address people are given. */
export const portalSignIn = (workspace: string) => `/portal/${encodeURIComponent(workspace)}`;

/** The signed-in person's portal. */
export const portalHome = (workspace: string) => `/portal/${encodeURIComponent(workspace)}/me`;

/** The page where a person verifies an authorised agent's request (the Data Rights Protocol's user_verification_url). */
export const agentRequestVerification = (workspace: string, requestId: string) =>
  `/portal/${encodeURIComponent(workspace)}/requests/${encodeURIComponent(requestId)}/verify`;
