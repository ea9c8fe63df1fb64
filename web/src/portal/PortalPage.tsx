import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Navigate, useParams } from 'react-router';
import type { PortalMe } from '../api/types.ts';
import { PublicLayout } from '../layout/PublicLayout.tsx';
import { Loading } from '../ui/Loading.tsx';
import { ProblemNotice } from '../ui/ProblemNotice.tsx';
import { PortalCopySection } from './copy/PortalCopySection.tsx';
import { ConsentsSection } from './data/ConsentsSection.tsx';
import { TrailSection } from './data/TrailSection.tsx';
import { WhySection } from './data/WhySection.tsx';
import { YourDataSection } from './data/YourDataSection.tsx';
import { PortalLayout } from './PortalLayout.tsx';
import { portalKeys, rememberPortalCsrfToken, sessionGone, usePortalData, usePortalMe } from './portalApi.ts';
import { portalSignIn } from './portalPaths.ts';
import { PortalRequestsSection } from './requests/PortalRequestsSection.tsx';

/** The sections filled from everything held on the person (one read), and those with reads of their own. */
function PortalContent({ workspace, me }: { workspace: string; me: PortalMe }) {
  const queryClient = useQueryClient();
  const data = usePortalData(workspace);
  // The session ended while the page was open (30 minutes unused): back to signing in.
  useEffect(() => {
    if (sessionGone(data.error)) void queryClient.invalidateQueries({ queryKey: portalKeys.me(workspace) });
  }, [data.error, queryClient, workspace]);
  return (
    <>
      <div className="portal-intro">
        <h1>What {me.workspace.name} holds about you</h1>
        <p>
          Here you can see your data, why we hold it and who has looked at it; change your consents; get a copy; and ask us to correct or erase it. For your
          safety you are signed out after 30 minutes without use.
        </p>
      </div>
      {data.isPending ? (
        <Loading what="your data" />
      ) : data.isError ? (
        <ProblemNotice error={data.error} title="Your data could not be loaded" />
      ) : (
        <>
          <YourDataSection data={data.data} email={me.email} />
          <WhySection purposes={data.data.purposes} />
          <ConsentsSection workspace={workspace} data={data.data} />
          <TrailSection data={data.data} />
        </>
      )}
      <PortalCopySection workspace={workspace} known={me.known} />
      <PortalRequestsSection
        workspace={workspace}
        workspaceName={me.workspace.name}
        fields={(data.data?.fields ?? []).map((field) => ({ name: field.field, label: field.label }))}
        purposes={data.data?.purposes ?? []}
      />
    </>
  );
}

/** The person's portal (/portal/:workspace/me); without a portal session, its sign-in page. */
export function PortalPage() {
  const workspace = useParams().workspace ?? '';
  const me = usePortalMe(workspace);
  rememberPortalCsrfToken(me.data?.csrfToken ?? null);
  if (me.isPending) return <Loading what="your privacy portal" />;
  if (me.isError)
    return (
      <PublicLayout title="Your privacy portal">
        <ProblemNotice error={me.error} title="The privacy portal could not be opened" />
      </PublicLayout>
    );
  if (!me.data) return <Navigate to={portalSignIn(workspace)} replace />;
  return (
    <PortalLayout workspace={workspace} workspaceName={me.data.workspace.name} email={me.data.email}>
      <PortalContent workspace={workspace} me={me.data} />
    </PortalLayout>
  );
}
