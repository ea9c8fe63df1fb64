import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DomainError, type DomainErrorCode, type FieldIssue } from '../shared/domainError.ts';

// The one place where domain error codes become HTTP statuses.
const statusByCode: Record<DomainErrorCode, number> = {
  validation_failed: 422,
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
  configuration_error: 500,
  integrity_error: 500,
};

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
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
  code: string;
  detail: string;
  errors?: FieldIssue[];
  [extension: string]: unknown;
};

function problemBody(status: number, code: string, detail: string, errors?: FieldIssue[], extra: Record<string, unknown> = {}): Problem {
  const body: Problem = { type: `https://candor.dev/problems/${code}`, title: titles[status] ?? 'Error', status, code, detail, ...extra };
  if (errors && errors.length > 0) body.errors = errors;
  return body;
}

export function sendProblem(reply: FastifyReply, status: number, code: string, detail: string, errors?: FieldIssue[], extra: Record<string, unknown> = {}) {
  return reply
    .code(status)
    .type('application/problem+json')
    .send(problemBody(status, code, detail, errors, extra));
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
      return reply.code(problem.status).type('application/problem+json').send(problem);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const context = (error as { validationContext?: string }).validationContext;
      const issues = error.validation.map((issue) => ({ field: fieldPath(context, issue.instancePath), reason: issue.message ?? 'invalid' }));
      return sendProblem(reply, 400, 'validation_failed', issues.map((issue) => `${issue.field}: ${issue.reason}`).join('; '), issues);
    }
    const fastifyError = error as FastifyError;
    if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendProblem(reply, 413, 'payload_too_large', 'The request body is larger than this route accepts.', [{ field: 'body', reason: 'too large' }]);
    }
    if (fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return sendProblem(reply, 415, 'unsupported_media_type', 'Send the body as application/json.', [{ field: 'content-type', reason: 'unsupported' }]);
    }
    if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
      // Fastify's own client errors (malformed JSON, empty body) carry no personal values.
      return sendProblem(reply, fastifyError.statusCode, 'bad_request', fastifyError.message, [{ field: 'body', reason: fastifyError.message }]);
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
      return sendProblem(reply, 422, 'validation_failed', `A value in the request cannot be stored: ${dataException}.`, [
        { field: 'request', reason: dataException },
      ]);
    }
    request.log.error({ errorName: error.name, sqlState: pgError.code, constraint: pgError.constraint, stack: stackWithoutMessage(error) }, 'request failed');
    return sendProblem(reply, 500, 'internal_error', 'Something went wrong on our side. The error has been logged without personal data.');
  });
}

/** The 404 of a URL no route serves (the web app's fallback, src/http/webApp.ts, sends it for the server's own paths). */
export function sendRouteNotFound(request: FastifyRequest, reply: FastifyReply) {
  return sendProblem(reply, 404, 'route_not_found', `No route ${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}.`);
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
