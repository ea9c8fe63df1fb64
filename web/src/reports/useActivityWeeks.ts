import { useQuery } from '@tanstack/react-query';
import { api, forPurpose } from '../api/client.ts';
import { dataOf } from '../api/problem.ts';

/** How many activities occurred in each of the last twelve weeks: one aggregate request, no activity read. */
export function useActivityWeeks(purpose: string) {
  return useQuery({
    queryKey: ['activities', purpose, 'weekly-counts'],
    queryFn: async () => dataOf(await api.GET('/api/v1/activities/weekly-counts', { params: { query: { weeks: 12 } }, headers: forPurpose(purpose) })).data,
  });
}
