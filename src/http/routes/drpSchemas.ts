import { z } from 'zod';
import { DomainError } from '../../shared/domainError.ts';
import { drpReasons, drpStatuses } from '../../privacy/drp/drpStatus.ts';
import { DrpRefusal } from '../../privacy/drp/drpRefusal.ts';
import { nameComponent } from '../openapi/components.ts';
import { statusOf } from '../problem.ts';

// The shapes of the Data Rights Protocol routes (spec §2, §3.03, §3.06).

export const signedBody = z
  .string()
  .max(65_536)
  .describe('base64 of a 64-byte Ed25519 signature followed by the JSON message it signs (libsodium combined mode), sent as text/plain');

export const exerciseStatusSchema = z.object({
  request_id: z.string().describe('The DRP request id'),
  agent_request_id: z.string().optional().describe("The agent's own id for the request, when it gave one"),
  status: z.enum(drpStatuses),
  reason: z.enum(drpReasons).optional(),
  received_at: z.string().optional(),
  expected_by: z.string().optional().describe('The date the answer is due (YYYY-MM-DD in the jurisdiction)'),
  processing_details: z.string().optional(),
  user_verification_url: z
    .string()
    .optional()
    .describe('While the request needs the person (need_user_verification): the privacy portal page where they sign in with its address and verify it'),
  expires_at: z.string().optional().describe('After this time the business no longer keeps the request (closed + 60 days)'),
});
nameComponent(exerciseStatusSchema, 'DrpExerciseStatus', 'The Exercise Status of a data rights request (Data Rights Protocol §3.03)');

export const drpErrorSchema = z.object({
  code: z.string().describe('The HTTP status, as a string'),
  message: z.string(),
  refusal: z.string().describe('A stable code for why (also the Candor-Refusal header): bad_signature, wrong_agent, wrong_business, expired, replayed…'),
  fatal: z.boolean().optional().describe('Retrying the same message cannot succeed'),
  field: z.string().optional().describe('The claim at fault'),
});
nameComponent(drpErrorSchema, 'DrpError', 'A refused Data Rights Protocol request (§3.06)');

/** Any error raised on a DRP route as the protocol's refusal; null for a server error, which the app's own handler answers. */
export function drpRefusalOf(error: unknown): DrpRefusal | null {
  if (error instanceof DrpRefusal) return error;
  if (error instanceof DomainError && error.code === 'rate_limited') {
    const retry = error.detail?.retryAfterSeconds;
    return new DrpRefusal(429, 'rate_limited', error.message, typeof retry === 'number' ? { retryAfterSeconds: retry } : {});
  }
  if (error instanceof DomainError) {
    const status = statusOf(error.code);
    return status >= 500 ? null : new DrpRefusal(status === 422 ? 400 : status, 'bad_request', error.message, { field: error.issues[0]?.field });
  }
  const statusCode = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return new DrpRefusal(statusCode, 'bad_request', 'The request is not a Data Rights Protocol request: send the signed message as text/plain.');
  }
  return null;
}
