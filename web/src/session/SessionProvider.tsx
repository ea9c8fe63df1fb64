import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../api/client.ts';
import { dataOf } from '../api/problem.ts';
import { onPurposeRefused, onSessionEnded, requestContext } from '../api/requestContext.ts';
import type { Me } from '../api/types.ts';
import { rememberedPurpose, rememberPurpose } from './purposeMemory.ts';
import { type Session, SessionContext, type SignInInput } from './sessionContext.ts';

export const meQueryKey = ['session', 'me'] as const;

/** Who is signed in (GET /auth/me), or null when no session is open. */
async function fetchMe(): Promise<Me | null> {
  const result = await api.GET('/api/v1/auth/me');
  if (result.response.status === 401) return null;
  return dataOf(result).data;
}

const staffHiddenPurpose = 'dsr_fulfilment';

/**
 * The signed-in user, their CSRF token and the purpose they act for. The purposes offered are
 * those /auth/me says the user's role is granted; the choice is remembered per user on this
 * device and checked against the grants whenever they are read again.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const me = useQuery({ queryKey: meQueryKey, queryFn: fetchMe, retry: false, staleTime: 60_000 });
  const [ended, setEnded] = useState(false);
  const [chosenPurpose, setChosenPurpose] = useState<string | null>(null);

  const user = me.data ?? null;
  // dsr_fulfilment (answering a person's rights request) is used by the request workflow and
  // its access exports, never as the lens of everyday work: the header does not offer it.
  const purposes = useMemo(() => (user?.purposes ?? []).filter((key) => key !== staffHiddenPurpose), [user]);
  const remembered = user?.user ? rememberedPurpose(user.user.id) : null;
  // Until the user chooses: the last choice on this device, else the purpose named like the
  // role (sales, support) where there is one, else the first granted.
  const purpose = [chosenPurpose, remembered, user?.role, purposes[0]].find((key): key is string => key != null && purposes.includes(key)) ?? null;

  // Set while rendering, so the requests this render starts already carry them.
  requestContext.setCsrfToken(user?.csrfToken ?? null);
  requestContext.setPurpose(purpose);

  useEffect(() => onSessionEnded(() => setEnded(true)), []);
  // The grants changed under the user (a privacy officer withdrew one): read them again, and
  // say which purpose was withdrawn when the one in use is no longer offered.
  useEffect(() => onPurposeRefused(() => void queryClient.invalidateQueries({ queryKey: meQueryKey })), [queryClient]);
  const [withdrawnPurpose, setWithdrawnPurpose] = useState<string | null>(null);
  const purposeInUse = useRef<string | null>(null);
  useEffect(() => {
    const previous = purposeInUse.current;
    purposeInUse.current = purpose;
    if (previous && user && !purposes.includes(previous)) setWithdrawnPurpose(previous);
  }, [purpose, purposes, user]);
  // A session that was open and is refused when /auth/me is read again ended too.
  const [wasSignedIn, setWasSignedIn] = useState(false);
  useEffect(() => {
    if (user) setWasSignedIn(true);
  }, [user]);

  const choosePurpose = useCallback(
    (key: string) => {
      setChosenPurpose(key);
      setWithdrawnPurpose(null);
      if (user?.user) rememberPurpose(user.user.id, key);
    },
    [user],
  );

  const signIn = useCallback(
    async (input: SignInInput) => {
      const session = dataOf(await api.POST('/api/v1/auth/login', { body: input })).data;
      requestContext.startSessionGeneration();
      requestContext.setCsrfToken(session.csrfToken);
      // Whatever was cached belonged to the previous session.
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== meQueryKey[0] });
      await queryClient.fetchQuery({ queryKey: meQueryKey, queryFn: fetchMe, staleTime: 0 });
      setEnded(false);
      setChosenPurpose(null);
      setWithdrawnPurpose(null);
    },
    [queryClient],
  );

  const signOut = useCallback(async () => {
    // Requests still in flight were made under the session ending here: their 401s say nothing.
    requestContext.startSessionGeneration();
    dataOf(await api.POST('/api/v1/auth/logout'));
    queryClient.clear();
    queryClient.setQueryData(meQueryKey, null);
    setChosenPurpose(null);
    setWithdrawnPurpose(null);
    setEnded(false);
    setWasSignedIn(false);
  }, [queryClient]);

  const reload = useCallback(async () => {
    await queryClient.invalidateQueries({ queryKey: meQueryKey });
    setEnded(false);
  }, [queryClient]);

  const value = useMemo<Session>(() => {
    const status = me.isPending ? 'loading' : me.isError ? 'unavailable' : ended || (!user && wasSignedIn) ? 'ended' : user ? 'signedIn' : 'signedOut';
    return { status, me: user, purposes, purpose, withdrawnPurpose, choosePurpose, signIn, signOut, reload };
  }, [me.isPending, me.isError, ended, wasSignedIn, user, purposes, purpose, withdrawnPurpose, choosePurpose, signIn, signOut, reload]);

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
