import { problemIn } from '../api/problem.ts';

const statusText: Record<number, string> = {
  403: 'Your role may not do this.',
  404: 'This record does not exist, or is no longer there.',
  429: 'Too many requests: wait a moment and try again.',
};

/**
 * An error as the user should read it: the API's own explanation, and each field it names.
 * In a form that shows the field reasons next to its fields (`fieldsShown`), it says so instead.
 */
export function ProblemNotice({ error, title = 'That did not work', fieldsShown = false }: { error: unknown; title?: string; fieldsShown?: boolean }) {
  const problem = problemIn(error);
  const issues = problem?.errors ?? [];
  if (fieldsShown && issues.length > 0) {
    return (
      <div className="notice notice-error" role="alert">
        <p className="notice-title">{title}</p>
        <p>Correct the {issues.length === 1 ? 'field' : 'fields'} marked above.</p>
      </div>
    );
  }
  const detail = problem?.detail ?? (problem ? statusText[problem.status] : undefined) ?? 'Candor could not be reached. Check the connection and try again.';
  return (
    <div className="notice notice-error" role="alert">
      <p className="notice-title">{title}</p>
      <p>{detail}</p>
      {issues.length > 0 && (
        <ul>
          {issues.map((issue) => (
            <li key={`${issue.field}:${issue.reason}`}>
              <code>{issue.field}</code>: {issue.reason}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
