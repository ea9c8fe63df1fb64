import { Navigate, useLocation, useParams } from 'react-router';
import { PublicLayout } from '../layout/PublicLayout.tsx';
import { Loading } from '../ui/Loading.tsx';
import { usePortalMe } from './portalApi.ts';
import { portalHome } from './portalPaths.ts';
import { PortalSignInSteps } from './PortalSignInSteps.tsx';

/**
 * The portal's front door (/portal/:workspace): the person gives their e-mail address, then
 * the 6-digit code mailed to it, and sees their portal. The answer to the address is the same
 * whether or not the workspace knows it.
 */
export function PortalSignInPage() {
  const workspace = useParams().workspace ?? '';
  const signedOut = (useLocation().state as { signedOut?: boolean } | null)?.signedOut === true;
  const me = usePortalMe(workspace);
  if (me.isPending) return <Loading what="the privacy portal" />;
  if (me.data) return <Navigate to={portalHome(workspace)} replace />;
  return (
    <PublicLayout title="Your privacy portal">
      <PortalSignInSteps
        workspace={workspace}
        signedOut={signedOut}
        intro={
          <p>
            See what <strong>{workspace}</strong> holds about you and why, who has looked at it, and change your consents. You can also ask for a copy, a
            correction or erasure.
          </p>
        }
      />
    </PublicLayout>
  );
}
