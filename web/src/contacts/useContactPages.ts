import { useInfiniteQuery } from '@tanstack/react-query';
import { api, forPurpose } from '../api/client.ts';
import { dataOf } from '../api/problem.ts';
import type { Contact } from '../api/types.ts';
import { withheldByField } from '../privacy/withheldReasons.ts';
import { type ContactSort, sortParameter } from './contactSort.ts';

export const contactPageSize = 100;

/** A row of the table: the contact and why each of its missing fields is withheld. */
export type ContactRow = { contact: Contact; withheld: Map<string, string> };

/**
 * The contacts list, page by page along the API's keyset cursor. Keyed by purpose: what one
 * purpose may see is never shown under another. The first page asks for the (capped) count.
 */
export function useContactPages(purpose: string, sort: ContactSort) {
  return useInfiniteQuery({
    queryKey: ['contacts', purpose, 'list', sortParameter(sort)],
    queryFn: async ({ pageParam }) =>
      dataOf(
        await api.GET('/api/v1/contacts', {
          params: { query: { sort: sortParameter(sort), limit: contactPageSize, ...(pageParam ? { cursor: pageParam } : { count: 'true' }) } },
          headers: forPurpose(purpose),
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    select: (data) => ({
      rows: data.pages.flatMap((page): ContactRow[] => {
        const withheld = withheldByField(page.withheld, purpose);
        return page.data.map((contact) => ({ contact, withheld }));
      }),
      withheld: withheldByField(
        data.pages.flatMap((page) => page.withheld),
        purpose,
      ),
      total: data.pages[0]?.total,
      totalIsLowerBound: data.pages[0]?.totalIsLowerBound ?? false,
    }),
  });
}
