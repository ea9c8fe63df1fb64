// The keys the contacts list may be sorted by: never a personal value (GET /api/v1/contacts).
export const contactSortKeys = ['createdAt', 'updatedAt', 'lastActivityAt'] as const;
export type ContactSortKey = (typeof contactSortKeys)[number];
export type ContactSort = { key: ContactSortKey; descending: boolean };

export const defaultContactSort: ContactSort = { key: 'createdAt', descending: true };

/** The `sort` parameter as the API (and the page's address) writes it: "-createdAt". */
export const sortParameter = (sort: ContactSort) => `${sort.descending ? '-' : ''}${sort.key}`;

export function parseSort(value: string | null): ContactSort {
  const descending = value?.startsWith('-') ?? false;
  const key = descending ? value?.slice(1) : value;
  return contactSortKeys.find((known) => known === key) ? { key: key as ContactSortKey, descending } : defaultContactSort;
}

/** A click on a column's header: the other direction of the same key, or a new key newest first. */
export const nextSort = (current: ContactSort, key: ContactSortKey): ContactSort =>
  current.key === key ? { key, descending: !current.descending } : { key, descending: true };
