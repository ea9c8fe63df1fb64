import type { AuditQuery } from '../../api/types.ts';

// The query parameters of GET /audit are the API's OpenAPI document's (AuditQuery).
type FilterParam = Exclude<keyof AuditQuery, 'cursor' | 'limit' | 'pseudonym'>;

export type AuditFilter = {
  param: FilterParam;
  label: string;
  description: string;
  /** datetime-local: typed in local time, sent as an ISO instant. */
  input: 'text' | 'datetime-local';
};

/*
 * The viewer's filters, one line each, typed by the API's own parameters: a filter the API
 * does not accept does not compile, so the viewer never sends one it would refuse.
 */
export const auditFilters: readonly AuditFilter[] = [
  { param: 'from', label: 'From', description: 'Entries recorded at or after this moment', input: 'datetime-local' },
  { param: 'to', label: 'To', description: 'Entries recorded before this moment', input: 'datetime-local' },
  { param: 'actor', label: 'Actor', description: "A user's or an API key's id", input: 'text' },
  { param: 'purpose', label: 'Purpose', description: 'The purpose the access was made for, e.g. sales', input: 'text' },
  { param: 'action', label: 'Action', description: 'An action, e.g. contact.read, or all of one kind, e.g. contact.', input: 'text' },
  { param: 'subjectId', label: 'Data subject', description: "A contact's or visitor's id: only the entries that touched their data", input: 'text' },
];

export type AuditFilterValues = Partial<Record<FilterParam, string>>;

/** The filters set in the address (kept there, so a filtered trail can be bookmarked), the viewer's filters only. */
export function filtersFrom(search: URLSearchParams): AuditFilterValues {
  const values: AuditFilterValues = {};
  for (const filter of auditFilters) {
    const value = search.get(filter.param)?.trim();
    if (value) values[filter.param] = value;
  }
  return values;
}

/** The query the API receives for the filters set: a moment typed in local time becomes an ISO instant. */
export function auditQueryOf(values: AuditFilterValues): Partial<AuditQuery> {
  const query: Partial<Record<FilterParam, string>> = {};
  for (const filter of auditFilters) {
    const value = values[filter.param];
    if (value) query[filter.param] = filter.input === 'datetime-local' ? new Date(value).toISOString() : value;
  }
  return query as Partial<AuditQuery>;
}
