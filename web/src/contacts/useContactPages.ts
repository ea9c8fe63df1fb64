import { type InfiniteData, useInfiniteQuery } from '@tanstack/react-query';
import { api, forPurpose } from '../api/client.ts';
import { dataOf } from '../api/problem.ts';
import type { Contact, ContactList, ContactSearchResult } from '../api/types.ts';
import { withheldByField } from '../privacy/withheldReasons.ts';
import { type ContactFilters, filterQuery } from './contactFilters.ts';
import { type ContactSort, sortParameter } from './contactSort.ts';
import type { ContactSearchCriteria } from './searchCriteria.ts';

export const contactPageSize = 100;

/** A row of the table: the contact and why each of its missing fields is withheld. */
export type ContactRow = { contact: Contact; withheld: Map<string, string> };

/** What the table shows, whether a list or a search: the rows loaded so far, the fields withheld from them, the (capped) count when known. */
export type ContactRows = { rows: ContactRow[]; withheld: Map<string, string>; total: number | undefined; totalIsLowerBound: boolean };

function contactRows(data: InfiniteData<ContactList | ContactSearchResult>, purpose: string): ContactRows {
  const first = data.pages[0] as Partial<ContactList> | undefined;
  return {
    rows: data.pages.flatMap((page): ContactRow[] => {
      const withheld = withheldByField(page.withheld, purpose);
      return page.data.map((contact) => ({ contact, withheld }));
    }),
    withheld: withheldByField(
      data.pages.flatMap((page) => page.withheld),
      purpose,
    ),
    total: first?.total,
    totalIsLowerBound: first?.totalIsLowerBound ?? false,
  };
}

const pageParameters = { initialPageParam: null as string | null, getNextPageParam: (page: { nextCursor: string | null }) => page.nextCursor };

/**
 * The contacts list, page by page along the API's keyset cursor, filtered and sorted on
 * attributes that are never personal values. Keyed by purpose: what one purpose may see is
 * never shown under another. The first page asks for the (capped) count.
 */
export function useContactPages(purpose: string, sort: ContactSort, filters: ContactFilters, userId: string | undefined, enabled: boolean) {
  const query = { ...filterQuery(filters, userId), sort: sortParameter(sort), limit: contactPageSize };
  return useInfiniteQuery({
    queryKey: ['contacts', purpose, 'list', query],
    enabled,
    queryFn: async ({ pageParam }) =>
      dataOf(
        await api.GET('/api/v1/contacts', {
          params: { query: { ...query, ...(pageParam ? { cursor: pageParam } : { count: 'true' }) } },
          headers: forPurpose(purpose),
        }),
      ),
    ...pageParameters,
    select: (data) => contactRows(data, purpose),
  });
}

/**
 * A search by name words, e-mail address or phone number (POST /contacts/search: the values
 * travel in the body, never in an address). Not kept once the user leaves it: typed values
 * are personal data.
 */
export function useContactSearch(purpose: string, criteria: ContactSearchCriteria | null) {
  return useInfiniteQuery({
    queryKey: ['contacts', purpose, 'search', criteria],
    enabled: criteria !== null,
    gcTime: 0,
    queryFn: async ({ pageParam }) =>
      dataOf(
        await api.POST('/api/v1/contacts/search', {
          body: { ...criteria, limit: contactPageSize, ...(pageParam ? { cursor: pageParam } : {}) },
          headers: forPurpose(purpose),
        }),
      ),
    ...pageParameters,
    select: (data) => contactRows(data, purpose),
  });
}
