import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../shared/domainError.ts';
import { assertEtagDeclared, declaredIfMatch } from './routeContract.ts';

// ETags carry the record's integer version; PATCH requires If-Match so a stale write is
// refused (412) instead of silently overwriting someone else's change.
export const etagFor = (version: number) => `"${version}"`;
const maxVersion = 2 ** 31 - 1;
/** The form of an ETag Candor gives out (weak or strong), for the OpenAPI document's If-Match. */
export const etagPattern = /^(?:W\/)?"(\d{1,10})"$/;

/** Sends the record's version as ETag; the route declares `config.etag` (src/http/routeContract.ts). */
export function setEtag(reply: FastifyReply, version: number): void {
  assertEtagDeclared(reply);
  reply.header('etag', etagFor(version));
}

/** 428: a write that must name the version it changes did not. */
export const ifMatchRequired = () =>
  new DomainError('precondition_required', 'Send If-Match with the ETag you last read, so a concurrent change is not overwritten.', [
    { field: 'If-Match', reason: 'required' },
  ]);

/** 422: If-Match holds no ETag Candor could have given out. */
export const ifMatchMalformed = () =>
  new DomainError('validation_failed', 'If-Match must be an ETag such as "3".', [{ field: 'If-Match', reason: 'malformed' }]);

function versionIn(header: string): number {
  const match = etagPattern.exec(header.trim());
  // Versions are PostgreSQL integers: a larger number is no ETag Candor gave out.
  if (!match || Number(match[1]) > maxVersion) throw ifMatchMalformed();
  return Number(match[1]);
}

/** The version in If-Match, which the route requires (`config.ifMatch: 'required'`): 428 without it. */
export function requiredIfMatchVersion(request: FastifyRequest): number {
  const header = declaredIfMatch(request, 'required');
  if (!header) throw ifMatchRequired();
  return versionIn(header);
}

/** DELETE and state transitions accept If-Match without requiring it (`config.ifMatch: 'optional'`). */
export function optionalIfMatchVersion(request: FastifyRequest): number | null {
  const header = declaredIfMatch(request, 'optional');
  return header === undefined ? null : versionIn(header);
}
