import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { PublicLayout } from '../layout/PublicLayout.tsx';
import { Loading } from '../ui/Loading.tsx';
import { SessionEndedPage } from './SignInPage.tsx';
import { useSession } from './sessionContext.ts';

/** The signed-in part of the app: a visitor without a session signs in first and comes back here. */
export function RequireSession({ children }: { children: ReactNode }) {
  const { status } = useSession();
  const location = useLocation();
  switch (status) {
    case 'loading':
      return <Loading what="Candor" />;
    case 'unavailable':
      return (
        <PublicLayout title="Candor cannot be reached">
          <p role="alert">The server did not answer. Check that Candor is running, then reload this page.</p>
        </PublicLayout>
      );
    case 'ended':
      return <SessionEndedPage />;
    case 'signedOut':
      return <Navigate to="/sign-in" replace state={{ from: `${location.pathname}${location.search}` }} />;
    case 'signedIn':
      return children;
  }
}
