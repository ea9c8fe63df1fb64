import type { RightsRequest } from '../requests/requestRecords.ts';
import type { DenialCode, RequestState } from '../requests/requestStates.ts';

/*
 * Candor's request states as the Data Rights Protocol's Exercise Status (§3.02, §3.03):
 *
 *   received               → open
 *   awaiting_verification  → in_progress / need_user_verification, with user_verification_url (the
 *                            privacy portal's page for the request, drpVerification.ts)
 *   verified, in_progress  → in_progress, with received_at and expected_by (the due date)
 *   extended               → in_progress, expected_by the extended date, the reason as processing_details
 *   completed              → fulfilled
 *   denied                 → denied / the reason of its denial code (other when none)
 *   withdrawn              → revoked
 *   any final state, once `expires_at` (closed + 60 days) has passed → expired
 */

export const drpStatuses = ['open', 'in_progress', 'fulfilled', 'revoked', 'denied', 'expired'] as const;
export type DrpStatus = (typeof drpStatuses)[number];
export const drpReasons = [
  'need_user_verification',
  'suspected_fraud',
  'insuf_verification',
  'no_match',
  'claim_not_covered',
  'outside_jurisdiction',
  'too_many_requests',
  'other',
] as const;
export type DrpReason = (typeof drpReasons)[number];

const reasonOfDenial: Record<DenialCode, DrpReason> = {
  suspected_fraud: 'suspected_fraud',
  insufficient_verification: 'insuf_verification',
  no_match: 'no_match',
  not_covered: 'claim_not_covered',
  outside_jurisdiction: 'outside_jurisdiction',
  too_many_requests: 'too_many_requests',
  other: 'other',
};

/** How long a closed request is still answered for (§3.02: the lesser of expires_at or 60 days). */
export const keptAfterClosingDays = 60;

export type ExerciseStatus = {
  request_id: string;
  agent_request_id?: string;
  status: DrpStatus;
  reason?: DrpReason;
  received_at?: string;
  expected_by?: string;
  processing_details?: string;
  user_verification_url?: string;
  expires_at?: string;
};

/** `verificationUrl`: where the person verifies the request (drpVerification.ts), sent while it needs them. */
export type DrpLink = { drpRequestId: string; agentRequestId: string | null; verificationUrl?: string };

const inProgress: readonly RequestState[] = ['awaiting_verification', 'verified', 'in_progress', 'extended'];
const verificationDetails =
  'The person verifies the request by signing in at user_verification_url with the address the request names (a code is mailed to it), or by the link we may e-mail them.';

function expiresAt(request: RightsRequest): Date | null {
  return request.closedAt === null ? null : new Date(request.closedAt.getTime() + keptAfterClosingDays * 24 * 60 * 60 * 1000);
}

function stateFields(request: RightsRequest, link: DrpLink): Pick<ExerciseStatus, 'status' | 'reason' | 'processing_details' | 'user_verification_url'> {
  switch (request.state) {
    case 'received':
      return { status: 'open' };
    case 'awaiting_verification':
      return {
        status: 'in_progress',
        reason: 'need_user_verification',
        processing_details: verificationDetails,
        ...(link.verificationUrl ? { user_verification_url: link.verificationUrl } : {}),
      };
    case 'verified':
    case 'in_progress':
      return { status: 'in_progress' };
    case 'extended':
      return { status: 'in_progress', ...(request.extensionReason ? { processing_details: request.extensionReason } : {}) };
    case 'completed':
      return { status: 'fulfilled' };
    case 'denied':
      return {
        status: 'denied',
        reason: reasonOfDenial[request.denialCode ?? 'other'],
        ...(request.denialReason ? { processing_details: request.denialReason } : {}),
      };
    case 'withdrawn':
      return { status: 'revoked', ...(request.withdrawalReason ? { processing_details: request.withdrawalReason } : {}) };
  }
}

/** The Exercise Status of an agent's request as it is at `now`. */
export function exerciseStatusOf(request: RightsRequest, link: DrpLink, now: Date): ExerciseStatus {
  const base = { request_id: link.drpRequestId, ...(link.agentRequestId === null ? {} : { agent_request_id: link.agentRequestId }) };
  const expires = expiresAt(request);
  if (expires !== null && now.getTime() > expires.getTime()) return { ...base, status: 'expired' };
  const fields = stateFields(request, link);
  return {
    ...base,
    ...fields,
    received_at: request.receivedAt.toISOString(),
    ...(inProgress.includes(request.state) ? { expected_by: request.dueOn } : {}),
    ...(expires === null ? {} : { expires_at: expires.toISOString() }),
  };
}
