import { type ReactNode, useState } from 'react';
import { PortalCodeForm } from './PortalCodeForm.tsx';
import { PortalEmailForm, type SentCode } from './PortalEmailForm.tsx';

type SignInStepsProps = { workspace: string; returnTo?: string; intro: ReactNode; signedOut?: boolean };

/** Signing in by code: the address (after `intro`), then the code mailed to it; then `returnTo` (the portal's home unless told). */
export function PortalSignInSteps({ workspace, returnTo, intro, signedOut = false }: SignInStepsProps) {
  const [sent, setSent] = useState<SentCode | null>(null);
  if (sent) return <PortalCodeForm workspace={workspace} sent={sent} returnTo={returnTo} onResent={setSent} onStartAgain={() => setSent(null)} />;
  return (
    <>
      {signedOut && <p role="status">You are signed out. To come back, sign in again with a new code.</p>}
      {intro}
      <PortalEmailForm workspace={workspace} onSent={setSent} />
    </>
  );
}
