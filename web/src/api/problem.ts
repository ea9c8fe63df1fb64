/** An error answer of the API: application/problem+json with a stable code and the fields it is about. */
export type Problem = {
  status: number;
  code: string;
  title?: string;
  detail?: string;
  errors?: Array<{ field: string; reason: string }>;
};

/** Thrown by API calls that failed, so TanStack Query's error states carry the problem. */
export class ApiProblem extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title ?? `The server answered ${problem.status}.`);
    this.name = 'ApiProblem';
    this.problem = problem;
  }
}

function problemOf(body: unknown, status: number): Problem {
  if (body !== null && typeof body === 'object' && 'code' in body && typeof body.code === 'string') {
    return { ...(body as Partial<Problem>), status, code: body.code };
  }
  return { status, code: status >= 500 ? 'server_error' : 'request_failed' };
}

/** The data of a successful openapi-fetch call, or an ApiProblem for a failed one. */
export function dataOf<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok) return result.data as T;
  throw new ApiProblem(problemOf(result.error, result.response.status));
}

/** The problem behind an error, when it came from the API. */
export const problemIn = (error: unknown): Problem | null => (error instanceof ApiProblem ? error.problem : null);

/** The reasons the API gave per field of a refused request, for a form's validationErrors (shown next to each field until it is edited). */
export function fieldReasons(error: unknown): Record<string, string> {
  return Object.fromEntries((problemIn(error)?.errors ?? []).map((issue) => [issue.field, issue.reason]));
}
