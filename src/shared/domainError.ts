// Domain errors carry a stable code; src/http/problem.ts maps codes to HTTP statuses in
// one place. Messages must never contain personal values.
export type DomainErrorCode =
  | 'validation_failed'
  | 'unknown_parameter'
  | 'not_found'
  | 'conflict'
  | 'duplicate'
  | 'precondition_failed'
  | 'precondition_required'
  | 'unauthenticated'
  | 'forbidden'
  | 'csrf_failed'
  | 'rate_limited'
  | 'unknown_purpose'
  | 'purpose_not_allowed'
  | 'purpose_required'
  | 'purpose_not_granted'
  | 'idempotency_conflict'
  | 'idempotency_in_progress'
  | 'payload_too_large'
  | 'result_too_large'
  | 'database_locked'
  | 'jobs_unavailable'
  | 'configuration_error'
  | 'integrity_error'
  | 'suppressed';

export type FieldIssue = { field: string; reason: string };

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly issues: FieldIssue[];
  readonly detail?: Record<string, unknown>;

  constructor(code: DomainErrorCode, message: string, issues: FieldIssue[] = [], detail?: Record<string, unknown>) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.issues = issues;
    this.detail = detail;
  }
}

/** The DomainError `run` throws (a refusal, for tests and documented examples); any other error passes through. */
export function domainErrorThrownBy(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

export const notFound = (object: string) => new DomainError('not_found', `No ${object} with that id in this workspace.`);
export const invalid = (field: string, reason: string) => new DomainError('validation_failed', `${field}: ${reason}`, [{ field, reason }]);

/**
 * The 412 of a write whose If-Match (or the version a service read) is older than the
 * version the record holds now. currentEtag is that version as an ETag (the quoted integer
 * src/http/etag.ts sends), so the client can refetch and reapply its change.
 */
export const staleVersion = (currentVersion: number, object = 'record') =>
  new DomainError('precondition_failed', `The ${object} changed since you read it; fetch it again and reapply your change.`, [], {
    currentEtag: `"${currentVersion}"`,
  });
