import { Button } from 'react-aria-components';
import { useLocation, useParams, useSearchParams } from 'react-router';
import { problemIn } from '../../api/problem.ts';
import type { PortalAgentRequest, PortalMe } from '../../api/types.ts';
import { PublicLayout } from '../../layout/PublicLayout.tsx';
import { FieldRow } from '../../ui/FieldRow.tsx';
import { formatDate } from '../../ui/format.ts';
import { Loading } from '../../ui/Loading.tsx';
import { ProblemNotice } from '../../ui/ProblemNotice.tsx';
import { PortalLayout } from '../PortalLayout.tsx';
import { PortalSignInSteps } from '../PortalSignInSteps.tsx';
import { rememberPortalCsrfToken, usePortalMe } from '../portalApi.ts';
import { requestKindWords, requestStateWords, wordsFor } from '../requests/requestWords.ts';
import { useAgentRequest, useVerifyAgentRequest } from './useAgentRequest.ts';

/*
 * /portal/:workspace/requests/:requestId/verify — the Data Rights Protocol's
 * user_verification_url. The agent adds request_id (which must be this page's request) and
 * redirect_to. Signed out: sign in by code and come back here. Signed in: the agent's request,
 * when it names the signed-in address, with a button that verifies it; otherwise the same words
 * whether the request exists or not.
 */

function AgentRequestDetails({ request }: { request: PortalAgentRequest }) {
  return (
    <dl className="field-list">
      <FieldRow label="Asked by">{request.agentName}, on your behalf</FieldRow>
      <FieldRow label="What for">{wordsFor(requestKindWords, request.kind)}</FieldRow>
      <FieldRow label="Asked on">{formatDate(request.receivedAt)}</FieldRow>
      <FieldRow label="Where it stands">{wordsFor(requestStateWords, request.state)}</FieldRow>
      <FieldRow label="Answer due by">{formatDate(request.dueAt)}</FieldRow>
    </dl>
  );
}

function AgentRequestSection({ workspace, requestId, redirectTo, me }: { workspace: string; requestId: string; redirectTo?: string; me: PortalMe }) {
  const request = useAgentRequest(workspace, requestId, redirectTo);
  const verify = useVerifyAgentRequest(workspace, requestId, redirectTo);
  if (request.isPending) return <Loading what="the request" />;
  if (request.isError) {
    if (problemIn(request.error)?.status !== 404) return <ProblemNotice error={request.error} title="The request could not be loaded" />;
    return (
      <p className="notice" role="status">
        We found no request at this link for <strong>{me.email}</strong>. Sign out and sign in with the e-mail address you gave the agent that sent you here.
      </p>
    );
  }
  const shown = request.data;
  return (
    <>
      <AgentRequestDetails request={shown} />
      {shown.needsVerification ? (
        <>
          <p>If you asked {shown.agentName} to make this request, verify it: we then handle it and tell them how it goes.</p>
          <Button className="button button-primary" onPress={() => verify.mutate()} isPending={verify.isPending}>
            Verify this request
          </Button>
          {verify.isError && <ProblemNotice error={verify.error} title="The request could not be verified" />}
        </>
      ) : (
        <p className="notice" role="status">
          {verify.isSuccess ? 'Thank you: the request is verified. ' : 'This request does not need you any more. '}
          {shown.agentName} will hear how it goes.
        </p>
      )}
      {verify.isSuccess && shown.returnUrl && (
        <p>
          <a href={shown.returnUrl}>Back to {shown.agentName}</a>
        </p>
      )}
    </>
  );
}

export function AgentRequestPage() {
  const { workspace = '', requestId = '' } = useParams();
  const [search] = useSearchParams();
  const here = useLocation();
  const me = usePortalMe(workspace);
  rememberPortalCsrfToken(me.data?.csrfToken ?? null);
  const named = search.get('request_id');
  const redirectTo = search.get('redirect_to') ?? undefined;
  const title = 'Verify a request made for you';
  if (named !== null && named.toLowerCase() !== requestId.toLowerCase())
    return (
      <PublicLayout title={title}>
        <p className="notice notice-error" role="alert">
          This link names two different requests. Go back to the agent that sent you here and open its link again.
        </p>
      </PublicLayout>
    );
  if (me.isPending) return <Loading what="your privacy portal" />;
  if (me.isError)
    return (
      <PublicLayout title={title}>
        <ProblemNotice error={me.error} title="The privacy portal could not be opened" />
      </PublicLayout>
    );
  if (!me.data)
    return (
      <PublicLayout title={title}>
        <PortalSignInSteps
          workspace={workspace}
          returnTo={`${here.pathname}${here.search}`}
          intro={
            <p>
              An agent you chose asked <strong>{workspace}</strong> to act on your data for you. To confirm it was you, sign in with the e-mail address you gave
              the agent: we send a 6-digit code to it.
            </p>
          }
        />
      </PublicLayout>
    );
  return (
    <PortalLayout workspace={workspace} workspaceName={me.data.workspace.name} email={me.data.email} sections={false}>
      <section className="portal-intro" aria-labelledby="agent-request-title">
        <h1 id="agent-request-title">{title}</h1>
        <AgentRequestSection workspace={workspace} requestId={requestId} redirectTo={redirectTo} me={me.data} />
      </section>
    </PortalLayout>
  );
}
