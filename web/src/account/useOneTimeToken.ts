import { useEffect, useState } from 'react';

/*
 * The one-time token of an e-mailed link. It travels after `#`, which browsers never send to a
 * server, so it reaches no request log, proxy or Referer; once read it is removed from the
 * address bar and the history, so it is not left behind on a shared screen.
 */
export function useOneTimeToken(): string | null {
  const [token] = useState(() => new URLSearchParams(window.location.hash.slice(1)).get('token'));
  useEffect(() => {
    if (window.location.hash) window.history.replaceState(window.history.state, '', window.location.pathname);
  }, []);
  return token;
}
