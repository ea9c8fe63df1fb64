import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, forPurpose } from '../api/client.ts';
import { dataOf } from '../api/problem.ts';
import type { CompanyListQuery } from '../api/types.ts';

export const companyPageSize = 25;

/** The orders GET /companies offers (name, createdAt, updatedAt; "-" for descending), as the sort menu names them. */
export const companySorts = [
  { id: 'name', name: 'Name, A to Z' },
  { id: '-name', name: 'Name, Z to A' },
  { id: '-createdAt', name: 'Newest first' },
  { id: 'createdAt', name: 'Oldest first' },
  { id: '-updatedAt', name: 'Recently changed' },
];
export const defaultCompanySort = 'name';

export const parseCompanySort = (value: string | null): string => companySorts.find((sort) => sort.id === value)?.id ?? defaultCompanySort;

/** The companies, page by page along the API's cursor, in the chosen order; narrowed to a name prefix when one is typed. The first page asks for the (capped) count. */
export function useCompanyPages(purpose: string, sort: string, namePrefix: string) {
  const query: CompanyListQuery = { sort, limit: companyPageSize, ...(namePrefix ? { namePrefix } : {}) };
  return useInfiniteQuery({
    queryKey: ['companies', purpose, 'list', query],
    initialPageParam: null as string | null,
    getNextPageParam: (page: { nextCursor: string | null }) => page.nextCursor,
    queryFn: async ({ pageParam }) =>
      dataOf(
        await api.GET('/api/v1/companies', {
          params: { query: { ...query, ...(pageParam ? { cursor: pageParam } : { count: 'true' }) } },
          headers: forPurpose(purpose),
        }),
      ),
  });
}

/** The people who work for the company that the purpose may process (the others are not listed). */
export function useCompanyContacts(purpose: string, companyId: string) {
  return useQuery({
    queryKey: ['contacts', purpose, 'of-company', companyId],
    queryFn: async () =>
      dataOf(await api.GET('/api/v1/contacts', { params: { query: { companyId, limit: 100, count: 'true' } }, headers: forPurpose(purpose) })),
  });
}
