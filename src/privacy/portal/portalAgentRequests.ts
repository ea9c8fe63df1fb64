import { sql } from 'drizzle-orm';
import type { Database, Transaction } from '../../db/connection.ts';
import { isUuid } from '../../db/ids.ts';
import { selectRows } from '../../db/rows.ts';
import { appendAudit, requestEmailMatches } from '../../kernel/index.ts';
import { DomainError, notFound } from '../../shared/domainError.ts';
import { readRightsRequest, type RightsRequest } from '../requests/requestRecords.ts';
import { moveRightsRequest } from '../requests/requestWorkflow.ts';
import { portalRequestContext } from './portalContext.ts';
import type { PortalPerson } from './portalPerson.ts';

/*
 * An authorised agent's request that needs the person (Data Rights Protocol §3.02.1), as the
 * person signed in to the privacy portal sees it at its user_verification_url. The session's
 * address must be the one the request names — compared by blind index in the kernel
 * (requestEmailMatches) — or the request is "not found", exactly as an unknown id is: nobody
 * learns which requests exist or whom they name. Verifying moves it to verified through the
 * rights workflow (its event, audit and the agent's status callback), as the data-subject
 * portal, and is audited as `drp_request.verified_by_person`.
 */

export type PortalAgentRequestView = {
  requestId: string;
  agentName: string;
  kind: RightsRequest['kind'];
  state: RightsRequest['state'];
  receivedAt: string;
  dueAt: string;
  /** Whether it still waits for the person: received or awaiting verification. */
  needsVerification: boolean;
  /** The agent's redirect_to, when it is on the origin of the agent's registered callback URL; else null. */
  returnUrl: string | null;
};

type LinkRow = { request_id: string; agent_name: string; callback_url: string | null; status_callback: string | null };

const pendingStates: readonly RightsRequest['state'][] = ['received', 'awaiting_verification'];
const noSuchRequest = () => notFound('request');

function originOf(url: string | null): string | null {
  if (url === null) return null;
  try {
    return new URL(url).origin;
  } catch {
    // Not a URL: no origin to compare with.
    return null;
  }
}

/** The agent's redirect_to, only to where the agent itself receives its callbacks (no open redirect). */
function returnUrlOf(redirectTo: string | undefined, row: LinkRow): string | null {
  if (!redirectTo) return null;
  const origin = originOf(redirectTo);
  const allowed = [originOf(row.callback_url), originOf(row.status_callback)].filter((value) => value !== null);
  return origin !== null && allowed.includes(origin) ? redirectTo : null;
}

async function matchedRequest(tx: Transaction, tenantId: string, person: PortalPerson, drpRequestId: string, forUpdate: boolean) {
  const [row] = isUuid(drpRequestId)
    ? await selectRows<LinkRow>(
        tx,
        sql`select d.request_id, a.name as agent_name, a.callback_url, d.status_callback
            from drp_requests d join drp_agents a on a.tenant_id = d.tenant_id and a.id = d.agent
            where d.tenant_id = ${tenantId} and d.id = ${drpRequestId.toLowerCase()}`,
      )
    : [];
  if (!row) throw noSuchRequest();
  if (!(await requestEmailMatches(tx, portalRequestContext(tenantId), row.request_id, person.email))) throw noSuchRequest();
  return { row, request: await readRightsRequest(tx, tenantId, row.request_id, forUpdate) };
}

function viewOf(drpRequestId: string, row: LinkRow, request: RightsRequest, redirectTo?: string): PortalAgentRequestView {
  return {
    requestId: drpRequestId.toLowerCase(),
    agentName: row.agent_name,
    kind: request.kind,
    state: request.state,
    receivedAt: request.receivedAt.toISOString(),
    dueAt: request.dueOn,
    needsVerification: pendingStates.includes(request.state),
    returnUrl: returnUrlOf(redirectTo, row),
  };
}

/** Which agent's request the signed-in person asks about, and where the agent would have them go back to. */
export type PortalAgentRequestAsk = { tenantId: string; person: PortalPerson; drpRequestId: string; redirectTo?: string };

/** The agent's request as its person sees it; 404 when it is not theirs or does not exist. */
export async function readPortalAgentRequest(database: Database, ask: PortalAgentRequestAsk): Promise<PortalAgentRequestView> {
  const { tenantId, person, drpRequestId, redirectTo } = ask;
  return database.db.transaction(async (tx) => {
    const { row, request } = await matchedRequest(tx, tenantId, person, drpRequestId, false);
    return viewOf(drpRequestId, row, request, redirectTo);
  });
}

/** Verifies the agent's request for its person; 404 as above, 409 when it no longer waits for them. */
export async function verifyPortalAgentRequest(database: Database, ask: PortalAgentRequestAsk): Promise<PortalAgentRequestView> {
  const { tenantId, person, drpRequestId, redirectTo } = ask;
  return database.db.transaction(async (tx) => {
    const { row, request } = await matchedRequest(tx, tenantId, person, drpRequestId, true);
    if (!pendingStates.includes(request.state)) {
      throw new DomainError('conflict', 'This request does not wait for your verification any more.', [{ field: 'state', reason: request.state }]);
    }
    const ctx = portalRequestContext(tenantId);
    const verified = await moveRightsRequest(tx, ctx, request.id, 'verify');
    await appendAudit(tx, ctx, { action: 'drp_request.verified_by_person', object: 'rights_request', recordIds: [request.id, drpRequestId.toLowerCase()] });
    return viewOf(drpRequestId, row, verified, redirectTo);
  });
}
