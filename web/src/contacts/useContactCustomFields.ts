import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import { dataOf } from '../api/problem.ts';

/**
 * The workspace's custom fields of contacts (their keys and labels, never values): the
 * columns the table may show besides the standard ones. A role that may not list them gets
 * none to choose, and a column already chosen shows under its key.
 */
export function useContactCustomFields() {
  return useQuery({
    queryKey: ['custom-fields', 'contact'],
    staleTime: 5 * 60_000,
    queryFn: async () => dataOf(await api.GET('/api/v1/custom-fields', { params: { query: { object: 'contact' } } })).data,
  });
}
