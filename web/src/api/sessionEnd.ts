/*
 * Whether a refused request means the session the app holds has ended. A 401 outside signing in
 * says the session expired or was ended elsewhere, but only for a request made under the session
 * still open: a request sent before the user signed out (or before they signed in again) can be
 * answered 401 after the fact, and must not send someone who has since opened a public page, or
 * started a new session, to "Your session has ended". The privacy portal's answers speak of the
 * portal's own session (a person's, not staff's), never of the staff session.
 */
export type RefusedRequest = {
  status: number;
  path: string;
  /** The session generation (requestContext.sessionGeneration) when the request was sent. */
  sentInGeneration: number;
};

export const endsSession = (answer: RefusedRequest, currentGeneration: number): boolean =>
  answer.status === 401 &&
  !answer.path.startsWith('/api/v1/auth/') &&
  !answer.path.startsWith('/api/v1/portal/') &&
  answer.sentInGeneration === currentGeneration;
