import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import { dataOf } from '../api/problem.ts';
import type { Purpose } from '../api/types.ts';

/** The workspace's purposes with their legal basis and description (configuration: read without a purpose). */
export function usePurposes() {
  return useQuery({
    queryKey: ['configuration', 'purposes'],
    queryFn: async () => dataOf(await api.GET('/api/v1/purposes')).data,
    staleTime: 5 * 60_000,
    select: (purposes): Map<string, Purpose> => new Map(purposes.map((purpose) => [purpose.key, purpose])),
  });
}
