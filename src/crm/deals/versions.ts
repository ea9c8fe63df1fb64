import { DomainError } from '../../shared/domainError.ts';

/**
 * The 412 a service raises when If-Match names an older version than the row holds. Same
 * problem shape as src/http/etag.ts staleWrite (currentEtag is the quoted version), built
 * here because services must not import the HTTP layer.
 */
export function staleVersion(currentVersion: number): DomainError {
  return new DomainError('precondition_failed', 'The record changed since you read it; fetch it again and reapply your change.', [], {
    currentEtag: `"${currentVersion}"`,
  });
}
