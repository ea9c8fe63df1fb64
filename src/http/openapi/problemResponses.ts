import { purposeNotGranted, requirePurpose, systemContext } from '../../kernel/index.ts';
import { idempotencyConflict, idempotencyInProgress } from '../../platform/idempotency.ts';
import { rateLimited } from '../../platform/rateLimit.ts';
import { DomainError, domainErrorThrownBy, notFound, staleVersion, type DomainErrorCode, type FieldIssue } from '../../shared/domainError.ts';
import { assertCan } from '../../shared/roles.ts';
import { ifMatchMalformed, ifMatchRequired } from '../etag.ts';
import { csrfRefusal, purposeNotAllowed, unknownPurpose } from '../plugins/authentication.ts';
import { apiPrefix, unknownParameterReason, unknownParameterRefusal } from '../knownQueryParameters.ts';
import { notAuthenticated } from '../principal.ts';
import { domainProblem, problemBody, problemMediaType, requestProblems, type Problem } from '../problem.ts';
import type { RouteFacts } from './routeFacts.ts';

/*
 * The problem responses of a route in the OpenAPI document, derived from what the route is
 * (src/http/openapi/routeFacts.ts) and what it declares (src/http/routeContract.ts), each
 * with an example built by the same code that answers the request: the error constructors
 * the handlers throw and problem.ts's mapping of codes to statuses.
 */

/** One way a route can fail: an example problem document and when it happens. */
export type ProblemCase = { when: string; problem: Problem };

const caseOf = (when: string, error: DomainError): ProblemCase => ({ when, problem: domainProblem(error) });

function shapeCase(issue: FieldIssue): ProblemCase {
  const { status, code } = requestProblems.schemaValidation;
  return {
    when: "A part of the request does not match the route's schema; each field is named",
    problem: problemBody(status, code, `${issue.field}: ${issue.reason}`, [issue]),
  };
}

function requestCase(kind: keyof typeof requestProblems, when: string, detail: string, issue: FieldIssue): ProblemCase {
  const { status, code } = requestProblems[kind];
  return { when, problem: problemBody(status, code, detail, [issue]) };
}

const emptyBody = "Body cannot be empty when content-type is set to 'application/json'";

/** Every problem example the document can show, by name (components.examples). */
export const problemCases = {
  schema_validation_body: shapeCase({ field: 'name', reason: 'Too big: expected string to have <=200 characters' }),
  schema_validation_query: shapeCase({ field: 'querystring.limit', reason: 'Too big: expected number to be <=200' }),
  schema_validation_params: shapeCase({ field: 'params.id', reason: 'Invalid UUID' }),
  schema_validation_headers: shapeCase({ field: 'headers.candor-purpose', reason: 'Too big: expected string to have <=100 characters' }),
  malformed_body: requestCase('malformedRequest', 'The body is not valid JSON, or empty', emptyBody, { field: 'body', reason: emptyBody }),
  body_too_large: requestCase('bodyTooLarge', 'The body is larger than the route accepts', 'The request body is larger than this route accepts.', {
    field: 'body',
    reason: 'too large',
  }),
  unsupported_media_type: requestCase('unsupportedMediaType', 'The body is not sent as the media type the route reads', 'Send the body as application/json.', {
    field: 'content-type',
    reason: 'unsupported',
  }),
  unknown_parameter: caseOf(
    'A query parameter the route does not take (every API route refuses them rather than ignore them)',
    unknownParameterRefusal([{ field: 'querystring.updatedSince', reason: unknownParameterReason }], ['limit', 'cursor']),
  ),
  unauthenticated: caseOf('No valid API key or session cookie (or, at login, credentials that do not match)', notAuthenticated()),
  forbidden: caseOf(
    "The caller's role may not do this, or a rule about the person refuses it",
    domainErrorThrownBy(() => assertCan('analyst', 'contact:write')),
  ),
  unknown_purpose: caseOf('Candor-Purpose names no purpose of the workspace', unknownPurpose()),
  purpose_not_allowed: caseOf("Candor-Purpose names a purpose outside the API key's set", purposeNotAllowed()),
  csrf_failed: caseOf('A request made with the session cookie does not echo its CSRF token in X-CSRF-Token', csrfRefusal()),
  purpose_required: caseOf(
    'The request names no purpose and the API key has no default',
    domainErrorThrownBy(() => requirePurpose(systemContext('00000000-0000-0000-0000-000000000000', 'example'))),
  ),
  purpose_not_granted: caseOf("The workspace does not grant the caller's role the purpose", purposeNotGranted('analyst', 'sales')),
  not_found: caseOf('No such record in this workspace (a record of another workspace included)', notFound('record')),
  validation_failed: caseOf(
    'A value is not acceptable: a rule of the service, or text the database cannot store (U+0000, a lone surrogate) in any header, path, query or body field; each field is named',
    new DomainError('validation_failed', 'currency: required with amountMinor', [{ field: 'currency', reason: 'required with amountMinor' }]),
  ),
  precondition_failed: caseOf('If-Match (or a version in the request) names a version the record no longer has: fetch it again', staleVersion(4)),
  if_match_malformed: caseOf('If-Match is not an ETag Candor gave out', ifMatchMalformed()),
  precondition_required: caseOf('If-Match is missing', ifMatchRequired()),
  idempotency_in_progress: caseOf('The first request with this Idempotency-Key has not finished', idempotencyInProgress()),
  idempotency_conflict: caseOf('The Idempotency-Key was used for a different request', idempotencyConflict()),
  duplicate: caseOf(
    'Another record already has the unique value (an e-mail address, an order number)',
    new DomainError('duplicate', 'Another contact of this workspace has this e-mail address.', [{ field: 'email', reason: 'already used by another contact' }]),
  ),
  conflict: caseOf(
    'The change conflicts with the state of the workspace (a name or key already used, the last admin, …)',
    new DomainError('conflict', 'Another pipeline of this workspace has this name.', [{ field: 'name', reason: 'already used by another pipeline' }]),
  ),
  rate_limited: caseOf('Too many attempts: wait Retry-After seconds', rateLimited({ retryAfterSeconds: 30 }, 'Too many attempts; wait before trying again.')),
  jobs_unavailable: caseOf(
    'The request needs background jobs, and this process runs none (a server runs them)',
    new DomainError('jobs_unavailable', 'Background imports need the job runner of a running server; send the file without background=true.', [
      { field: 'background', reason: 'no job runner' },
    ]),
  ),
  result_too_large: caseOf(
    'The request would sort or return more than the route allows; narrow it',
    new DomainError('result_too_large', 'Sorting by name is allowed on at most 1000 matches; narrow the search or sort by entry order.'),
  ),
} satisfies Record<string, ProblemCase>;

export type ProblemCaseName = keyof typeof problemCases;

/** The domain errors a route may declare in config.problems, with the example each shows. */
const declarable: Partial<Record<DomainErrorCode, ProblemCaseName>> = {
  unauthenticated: 'unauthenticated',
  csrf_failed: 'csrf_failed',
  duplicate: 'duplicate',
  conflict: 'conflict',
  rate_limited: 'rate_limited',
  result_too_large: 'result_too_large',
  jobs_unavailable: 'jobs_unavailable',
  not_found: 'not_found',
  precondition_failed: 'precondition_failed',
};

function declaredCase(code: DomainErrorCode): ProblemCaseName {
  const name = declarable[code];
  if (!name) throw new Error(`No OpenAPI example for the declared problem ${code}; add one to problemCases`);
  return name;
}

function shapeCaseOf(facts: RouteFacts): ProblemCaseName {
  if (facts.hasBody) return 'schema_validation_body';
  if (facts.hasQuery) return 'schema_validation_query';
  return facts.pathParameters.length > 0 ? 'schema_validation_params' : 'schema_validation_headers';
}

/** Every problem the route can answer with, derived from its facts. */
export function problemCasesOf(facts: RouteFacts): ProblemCaseName[] {
  const names: ProblemCaseName[] = [
    ...(facts.validatesShape ? [shapeCaseOf(facts)] : []),
    ...(facts.url.startsWith(apiPrefix) ? (['unknown_parameter'] as const) : []),
    ...(facts.hasBody ? (['malformed_body', 'body_too_large', 'unsupported_media_type'] as const) : []),
    ...(facts.authenticated ? (['unauthenticated', 'forbidden', 'unknown_purpose', 'purpose_not_allowed'] as const) : []),
    ...(facts.authenticated && facts.changesState ? (['csrf_failed'] as const) : []),
    ...(facts.portalSession ? (['unauthenticated'] as const) : []),
    ...(facts.portalSession && facts.changesState ? (['csrf_failed'] as const) : []),
    ...(facts.needsPurpose ? (['purpose_required', 'purpose_not_granted'] as const) : []),
    ...(facts.pathParameters.some((name) => name === 'id' || name === 'key') ? (['not_found'] as const) : []),
    // Every request's headers pass the storable-text check (src/http/storableInput.ts).
    'validation_failed',
    ...(facts.ifMatch ? (['precondition_failed', 'if_match_malformed'] as const) : []),
    ...(facts.ifMatch === 'required' ? (['precondition_required'] as const) : []),
    ...(facts.idempotencyKey ? (['idempotency_in_progress', 'idempotency_conflict'] as const) : []),
    ...facts.problems.map(declaredCase),
  ];
  return [...new Set(names)];
}

export const problemExampleRef = (name: string) => `#/components/examples/${name}`;

/** components.examples: each problem case as an OpenAPI example object. */
export const problemExamples = () =>
  Object.fromEntries(Object.entries(problemCases).map(([name, problemCase]) => [name, { summary: problemCase.when, value: problemCase.problem }]));

type ResponseObject = {
  description: string;
  headers?: Record<string, { type: string; minimum?: number; description: string }>;
  content: Record<string, { schema: { $ref: string }; examples: Record<string, { $ref: string }> }>;
};

/** The route's problem cases as OpenAPI responses by status, each naming its codes and referring to its examples. */
export function problemResponsesOf(names: ProblemCaseName[], problemRef: string): Record<string, ResponseObject> {
  const responses: Record<string, ResponseObject> = {};
  const statusOfCase = (name: ProblemCaseName) => problemCases[name].problem.status;
  for (const status of [...new Set(names.map(statusOfCase))].sort((a, b) => a - b)) {
    const atStatus = names.filter((name) => statusOfCase(name) === status);
    const codes = [...new Set(atStatus.map((name) => problemCases[name].problem.code))];
    responses[String(status)] = {
      description: `${problemCases[atStatus[0]].problem.title}: ${codes.join(', ')}`,
      ...(status === 429 ? { headers: { 'Retry-After': { type: 'integer', minimum: 1, description: 'Seconds to wait before trying again' } } } : {}),
      content: {
        [problemMediaType]: { schema: { $ref: problemRef }, examples: Object.fromEntries(atStatus.map((name) => [name, { $ref: problemExampleRef(name) }])) },
      },
    };
  }
  return responses;
}
