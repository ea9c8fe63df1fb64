import { eq } from 'drizzle-orm';
import type { Executor, Transaction } from '../../db/connection.ts';
import { workspaces } from '../../db/schema/index.ts';
import { liftRestriction, openRequestIdentities, type PurposeContext, type RequestIdentity } from '../../kernel/index.ts';
import { DomainError } from '../../shared/domainError.ts';
import { requestFulfilments } from './requestFulfilment.ts';
import { type CorrectionDiff, rectificationDiff } from './requestRectification.ts';
import { readRightsRequest, requestEvents, type RequestEvent, type RightsRequest } from './requestRecords.ts';
import { issueRequestVerification, type IssuedVerification } from './requestVerification.ts';
import { moveRightsRequest, noteRightsRequest, requireRightsPurpose } from './requestWorkflow.ts';

/*
 * The staff side of a request beyond single transitions: reading one with its identity and
 * events, completing it through its fulfilment, sending the verification mail, and lifting
 * the restriction a completed request put in place. Mail is returned for the caller to send
 * after the transaction commits.
 */

export type RequestDetail = { request: RightsRequest; identity: RequestIdentity | null; events: RequestEvent[]; corrections?: CorrectionDiff[] };

export async function readRequestDetail(tx: Executor, ctx: PurposeContext, id: string): Promise<RequestDetail> {
  requireRightsPurpose(ctx);
  const request = await readRightsRequest(tx, ctx.tenantId, id);
  const identity = (await openRequestIdentities(tx, ctx, [request.id])).get(request.id) ?? null;
  const corrections = await rectificationDiff(tx, ctx, request, identity);
  return { request, identity, events: await requestEvents(tx, ctx.tenantId, request.id), ...(corrections ? { corrections } : {}) };
}

/**
 * Completes the request by doing what it asks (requestFulfilments) in the same transaction;
 * 409 naming `kind` when Candor cannot fulfil that kind yet (nothing is recorded then).
 */
export function completeRightsRequest(tx: Transaction, ctx: PurposeContext, id: string): Promise<RightsRequest> {
  return moveRightsRequest(tx, ctx, id, 'complete', {
    check: async (request) => {
      const outcome = await requestFulfilments[request.kind](tx, { ctx, request });
      if (outcome.status === 'not_available') {
        throw new DomainError('conflict', `This request cannot be completed by Candor: ${outcome.reason}.`, [{ field: 'kind', reason: outcome.reason }]);
      }
      return outcome.status === 'done' ? { status: 'done', ...outcome.summary } : { status: 'no_subject' };
    },
  });
}

export type WorkspaceName = { name: string; slug: string };

export async function workspaceNameOf(tx: Executor, tenantId: string): Promise<WorkspaceName> {
  const [row] = await tx.select({ name: workspaces.name, slug: workspaces.slug }).from(workspaces).where(eq(workspaces.id, tenantId));
  return row ?? { name: 'Candor', slug: '' };
}

export type VerificationMailInput = IssuedVerification & { to: string; kind: string; workspaceName: string };

/** Issues a fresh code and link for the request (409 once verified or closed) and returns what its mail needs. */
export async function sendRequestVerification(
  tx: Executor,
  ctx: PurposeContext,
  id: string,
): Promise<{ request: RightsRequest; mail: VerificationMailInput | null }> {
  const issued = await issueRequestVerification(tx, ctx, id);
  const request = await readRightsRequest(tx, ctx.tenantId, id);
  const identity = (await openRequestIdentities(tx, ctx, [request.id])).get(request.id);
  const { name } = await workspaceNameOf(tx, ctx.tenantId);
  return { request, mail: identity ? { ...issued, to: identity.email, kind: request.kind, workspaceName: name } : null };
}

export type LiftedRestriction = { request: RightsRequest; lifted: boolean; notify: { to: string; workspaceName: string; reason: string | null } | null };

/**
 * Lifts the restriction a completed restriction request put on its contact (Art. 18(3)):
 * through the kernel's writer (audited there), noted on the request (audited too), and the
 * person is told by e-mail. 409 for any other request.
 */
export async function liftRequestRestriction(tx: Transaction, ctx: PurposeContext, id: string, reason: string | null): Promise<LiftedRestriction> {
  requireRightsPurpose(ctx);
  const request = await readRightsRequest(tx, ctx.tenantId, id, true);
  if (request.kind !== 'restriction' || request.state !== 'completed' || request.subjectId === null) {
    throw new DomainError('conflict', 'Only a completed restriction request about a contact has a restriction to lift.', [], {
      state: request.state,
      kind: request.kind,
    });
  }
  const { lifted } = await liftRestriction(tx, ctx, request.subjectId);
  await noteRightsRequest(tx, ctx, request, 'lift_restriction', reason);
  const identity = (await openRequestIdentities(tx, ctx, [request.id])).get(request.id);
  const { name } = await workspaceNameOf(tx, ctx.tenantId);
  return { request, lifted, notify: identity ? { to: identity.email, workspaceName: name, reason } : null };
}
