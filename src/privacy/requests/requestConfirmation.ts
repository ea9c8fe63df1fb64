import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { openRequestIdentities, type PurposeContext } from '../../kernel/index.ts';
import { DomainError } from '../../shared/domainError.ts';
import { readRightsRequest, type RightsRequest } from './requestRecords.ts';
import { workspaceNameOf } from './requestService.ts';
import { noteRightsRequest, requireRightsPurpose } from './requestWorkflow.ts';

/*
 * Confirming receipt of a request to the requester (CCPA: within 10 business days, by the
 * request's acknowledgeBy date, Cal. Code Regs. tit. 11, §7021(a); good practice under any
 * law): stamped once on the request under its row lock, noted as a `confirm_receipt` request
 * event (audited), and the mail for the caller to send after the transaction commits says
 * when the request was received, how it will be handled and when the answer is due.
 */

export type ReceiptConfirmationMail = { to: string; workspaceName: string; kind: string; receivedOn: string; respondBy: string; verified: boolean };

export async function confirmRequestReceipt(
  tx: Executor,
  ctx: PurposeContext,
  id: string,
): Promise<{ request: RightsRequest; mail: ReceiptConfirmationMail | null }> {
  requireRightsPurpose(ctx);
  const request = await readRightsRequest(tx, ctx.tenantId, id, true);
  if (request.closedAt !== null) {
    throw new DomainError('conflict', 'A closed request was answered: there is no receipt left to confirm.', [], { state: request.state });
  }
  if (request.acknowledgedAt !== null) {
    throw new DomainError('conflict', `Receipt of this request was confirmed already, on ${request.acknowledgedAt.toISOString()}.`, [], {
      state: request.state,
    });
  }
  await tx.execute(sql`
    update rights_requests set acknowledged_at = now(), version = version + 1, updated_at = now()
    where tenant_id = ${ctx.tenantId} and id = ${request.id}`);
  await noteRightsRequest(tx, ctx, request, 'confirm_receipt', null);
  const identity = (await openRequestIdentities(tx, ctx, [request.id])).get(request.id);
  const { name } = await workspaceNameOf(tx, ctx.tenantId);
  const confirmed = await readRightsRequest(tx, ctx.tenantId, request.id);
  const mail = identity
    ? {
        to: identity.email,
        workspaceName: name,
        kind: request.kind,
        receivedOn: request.deadlines.receivedOn,
        respondBy: request.dueOn,
        verified: request.verifiedAt !== null,
      }
    : null;
  return { request: confirmed, mail };
}
