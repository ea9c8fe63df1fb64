import { Navigate, useLocation, useNavigate } from 'react-router';
import { PublicLayout } from '../layout/PublicLayout.tsx';
import { SignInForm } from './SignInForm.tsx';
import { useSession } from './sessionContext.ts';

/** Where the app sends a visitor without a session; afterwards it returns to the page they asked for. */
export function SignInPage() {
  const { status } = useSession();
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from ?? '/contacts';
  if (status === 'signedIn') return <Navigate to={from} replace />;
  return (
    <PublicLayout title="Sign in">
      <SignInForm onSignedIn={() => navigate(from, { replace: true })} />
    </PublicLayout>
  );
}

/** Shown in place of any page when the session ends while in use: signing in again continues where the user was. */
export function SessionEndedPage() {
  return (
    <PublicLayout title="Your session has ended">
      <p>For your safety Candor signed you out: the session expired or was ended on another device. Sign in again to continue where you were.</p>
      <SignInForm />
    </PublicLayout>
  );
}
