import { sql } from 'drizzle-orm';
import type { Database, Executor, Transaction } from '../../db/connection.ts';
import { newId, isUuid } from '../../db/ids.ts';
import { selectRows } from '../../db/rows.ts';
import { appendAudit, requestIdentityOf } from '../../kernel/index.ts';
import { readRightsRequest } from '../requests/requestRecords.ts';
import { moveRightsRequest, receiveRightsRequest } from '../requests/requestWorkflow.ts';
import { agentContext, rememberSignedMessage, type SignedCall } from './drpAuthentication.ts';
import type { DrpAgent } from './drpAgents.ts';
import { exerciseRequestOf } from './drpExercise.ts';
import { DrpRefusal } from './drpRefusal.ts';
import { statusDigest } from './drpCallbacks.ts';
import { exerciseStatusOf, type ExerciseStatus } from './drpStatus.ts';
import { userVerificationUrlOf } from './drpVerification.ts';

/*
 * An authorised agent's rights requests (§2.01, §2.02, §2.04), mapped onto Candor's own: an
 * exercise is received by the same workflow as a person's (same deadlines, events and audit,
 * acting as `system:drp-agent:<id>` for legal_compliance), its identity claims sealed by the
 * kernel and matched by e-mail; an e-mail the agent says it verified counts as verified. The
 * DRP request id is a fresh UUID linked to the rights request in drp_requests; a revocation is
 * the request's withdrawal. Each action is audited as `drp_request.<action>` naming ids only.
 */

export type DrpRequestLink = {
  drpRequestId: string;
  requestId: string;
  agent: string;
  agentRequestId: string | null;
  statusCallback: string | null;
};

type LinkRow = { id: string; request_id: string; agent: string; agent_request_id: string | null; status_callback: string | null };
const linkOf = (row: LinkRow): DrpRequestLink => ({
  drpRequestId: row.id,
  requestId: row.request_id,
  agent: row.agent,
  agentRequestId: row.agent_request_id,
  statusCallback: row.status_callback,
});

/** Receives an exercise (§2.01) and answers its status: open, or in_progress once the agent verified the e-mail. */
export async function exerciseDataRights(tx: Transaction, call: SignedCall, now = new Date()): Promise<ExerciseStatus> {
  const exercise = exerciseRequestOf(call.claims, call.agent);
  await rememberSignedMessage(tx, call);
  const ctx = agentContext(call.agent);
  const identity = requestIdentityOf({ email: exercise.email, name: exercise.name, vouched: exercise.vouched });
  let request = await receiveRightsRequest(tx, ctx, { kind: exercise.kind, regime: exercise.regime, channel: 'agent', identity });
  if (exercise.emailVerified) request = await moveRightsRequest(tx, ctx, request.id, 'verify');
  const drpRequestId = newId();
  const link = { drpRequestId, requestId: request.id, agent: call.agent.id, agentRequestId: exercise.agentRequestId, statusCallback: exercise.statusCallback };
  // The answer tells the agent this status: its callbacks start from the next change.
  const status = exerciseStatusOf(request, link, now);
  await tx.execute(sql`
    insert into drp_requests (tenant_id, id, request_id, agent, agent_request_id, exercise, regime, relationships, status_callback, callback_version, callback_digest)
    values (${ctx.tenantId}, ${drpRequestId}, ${request.id}, ${call.agent.id}, ${exercise.agentRequestId}, ${exercise.exercise}, ${exercise.regimeClaim},
      ${sql.param(exercise.relationships)}::text[], ${exercise.statusCallback}, ${request.version}, ${statusDigest(status)})`);
  await appendAudit(tx, ctx, {
    action: 'drp_request.received',
    object: 'rights_request',
    recordIds: [request.id, drpRequestId],
    detail: { exercise: exercise.exercise, agent: call.agent.id, verifiedByAgent: exercise.emailVerified },
  });
  return status;
}

async function linkOfAgent(tx: Executor, agent: DrpAgent, drpRequestId: string): Promise<DrpRequestLink> {
  const [row] = isUuid(drpRequestId)
    ? await selectRows<LinkRow>(
        tx,
        sql`select id, request_id, agent, agent_request_id, status_callback from drp_requests where tenant_id = ${agent.tenantId} and id = ${drpRequestId.toLowerCase()}`,
      )
    : [];
  if (!row) throw new DrpRefusal(404, 'unknown_request', 'No data rights request with this id.');
  // §2.02: only the agent that manages the request may see it.
  if (row.agent !== agent.id) throw new DrpRefusal(403, 'not_your_request', 'This request is managed by another agent.');
  return linkOf(row);
}

/**
 * The request's status for the agent that filed it (§2.02); 403 for another agent's, 404 for
 * none. While it needs the person, user_verification_url is the portal's page on `publicUrl`.
 */
export async function dataRightsStatus(tx: Transaction, agent: DrpAgent, drpRequestId: string, publicUrl: string, now = new Date()): Promise<ExerciseStatus> {
  const link = await linkOfAgent(tx, agent, drpRequestId);
  const request = await readRightsRequest(tx, agent.tenantId, link.requestId);
  await appendAudit(tx, agentContext(agent), { action: 'drp_request.status_read', object: 'rights_request', recordIds: [request.id, link.drpRequestId] });
  const verificationUrl = await userVerificationUrlOf(tx, publicUrl, agent.tenantId, link.drpRequestId);
  return exerciseStatusOf(request, { ...link, verificationUrl }, now);
}

/** Revokes the request (§2.04) by withdrawing it, with the person's reason; 409 once it is final. */
export async function revokeDataRights(tx: Transaction, call: SignedCall, drpRequestId: string, now = new Date()): Promise<ExerciseStatus> {
  const link = await linkOfAgent(tx, call.agent, drpRequestId);
  await rememberSignedMessage(tx, call);
  const ctx = agentContext(call.agent);
  const current = await readRightsRequest(tx, ctx.tenantId, link.requestId, true);
  if (current.closedAt !== null) throw new DrpRefusal(409, 'already_final', 'The request is closed already and can no longer be revoked.', { fatal: true });
  const reason = typeof call.claims.reason === 'string' ? call.claims.reason.slice(0, 2000) : undefined;
  const withdrawn = await moveRightsRequest(tx, ctx, link.requestId, 'withdraw', { reason });
  await appendAudit(tx, ctx, { action: 'drp_request.revoked', object: 'rights_request', recordIds: [withdrawn.id, link.drpRequestId] });
  return exerciseStatusOf(withdrawn, link, now);
}

/**
 * Runs an agent's call and audits its refusal (`drp_request.refused`, naming the refusal code
 * and the call, never the message) before passing it on: a known agent's failed calls are in
 * the trail as its successful ones are.
 */
export async function withRefusalsAudited<T>(database: Database, agent: DrpAgent, call: 'exercise' | 'status' | 'revoke', run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof DrpRefusal) {
      await database.db.transaction((tx) =>
        appendAudit(tx, agentContext(agent), { action: 'drp_request.refused', object: 'rights_request', detail: { call, refusal: error.refusal } }),
      );
    }
    throw error;
  }
}
