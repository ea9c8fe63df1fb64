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

/** The reason the API gave for one field of a refused request, to show next to that field. */
export const fieldReason = (error: unknown, field: string): string | undefined => problemIn(error)?.errors?.find((issue) => issue.field === field)?.reason;
