import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, forPurpose } from '../api/client.ts';
import { dataOf } from '../api/problem.ts';

/** How many cards a column loads at a time; the rest come with "Show more". */
export const stageDealPageSize = 25;

// The board's query keys, so a move can update and roll back exactly what the board shows.
export const boardKeys = {
  all: (purpose: string) => ['deals', purpose] as const,
  stage: (purpose: string, pipelineId: string, stageId: string) => ['deals', purpose, 'board', pipelineId, stageId] as const,
  totals: (purpose: string, pipelineId: string) => ['deals', purpose, 'stage-totals', pipelineId] as const,
};

/** The pipelines with their ordered stages, the default first. */
export function usePipelines(purpose: string) {
  return useQuery({
    queryKey: ['pipelines', purpose],
    queryFn: async () => dataOf(await api.GET('/api/v1/pipelines', { headers: forPurpose(purpose) })).data,
  });
}

/** One column: the stage's deals, newest first, page by page along the API's cursor. */
export function useStageDeals(purpose: string, pipelineId: string, stageId: string) {
  return useInfiniteQuery({
    queryKey: boardKeys.stage(purpose, pipelineId, stageId),
    initialPageParam: null as string | null,
    getNextPageParam: (page: { nextCursor: string | null }) => page.nextCursor,
    queryFn: async ({ pageParam }) =>
      dataOf(
        await api.GET('/api/v1/deals', {
          params: { query: { pipelineId, stageId, sort: '-createdAt', limit: stageDealPageSize, ...(pageParam ? { cursor: pageParam } : {}) } },
          headers: forPurpose(purpose),
        }),
      ),
  });
}

/** Each stage's count and sums per currency, counted by the server over all its deals (not only the cards loaded). */
export function useStageTotals(purpose: string, pipelineId: string | undefined) {
  return useQuery({
    queryKey: boardKeys.totals(purpose, pipelineId ?? ''),
    enabled: pipelineId !== undefined,
    queryFn: async () =>
      dataOf(await api.GET('/api/v1/deals/stage-totals', { params: { query: { pipelineId: pipelineId ?? '' } }, headers: forPurpose(purpose) })).data,
  });
}
