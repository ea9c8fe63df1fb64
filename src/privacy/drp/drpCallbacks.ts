import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { selectRows } from '../../db/rows.ts';
import { readRightsRequest } from '../requests/requestRecords.ts';
import { type ExerciseStatus, exerciseStatusOf } from './drpStatus.ts';
import { userVerificationUrl } from './drpVerification.ts';

/*
 * Status callbacks (§2.03): the Exercise Status of an agent's request, POSTed as JSON to the
 * request's status_callback, or else to the callback URL registered for the agent; nothing
 * when neither is set, the agent is no longer active, or the agent was told this very status
 * already (its digest is kept: a move between two Candor states that are one DRP status, or a
 * job that runs after a later change was reported, sends nothing). drp_requests keeps the
 * request version and status digest the agent was last told of and the answer's HTTP status.
 */

export type StatusCallback = { url: string; body: string; version: number; digest: string };

/** The digest of a status as sent. */
export const statusDigest = (status: ExerciseStatus) => createHash('sha256').update(JSON.stringify(status)).digest('hex');

type Row = {
  id: string;
  workspace_slug: string;
  agent_request_id: string | null;
  status_callback: string | null;
  callback_url: string | null;
  agent_status: string;
  callback_digest: string | null;
};

/** What to send the agent about the request now, or null when there is nowhere to send it; `publicUrl` for user_verification_url. */
export async function statusCallbackOf(
  executor: Executor,
  tenantId: string,
  requestId: string,
  publicUrl: string,
  now = new Date(),
): Promise<StatusCallback | null> {
  const [row] = await selectRows<Row>(
    executor,
    sql`select d.id, d.agent_request_id, d.status_callback, d.callback_digest, a.callback_url, a.status as agent_status, w.slug as workspace_slug
        from drp_requests d join drp_agents a on a.tenant_id = d.tenant_id and a.id = d.agent join workspaces w on w.id = d.tenant_id
        where d.tenant_id = ${tenantId} and d.request_id = ${requestId}`,
  );
  const url = row?.status_callback ?? row?.callback_url ?? null;
  if (!row || url === null || row.agent_status !== 'active') return null;
  const request = await readRightsRequest(executor, tenantId, requestId);
  const verificationUrl = userVerificationUrl(publicUrl, row.workspace_slug, row.id);
  const status = exerciseStatusOf(request, { drpRequestId: row.id, agentRequestId: row.agent_request_id, verificationUrl }, now);
  const digest = statusDigest(status);
  if (digest === row.callback_digest) return null;
  return { url, body: JSON.stringify(status), version: request.version, digest };
}

/** Notes the agent's answer to the callback (null: no answer arrived); a 2xx marks its status as told. */
export async function recordStatusCallback(
  executor: Executor,
  tenantId: string,
  requestId: string,
  sent: StatusCallback,
  statusCode: number | null,
): Promise<void> {
  const delivered = statusCode !== null && statusCode >= 200 && statusCode < 300;
  await executor.execute(sql`
    update drp_requests set callback_status = ${statusCode}, callback_at = now()
      ${delivered ? sql`, callback_version = greatest(callback_version, ${sent.version}), callback_digest = ${sent.digest}` : sql``}
    where tenant_id = ${tenantId} and request_id = ${requestId}`);
}

/** Agents' requests that changed since their agent was last told (callbacks queued before the job runner first started). */
export async function pendingStatusCallbacks(executor: Executor): Promise<{ tenantId: string; requestId: string }[]> {
  const rows = await selectRows<{ tenant_id: string; request_id: string }>(
    executor,
    sql`select d.tenant_id, d.request_id from drp_requests d
        join rights_requests r on r.tenant_id = d.tenant_id and r.id = d.request_id
        where r.version > d.callback_version and d.callback_at is null limit 1000`,
  );
  return rows.map((row) => ({ tenantId: row.tenant_id, requestId: row.request_id }));
}
