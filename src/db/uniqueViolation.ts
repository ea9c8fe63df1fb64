/**
 * Whether `error` (or a cause drizzle wrapped around it) is PostgreSQL refusing a row for
 * the unique index `indexName`. Its message quotes the clashing values, so callers replace
 * it with a domain error naming the field instead of passing it on.
 */
export function violatesUniqueIndex(error: unknown, indexName: string): boolean {
  for (let cause: unknown = error; cause && typeof cause === 'object'; cause = (cause as { cause?: unknown }).cause) {
    const { code, constraint } = cause as { code?: string; constraint?: string };
    if (code === '23505' && constraint === indexName) return true;
  }
  return false;
}
