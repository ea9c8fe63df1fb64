import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Button } from 'react-aria-components';
import { useNavigate } from 'react-router';
import markUrl from '../assets/candor-mark.svg';
import '../styles/portal.css';
import { ProblemNotice } from '../ui/ProblemNotice.tsx';
import { portalKeys, signOutOfPortal } from './portalApi.ts';
import { portalHome, portalSignIn } from './portalPaths.ts';

/** The portal's sections, in the order the page shows them; the header links to each. */
const portalSections = [
  { id: 'your-data', title: 'Your data' },
  { id: 'why-we-hold-it', title: 'Why we hold it' },
  { id: 'your-consents', title: 'Your consents' },
  { id: 'who-accessed', title: 'Who accessed your data' },
  { id: 'your-copy', title: 'Your copy' },
  { id: 'your-requests', title: 'Your requests' },
] as const;

/** `sections`: whether the header links to the portal's sections (false on a page of its own, which links home instead). */
type PortalLayoutProps = { workspace: string; workspaceName: string; email: string; sections?: boolean; children: ReactNode };

/** The signed-in portal's frame: whose portal it is, who is signed in, the sections and signing out; the page below. */
export function PortalLayout({ workspace, workspaceName, email, sections = true, children }: PortalLayoutProps) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const signOut = useMutation({
    mutationFn: () => signOutOfPortal(workspace),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: portalKeys.all(workspace) });
      navigate(portalSignIn(workspace), { replace: true, state: { signedOut: true } });
    },
  });
  return (
    <div className="portal">
      <a className="skip-link" href="#portal-main">
        Skip to your data
      </a>
      <header className="portal-header">
        <p className="brand">
          <img src={markUrl} alt="" width={28} height={28} />
          <span>{workspaceName}</span>
        </p>
        <div className="portal-account">
          <span className="portal-who">
            Signed in as <strong>{email}</strong>
          </span>
          <Button className="button" onPress={() => signOut.mutate()} isPending={signOut.isPending}>
            Sign out
          </Button>
        </div>
        {signOut.isError && <ProblemNotice error={signOut.error} title="You are still signed in" />}
        {sections ? (
          <nav aria-label="Sections" className="portal-nav">
            {portalSections.map((section) => (
              <a key={section.id} href={`#${section.id}`}>
                {section.title}
              </a>
            ))}
          </nav>
        ) : (
          <nav aria-label="Portal" className="portal-nav">
            <a href={portalHome(workspace)}>Your privacy portal</a>
          </nav>
        )}
      </header>
      <main id="portal-main" className="portal-main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
