import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { dataOf } from '../../api/problem.ts';
import { type AuditFilterValues, auditQueryOf } from './auditFilters.ts';

const pageSize = 50;

/** The audit trail in sequence order (oldest first, as the API lists it), a page at a time along its cursor. */
export function useAuditEntries(filters: AuditFilterValues) {
  return useInfiniteQuery({
    queryKey: ['audit', 'entries', filters],
    queryFn: async ({ pageParam }) =>
      dataOf(await api.GET('/api/v1/audit', { params: { query: { ...auditQueryOf(filters), limit: pageSize, ...(pageParam ? { cursor: pageParam } : {}) } } })),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    // Every read of the trail is itself recorded: read it when asked, not whenever the window regains focus.
    refetchOnWindowFocus: false,
    staleTime: 0,
  });
}

/** The workspace's users by id, to name who acted (an entry holds the actor's id only). */
export function useUserNames() {
  return useQuery({
    queryKey: ['configuration', 'users', 'names'],
    queryFn: async () => dataOf(await api.GET('/api/v1/users', { params: { query: { limit: 200 } } })).data,
    select: (users) => new Map(users.map((user) => [user.id, user.displayName])),
  });
}
