/*
 * A refused Data Rights Protocol request (§3.06): the HTTP status, a stable refusal code
 * (also sent as the Candor-Refusal header, since POST /v1/agent/{id} answers 403 with no
 * body), a message naming no person, whether the refusal is fatal (retrying the same message
 * cannot succeed), and the claim at fault.
 */

export type DrpRefusalCode =
  | 'missing_token'
  | 'unknown_token'
  | 'unknown_agent'
  | 'inactive_agent'
  | 'not_base64'
  | 'bad_signature'
  | 'not_json'
  | 'wrong_agent'
  | 'wrong_business'
  | 'issued_in_future'
  | 'expired'
  | 'window_too_long'
  | 'replayed'
  | 'invalid_claim'
  | 'unsupported_exercise'
  | 'unknown_request'
  | 'not_your_request'
  | 'already_final'
  | 'rate_limited'
  | 'bad_request';

export class DrpRefusal extends Error {
  readonly status: number;
  readonly refusal: DrpRefusalCode;
  readonly fatal: boolean;
  readonly field: string | undefined;
  /** For a 429: when to try again. */
  readonly retryAfterSeconds: number | undefined;

  constructor(status: number, refusal: DrpRefusalCode, message: string, options: { fatal?: boolean; field?: string; retryAfterSeconds?: number } = {}) {
    super(message);
    this.name = 'DrpRefusal';
    this.status = status;
    this.refusal = refusal;
    this.fatal = options.fatal ?? false;
    this.field = options.field;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** The error body of §3.06: the status as a string, the message, `fatal` when set, and the claim at fault. */
export function drpErrorBody(refusal: DrpRefusal) {
  return {
    code: String(refusal.status),
    message: refusal.message,
    refusal: refusal.refusal,
    ...(refusal.fatal ? { fatal: true } : {}),
    ...(refusal.field ? { field: refusal.field } : {}),
  };
}
