import { sql } from 'drizzle-orm';
import type { Database } from '../../db/connection.ts';
import { requestEmailIndex, requestIdentityOf } from '../../kernel/index.ts';
import { gpcOptsOut, recordGpcOptOut } from '../gpc.ts';
import type { Regime, RequestKind } from '../requests/deadlines.ts';
import { selectRequests, type RightsRequest } from '../requests/requestRecords.ts';
import { moveRightsRequest, receiveRightsRequest } from '../requests/requestWorkflow.ts';
import { portalRequestContext } from './portalContext.ts';
import type { PortalPerson } from './portalPerson.ts';

/*
 * The rights requests of a person signed in to the privacy portal. A request made here is
 * received by the same workflow as every channel (receiveRightsRequest: deadlines, sealed
 * identity, matched contact, events and audit) with the session's address as its identity,
 * and verified at once: the session proved the address. Sec-GPC: 1 opts the person out of
 * sale and sharing at once, as a verified portal request does. The list holds the requests
 * about the person's contact and those made with their address, found by the address's blind
 * index stored with each request (no one's sealed identity is opened to list them). Requests
 * received before migration 0036 have no such index: one of them made with an address that
 * matched no contact is not listed.
 */

export type SessionSubmission = {
  kind: RequestKind;
  regime: Regime;
  name?: string;
  details?: string;
  purposeKey?: string;
  corrections?: Record<string, string | null>;
  gpc?: string | string[];
};

export type PortalRequestView = {
  id: string;
  kind: RequestKind;
  state: string;
  regime: Regime;
  receivedAt: string;
  dueAt: string;
  closedAt: string | null;
  reason: string | null;
};

export const portalRequestView = (request: RightsRequest): PortalRequestView => ({
  id: request.id,
  kind: request.kind,
  state: request.state,
  regime: request.regime,
  receivedAt: request.receivedAt.toISOString(),
  dueAt: request.dueOn,
  closedAt: request.closedAt?.toISOString() ?? null,
  reason: request.denialReason ?? request.extensionReason,
});

/** Receives and verifies the person's request in one transaction. */
export async function submitSessionRequest(database: Database, tenantId: string, person: PortalPerson, submission: SessionSubmission): Promise<RightsRequest> {
  const { gpc, ...request } = submission;
  const identity = requestIdentityOf({ ...request, email: person.email });
  const ctx = portalRequestContext(tenantId);
  return database.db.transaction(async (tx) => {
    const received = await receiveRightsRequest(tx, ctx, { ...request, identity, channel: 'portal' });
    const verified = await moveRightsRequest(tx, ctx, received.id, 'verify');
    if (gpcOptsOut(gpc) && verified.subjectId !== null) await recordGpcOptOut(tx, ctx, { contactId: verified.subjectId });
    return verified;
  });
}

/** The person's requests, newest first: about their contact or made with their address, in one statement. */
export async function listSessionRequests(database: Database, tenantId: string, person: PortalPerson): Promise<PortalRequestView[]> {
  const ctx = portalRequestContext(tenantId);
  return database.db.transaction(async (tx) => {
    const emailIndex = await requestEmailIndex(tx, ctx, person.email);
    const requests = await selectRequests(
      tx,
      tenantId,
      sql`(r.subject_id = ${person.contactId}::uuid or r.requester_email_index = ${emailIndex})`,
      sql`order by r.received_at desc, r.id desc`,
    );
    return requests.map(portalRequestView);
  });
}
