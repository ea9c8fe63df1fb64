// Which of the contact's fields the table shows, and in what order, besides the name (always
// first: it is the link to the contact). Column ids are the API's field names, as a saved
// view stores them (`customFields.<key>` for a custom field of the workspace).

export const standardColumns = [
  'firstName',
  'lastName',
  'email',
  'phone',
  'jobTitle',
  'city',
  'country',
  'externalId',
  'lifecycleStage',
  'source',
  'lastActivityAt',
  'createdAt',
  'updatedAt',
] as const;
export type StandardColumn = (typeof standardColumns)[number];

/** A column the user may choose, named as its header. */
export type ColumnChoice = { id: string; label: string };

/** What the table shows when no choice was made (no `columns` in the address, or a view with none). */
export const defaultColumns: readonly string[] = ['email', 'phone', 'jobTitle', 'city', 'lifecycleStage', 'lastActivityAt', 'createdAt', 'updatedAt'];

// The API's custom field key rule (snake_case), so a key never holds the list's comma.
const customColumn = /^customFields\.[a-z][a-z0-9_]{0,62}$/;

export const isStandardColumn = (id: string): id is StandardColumn => (standardColumns as readonly string[]).includes(id);
export const isColumnId = (id: string): boolean => isStandardColumn(id) || customColumn.test(id);

/** The custom field key of a `customFields.<key>` column, or null for a standard one. */
export const customFieldKeyOf = (id: string): string | null => (customColumn.test(id) ? id.slice('customFields.'.length) : null);

/** Column ids as given (an address or a view), keeping only well-formed ones, once each; none left is the default. */
export function chosenColumns(ids: readonly string[]): string[] {
  const kept = [...new Set(ids.filter(isColumnId))];
  return kept.length > 0 ? kept : [...defaultColumns];
}

/** The `columns` address parameter ("email,phone,customFields.tier"); absent is the default. */
export const parseColumns = (value: string | null): string[] => chosenColumns(value ? value.split(',') : []);

export const isDefaultColumns = (columns: readonly string[]): boolean =>
  columns.length === defaultColumns.length && columns.every((id, index) => id === defaultColumns[index]);

/** The columns as address parameters: nothing for the default, so plain /contacts stays plain. */
export const columnParameters = (columns: readonly string[]): Record<string, string> => (isDefaultColumns(columns) ? {} : { columns: columns.join(',') });

/** A column shown (at the end) or hidden; the last shown column stays, so the table always has one besides the name. */
export function toggleColumn(columns: readonly string[], id: string, shown: boolean): string[] {
  if (shown) return columns.includes(id) ? [...columns] : [...columns, id];
  return columns.length > 1 ? columns.filter((column) => column !== id) : [...columns];
}

/** A shown column one place earlier (-1) or later (+1); at either end it stays. */
export function moveColumn(columns: readonly string[], id: string, by: -1 | 1): string[] {
  const from = columns.indexOf(id);
  const to = from + by;
  if (from < 0 || to < 0 || to >= columns.length) return [...columns];
  const next = [...columns];
  [next[from], next[to]] = [next[to], next[from]];
  return next;
}
