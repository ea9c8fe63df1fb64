import { useState } from 'react';
import { Navigate, useLocation, useParams } from 'react-router';
import { PublicLayout } from '../layout/PublicLayout.tsx';
import { Loading } from '../ui/Loading.tsx';
import { PortalCodeForm } from './PortalCodeForm.tsx';
import { PortalEmailForm, type SentCode } from './PortalEmailForm.tsx';
import { usePortalMe } from './portalApi.ts';
import { portalHome } from './portalPaths.ts';

/**
 * The portal's front door (/portal/:workspace): the person gives their e-mail address, then
 * the 6-digit code mailed to it, and sees their portal. The answer to the address is the same
 * whether or not the workspace knows it.
 */
export function PortalSignInPage() {
  const workspace = useParams().workspace ?? '';
  const signedOut = (useLocation().state as { signedOut?: boolean } | null)?.signedOut === true;
  const me = usePortalMe(workspace);
  const [sent, setSent] = useState<SentCode | null>(null);
  if (me.isPending) return <Loading what="the privacy portal" />;
  if (me.data) return <Navigate to={portalHome(workspace)} replace />;
  return (
    <PublicLayout title="Your privacy portal">
      {signedOut && !sent && <p role="status">You are signed out. To come back, sign in again with a new code.</p>}
      {sent ? (
        <PortalCodeForm workspace={workspace} sent={sent} onResent={setSent} onStartAgain={() => setSent(null)} />
      ) : (
        <>
          <p>
            See what <strong>{workspace}</strong> holds about you and why, who has looked at it, and change your consents. You can also ask for a copy, a
            correction or erasure.
          </p>
          <PortalEmailForm workspace={workspace} onSent={setSent} />
        </>
      )}
    </PublicLayout>
  );
}
