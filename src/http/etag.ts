import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../shared/domainError.ts';

// ETags carry the record's integer version; PATCH requires If-Match so a stale write is
// refused (412) instead of silently overwriting someone else's change.
export const etagFor = (version: number) => `"${version}"`;
const maxVersion = 2 ** 31 - 1;

export function setEtag(reply: FastifyReply, version: number): void {
  reply.header('etag', etagFor(version));
}

export function requiredIfMatchVersion(request: FastifyRequest): number {
  const header = request.headers['if-match'];
  if (!header) {
    throw new DomainError('precondition_required', 'Send If-Match with the ETag you last read, so a concurrent change is not overwritten.', [
      { field: 'If-Match', reason: 'required' },
    ]);
  }
  const match = /^(?:W\/)?"(\d{1,10})"$/.exec(String(header).trim());
  // Versions are PostgreSQL integers: a larger number is no ETag Candor gave out.
  if (!match || Number(match[1]) > maxVersion)
    throw new DomainError('validation_failed', 'If-Match must be an ETag such as "3".', [{ field: 'If-Match', reason: 'malformed' }]);
  return Number(match[1]);
}
