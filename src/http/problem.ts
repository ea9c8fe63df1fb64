import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DomainError, type DomainErrorCode, type FieldIssue } from '../shared/domainError.ts';

// The one place where domain error codes become HTTP statuses.
const statusByCode: Record<DomainErrorCode, number> = {
  validation_failed: 422,
  unknown_parameter: 400,
  not_found: 404,
  conflict: 409,
  duplicate: 409,
  precondition_failed: 412,
  precondition_required: 428,
  unauthenticated: 401,
  forbidden: 403,
  csrf_failed: 403,
  rate_limited: 429,
  unknown_purpose: 400,
  purpose_not_allowed: 403,
  purpose_required: 400,
  purpose_not_granted: 403,
  idempotency_conflict: 422,
  idempotency_in_progress: 409,
  payload_too_large: 413,
  result_too_large: 422,
  database_locked: 503,
  jobs_unavailable: 503,
  configuration_error: 500,
  integrity_error: 500,
  suppressed: 409,
};

export const problemMediaType = 'application/problem+json';

/** The HTTP status of a domain error code. */
export const statusOf = (code: DomainErrorCode): number => statusByCode[code];

/**
 * The problems the HTTP layer raises itself, before a handler or a service runs: their
 * status and code, used by the error handler below and by the OpenAPI document
 * (src/http/openapi/problemResponses.ts), so the two cannot disagree.
 */
export const requestProblems = {
  /** A request part does not match its route's schema. */
  // Shape errors found by a schema and semantic ones found by a service are one kind of
  // mistake, so they share the one status of validation_failed.
  schemaValidation: { status: 422, code: 'validation_failed' },
  /** Fastify's own client errors: malformed JSON, an empty body. */
  malformedRequest: { status: 400, code: 'bad_request' },
  bodyTooLarge: { status: 413, code: 'payload_too_large' },
  unsupportedMediaType: { status: 415, code: 'unsupported_media_type' },
  routeNotFound: { status: 404, code: 'route_not_found' },
  /** The router refused the URL before matching a route: a path segment longer than any id, or malformed percent-encoding. */
  uriTooLong: { status: 414, code: 'uri_too_long' },
  badUrl: { status: 400, code: 'bad_url' },
  internalError: { status: 500, code: 'internal_error' },
} as const;

/** Every code a problem document can carry. */
export const problemCodes = [
  ...new Set([...(Object.keys(statusByCode) as DomainErrorCode[]), ...Object.values(requestProblems).map((problem) => problem.code)]),
];
export type ProblemCode = (typeof problemCodes)[number];

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export type Problem = {
  type: string;
  title: string;
  status: number;
  code: ProblemCode;
  detail: string;
  errors?: FieldIssue[];
  [extension: string]: unknown;
};

export function problemBody(status: number, code: ProblemCode, detail: string, errors?: FieldIssue[], extra: Record<string, unknown> = {}): Problem {
  const body: Problem = { type: `https://candor.dev/problems/${code}`, title: titles[status] ?? 'Error', status, code, detail, ...extra };
  if (errors && errors.length > 0) body.errors = errors;
  return body;
}

export function sendProblem(
  reply: FastifyReply,
  status: number,
  code: ProblemCode,
  detail: string,
  errors?: FieldIssue[],
  extra: Record<string, unknown> = {},
) {
  return reply
    .code(status)
    .type(problemMediaType)
    .send(problemBody(status, code, detail, errors, extra));
}

/** Sends one of the problems the HTTP layer raises itself (requestProblems). */
export function sendRequestProblem(reply: FastifyReply, kind: keyof typeof requestProblems, detail: string, errors?: FieldIssue[]) {
  const { status, code } = requestProblems[kind];
  return sendProblem(reply, status, code, detail, errors);
}

/** The problem document of a domain error, as the error handler sends it (batch results carry one per refused item). */
export function domainProblem(error: DomainError): Problem {
  return problemBody(statusByCode[error.code], error.code, error.message, error.issues, error.detail ? { ...error.detail } : {});
}

function fieldPath(context: string | undefined, instancePath: string): string {
  const path = instancePath.replace(/^\//, '').replaceAll('/', '.');
  const prefix = context && context !== 'body' ? `${context}` : '';
  if (!path) return prefix || 'body';
  return prefix ? `${prefix}.${path}` : path;
}

export function registerProblemHandler(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError | DomainError | Error, request, reply) => {
    if (error instanceof DomainError) {
      const problem = domainProblem(error);
      if (problem.status === 429 && error.detail?.retryAfterSeconds) reply.header('retry-after', String(error.detail.retryAfterSeconds));
      return reply.code(problem.status).type(problemMediaType).send(problem);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const context = (error as { validationContext?: string }).validationContext;
      const issues = error.validation.map((issue) => ({ field: fieldPath(context, issue.instancePath), reason: issue.message ?? 'invalid' }));
      return sendRequestProblem(reply, 'schemaValidation', issues.map((issue) => `${issue.field}: ${issue.reason}`).join('; '), issues);
    }
    const fastifyError = error as FastifyError;
    if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendRequestProblem(reply, 'bodyTooLarge', 'The request body is larger than this route accepts.', [{ field: 'body', reason: 'too large' }]);
    }
    if (fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return sendRequestProblem(reply, 'unsupportedMediaType', 'Send the body as application/json.', [{ field: 'content-type', reason: 'unsupported' }]);
    }
    if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
      // Fastify's own client errors (malformed JSON, empty body) carry no personal values.
      return sendProblem(reply, fastifyError.statusCode, requestProblems.malformedRequest.code, fastifyError.message, [
        { field: 'body', reason: fastifyError.message },
      ]);
    }
    // Database errors can quote values (unique-violation details), so only the SQLSTATE and
    // constraint name are logged, never the message.
    // drizzle wraps driver errors; the SQLSTATE and constraint are on the cause.
    const pgError = ((error as { cause?: unknown }).cause ?? error) as { code?: string; constraint?: string };
    const dataException = dataExceptionReason(pgError.code);
    if (dataException) {
      // A value the request carried that validation let through: the client's to fix, but
      // logged (SQLSTATE only) because validation should have caught it first.
      request.log.warn({ errorName: error.name, sqlState: pgError.code, stack: stackWithoutMessage(error) }, 'request refused by the database');
      return sendProblem(reply, statusOf('validation_failed'), 'validation_failed', `A value in the request cannot be stored: ${dataException}.`, [
        { field: 'request', reason: dataException },
      ]);
    }
    request.log.error({ errorName: error.name, sqlState: pgError.code, constraint: pgError.constraint, stack: stackWithoutMessage(error) }, 'request failed');
    return sendRequestProblem(reply, 'internalError', 'Something went wrong on our side. The error has been logged without personal data.');
  });
}

/** The 404 of a URL no route serves (the web app's fallback, src/http/webApp.ts, sends it for the server's own paths). */
export function sendRouteNotFound(request: FastifyRequest, reply: FastifyReply) {
  return sendRequestProblem(reply, 'routeNotFound', `No route ${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}.`);
}

/** Fastify's frameworkErrors: URLs its router refuses, answered as problems like every other error. */
export function sendFrameworkProblem(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return sendRequestProblem(reply, 'uriTooLong', 'A path segment is longer than any id or key Candor gives out.', [{ field: 'path', reason: 'too long' }]);
  }
  if (error.code === 'FST_ERR_BAD_URL') {
    return sendRequestProblem(reply, 'badUrl', 'The URL is not valid (malformed percent-encoding).', [{ field: 'path', reason: 'malformed' }]);
  }
  return sendRequestProblem(reply, 'internalError', 'Something went wrong on our side.');
}

// SQLSTATE class 22 ("data exception") is raised by a value, not by the server's state:
// malformed or out-of-range input that reached a query. Reasons never quote the value.
const dataExceptionReasons = new Map([
  ['22001', 'a value is longer than its field allows'],
  ['22003', 'a number is out of range'],
  ['22007', 'a date or time is malformed'],
  ['22008', 'a date or time is out of range'],
  ['22021', 'text holds a character that cannot be stored'],
  ['22P02', 'a value does not have the form its field needs'],
  ['22P05', 'text holds a character that cannot be stored'],
]);

export function dataExceptionReason(sqlState: string | undefined): string | null {
  if (typeof sqlState !== 'string' || !sqlState.startsWith('22')) return null;
  return dataExceptionReasons.get(sqlState) ?? 'a value cannot be stored';
}

// Only the call frames: everything before the first frame is the message, and database
// drivers put query parameters (personal values) there.
function stackWithoutMessage(error: Error): string | undefined {
  const lines = error.stack?.split('\n') ?? [];
  const firstFrame = lines.findIndex((line) => line.startsWith('    at '));
  return firstFrame < 0 ? undefined : lines.slice(firstFrame, firstFrame + 8).join('\n');
}
