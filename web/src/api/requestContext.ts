/*
 * What every API request carries besides its own parameters: the purpose the user acts for
 * (Candor-Purpose) and the session's CSRF token (X-CSRF-Token on writes). Kept in memory
 * only: the token never goes to storage a script of another page could read. The session
 * provider keeps it current; the client's middleware (client.ts) reads it.
 */
type Listener = () => void;

let currentPurpose: string | null = null;
let currentCsrfToken: string | null = null;
// Counts the sessions this page has held: each request remembers the one it was sent under (client.ts).
let currentSessionGeneration = 0;
const sessionEndedListeners = new Set<Listener>();
const purposeRefusedListeners = new Set<Listener>();

export const requestContext = {
  get purpose() {
    return currentPurpose;
  },
  get csrfToken() {
    return currentCsrfToken;
  },
  setPurpose(purpose: string | null) {
    currentPurpose = purpose;
  },
  setCsrfToken(token: string | null) {
    currentCsrfToken = token;
  },
  get sessionGeneration() {
    return currentSessionGeneration;
  },
  /** The session held so far is over (signing out) or another begins (signing in): answers to earlier requests no longer speak for it. */
  startSessionGeneration() {
    currentSessionGeneration += 1;
  },
};

/** Called when the server answers 401 to a request made with a session: it expired or was ended elsewhere. */
export function onSessionEnded(listener: Listener): () => void {
  sessionEndedListeners.add(listener);
  return () => sessionEndedListeners.delete(listener);
}

export function announceSessionEnded(): void {
  for (const listener of sessionEndedListeners) listener();
}

/** Called when the server answers 403 purpose_not_granted: the role's grants changed since they were read. */
export function onPurposeRefused(listener: Listener): () => void {
  purposeRefusedListeners.add(listener);
  return () => purposeRefusedListeners.delete(listener);
}

export function announcePurposeRefused(): void {
  for (const listener of purposeRefusedListeners) listener();
}
