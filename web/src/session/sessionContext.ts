import { createContext, useContext } from 'react';
import type { Me } from '../api/types.ts';

export type SignInInput = { workspace: string; email: string; password: string };

export type Session = {
  /** ended: the server refused the session mid-use (expired, or logged out elsewhere); unavailable: Candor did not answer. */
  status: 'loading' | 'signedOut' | 'signedIn' | 'ended' | 'unavailable';
  me: Me | null;
  /** The purposes the user's role is granted, the only ones offered. */
  purposes: string[];
  /** The purpose every request is made for; null only when the role is granted none. */
  purpose: string | null;
  /** The purpose the user was acting for until their role's grant of it was withdrawn (null once they choose another). */
  withdrawnPurpose: string | null;
  choosePurpose(key: string): void;
  signIn(input: SignInInput): Promise<void>;
  signOut(): Promise<void>;
  /** Reads /auth/me again: after a 403 purpose_not_granted (the grants changed) or a sign-in by invitation. */
  reload(): Promise<void>;
};

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession must be used inside SessionProvider');
  return session;
}

/** The purpose of the signed-in user, for the pages that only render with one. */
export function usePurpose(): string {
  const { purpose } = useSession();
  if (!purpose) throw new Error('usePurpose must be used below the purpose gate (AppShell)');
  return purpose;
}
