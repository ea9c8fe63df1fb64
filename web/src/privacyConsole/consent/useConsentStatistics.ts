import { useQuery } from '@tanstack/react-query';
import { api, forPurpose } from '../../api/client.ts';
import { dataOf } from '../../api/problem.ts';
import type { ConsentInterval } from './consentDashboardData.ts';

/** The consent ledger counted per purpose over the last twelve weeks or months, and now: one aggregate request, no person read. */
export function useConsentStatistics(purpose: string, interval: ConsentInterval) {
  return useQuery({
    queryKey: ['consents', purpose, 'statistics', interval],
    queryFn: async () => dataOf(await api.GET('/api/v1/consents/statistics', { params: { query: { interval } }, headers: forPurpose(purpose) })),
  });
}
