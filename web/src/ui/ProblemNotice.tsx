import { problemIn } from '../api/problem.ts';

const statusText: Record<number, string> = {
  403: 'Your role may not do this.',
  404: 'This record does not exist, or is no longer there.',
  429: 'Too many requests: wait a moment and try again.',
};

/** An error as the user should read it: the API's own explanation, and each field it names. */
export function ProblemNotice({ error, title = 'That did not work' }: { error: unknown; title?: string }) {
  const problem = problemIn(error);
  const detail = problem?.detail ?? (problem ? statusText[problem.status] : undefined) ?? 'Candor could not be reached. Check the connection and try again.';
  return (
    <div className="notice notice-error" role="alert">
      <p className="notice-title">{title}</p>
      <p>{detail}</p>
      {problem?.errors && problem.errors.length > 0 && (
        <ul>
          {problem.errors.map((issue) => (
            <li key={`${issue.field}:${issue.reason}`}>
              <code>{issue.field}</code>: {issue.reason}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
