import { useQuery } from '@tanstack/react-query';
import { api, forPurpose } from '../api/client.ts';
import { dataOf } from '../api/problem.ts';
import { type LifecycleStage, stageLabels } from '../contacts/contactFilters.ts';
import type { StageCount } from './lifecycleChartData.ts';

const stages = Object.keys(stageLabels) as LifecycleStage[];

/**
 * How many contacts the purpose may process are in each lifecycle stage: the contacts list
 * filtered by stage with count=true, one request per stage. The API has no count-only mode,
 * so each asks for the smallest page (one contact) and the page is not read.
 */
export function useLifecycleCounts(purpose: string) {
  return useQuery({
    queryKey: ['contacts', purpose, 'lifecycle-counts'],
    queryFn: async (): Promise<StageCount[]> =>
      Promise.all(
        stages.map(async (stage) => {
          const page = dataOf(
            await api.GET('/api/v1/contacts', { params: { query: { lifecycleStage: stage, limit: 1, count: 'true' } }, headers: forPurpose(purpose) }),
          );
          return { stage, total: page.total ?? 0, totalIsLowerBound: page.totalIsLowerBound ?? false };
        }),
      ),
  });
}
