import { sql } from 'drizzle-orm';
import type { Database, Transaction } from '../../db/connection.ts';
import { selectRows } from '../../db/rows.ts';
import { requestIdentityOf, systemContext, type PurposeContext } from '../../kernel/index.ts';
import { DomainError, notFound } from '../../shared/domainError.ts';
import { gpcOptsOut, recordGpcOptOut } from '../gpc.ts';
import type { Regime, RequestKind } from './deadlines.ts';
import { issueRequestVerification, requestLinkTarget, verifyRequestCode, verifyRequestLink, type VerificationResult } from './requestVerification.ts';
import { requestEvents } from './requestRecords.ts';
import { noteRightsRequest, rightsPurpose, receiveRightsRequest } from './requestWorkflow.ts';
import { sendRequestVerification, type VerificationMailInput } from './requestService.ts';

/*
 * The people's own door to their rights, without an account: a request made with an e-mail
 * address is received, matched to a contact by the address's blind index if one holds it,
 * and answered with a code and a link sent to that address — exactly the same work, the same
 * answer and the same mail whether or not the address is known, so the portal tells nobody
 * who is a customer. Only a verified request is worked on. A `Sec-GPC: 1` header on the
 * request opts the matched contact out of sale and sharing, as at collection, once the
 * request is verified (noted at once, for any address alike).
 */

export const portalActor = 'rights-portal';

export type PortalWorkspace = { id: string; name: string; slug: string };

export async function portalWorkspace(database: Database, slug: string): Promise<PortalWorkspace> {
  const [row] = await selectRows<PortalWorkspace>(database.db, sql`select id, name, slug from workspaces where slug = ${slug.trim().toLowerCase()}`);
  if (!row) throw notFound('workspace');
  return row;
}

const portalContext = (tenantId: string): PurposeContext => systemContext(tenantId, portalActor, rightsPurpose);

export type PortalSubmission = {
  kind: RequestKind;
  regime: Regime;
  email: string;
  name?: string;
  details?: string;
  purposeKey?: string;
  /** A rectification's corrections by catalog field name (sealed with the identity). */
  corrections?: Record<string, string | null>;
  /** The request's Sec-GPC header, as the server hands it over. */
  gpc?: string | string[];
};

export type PortalReceipt = { requestId: string; expiresAt: Date; mail: VerificationMailInput };

/** Receives the request and issues its verification in one transaction; the caller mails it after commit. */
export async function submitPortalRequest(database: Database, workspace: PortalWorkspace, submission: PortalSubmission): Promise<PortalReceipt> {
  const identity = requestIdentityOf(submission);
  const ctx = portalContext(workspace.id);
  return database.db.transaction(async (tx: Transaction) => {
    const received = await receiveRightsRequest(tx, ctx, { ...submission, identity, channel: 'portal' });
    // Noted now (the same for any address), honoured once the request is verified: writing the
    // opt-outs here would take time only for a known address, and tell the caller so.
    if (gpcOptsOut(submission.gpc)) await noteRightsRequest(tx, ctx, received, gpcNote, null);
    const issued = await issueRequestVerification(tx, ctx, received.id);
    return {
      requestId: received.id,
      expiresAt: issued.expiresAt,
      mail: { ...issued, to: identity.email, kind: received.kind, workspaceName: workspace.name },
    };
  });
}

const gpcNote = 'gpc_signal';

/** A verified portal request that came with Sec-GPC: 1 opts its contact out of sale and sharing now. */
async function honourNotedGpc(tx: Transaction, ctx: PurposeContext, result: VerificationResult): Promise<VerificationResult> {
  const request = result.request;
  if (result.outcome !== 'verified' || !request || request.subjectId === null) return result;
  const noted = (await requestEvents(tx, ctx.tenantId, request.id)).some((event) => event.action === gpcNote);
  if (noted) await recordGpcOptOut(tx, ctx, { contactId: request.subjectId });
  return result;
}

const refusals: Record<Exclude<VerificationResult['outcome'], 'verified'>, string> = {
  wrong: 'is not the one we sent',
  unknown: 'is not the one we sent',
  expired: 'has expired: ask for a new one',
  locked: 'was tried wrongly too often: ask for a new one',
  used: 'was already used',
};

/**
 * A fresh code and link for a request still awaiting verification (an expired or locked
 * one), mailed to the address the request was made with; earlier ones stop working. 409
 * once the request is verified or closed, 404 for no request of the workspace.
 */
export async function resendPortalVerification(database: Database, workspace: PortalWorkspace, requestId: string): Promise<PortalReceipt> {
  return database.db.transaction(async (tx) => {
    const sent = await sendRequestVerification(tx, portalContext(workspace.id), requestId);
    // A request's identity is shredded only with its subject's erasure, which closes nothing: say so rather than mail no one.
    if (!sent.mail) throw notFound('request');
    return { requestId: sent.request.id, expiresAt: sent.mail.expiresAt, mail: sent.mail };
  });
}

/**
 * The answer to a code or a link: the verified request's id and state, or 422 naming the
 * field with why. Called after the transaction that counted the try committed.
 */
export function verificationAnswer(result: VerificationResult, field: 'code' | 'token'): { requestId: string; state: 'verified' } {
  if (result.outcome === 'verified' && result.request) return { requestId: result.request.id, state: 'verified' };
  throw verificationRefusal(result.outcome, field);
}

/** 422 naming the field, saying why a code or link did not verify (a verified outcome without its object counts as unknown). */
export function verificationRefusal(outcome: VerificationResult['outcome'], field: string): DomainError {
  const reason = refusals[outcome === 'verified' ? 'unknown' : outcome];
  return new DomainError('validation_failed', `${field}: ${reason}`, [{ field, reason }]);
}

/** Checks a typed code for a request of the workspace (the try is counted and committed either way). */
export function verifyPortalCode(database: Database, workspace: PortalWorkspace, requestId: string, code: string): Promise<VerificationResult> {
  if (!/^[0-9a-f-]{36}$/i.test(requestId)) return Promise.resolve({ outcome: 'unknown', request: null });
  const ctx = portalContext(workspace.id);
  return database.db.transaction(async (tx) => honourNotedGpc(tx, ctx, await verifyRequestCode(tx, ctx, requestId, code)));
}

/** Checks the token of a mailed link; the workspace is the one it names. */
export async function verifyPortalLink(database: Database, token: string): Promise<VerificationResult> {
  const target = requestLinkTarget(token);
  if (!target) return { outcome: 'unknown', request: null };
  const [known] = await selectRows<{ id: string }>(database.db, sql`select id from workspaces where id::text = ${target.tenantId}`);
  if (!known) return { outcome: 'unknown', request: null };
  const ctx = portalContext(known.id);
  return database.db.transaction(async (tx) => honourNotedGpc(tx, ctx, await verifyRequestLink(tx, ctx, token)));
}
