import { type InfiniteData, type QueryClient, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, forPurpose } from '../api/client.ts';
import { dataOf, problemIn } from '../api/problem.ts';
import type { Deal, DealList, DealStageTotal } from '../api/types.ts';
import { totalsAfterMove } from './stageTotals.ts';
import { boardKeys } from './useBoard.ts';

type StagePages = InfiniteData<DealList>;
type Move = { deal: Deal; to: string };
/** What the board showed before a move, to put back when the server refuses it. */
type Snapshot = Array<[readonly unknown[], unknown]>;

/** The last move that did not happen: a concurrent change (412, the board was reloaded) or another refusal. */
export type MoveSetback = { kind: 'conflict'; dealName: string } | { kind: 'failed'; dealName: string; error: unknown } | null;

const withoutDeal = (pages: StagePages, id: string): StagePages => ({
  ...pages,
  pages: pages.pages.map((page) => ({ ...page, data: page.data.filter((deal) => deal.id !== id) })),
});

const withDealFirst = (pages: StagePages, deal: Deal): StagePages => ({
  ...pages,
  pages: pages.pages.map((page, index) => ({ ...page, data: [...(index === 0 ? [deal] : []), ...page.data.filter((shown) => shown.id !== deal.id)] })),
});

function showMove(client: QueryClient, purpose: string, { deal, to }: Move): void {
  const keys = { from: boardKeys.stage(purpose, deal.pipelineId, deal.stageId), to: boardKeys.stage(purpose, deal.pipelineId, to) };
  client.setQueryData<StagePages>(keys.from, (pages) => pages && withoutDeal(pages, deal.id));
  client.setQueryData<StagePages>(keys.to, (pages) => pages && withDealFirst(pages, { ...deal, stageId: to }));
  client.setQueryData<DealStageTotal[]>(boardKeys.totals(purpose, deal.pipelineId), (totals) => totals && totalsAfterMove(totals, deal, to));
}

/**
 * Moves a deal to another stage of its pipeline: the board shows the move at once, then
 * PATCHes the deal with If-Match (the version the card was read at). A 412 means someone
 * changed the deal meanwhile: the board is read again and says so. Any other refusal puts
 * the card and the totals back where they were.
 */
export function useMoveDeal(purpose: string) {
  const client = useQueryClient();
  const [setback, setSetback] = useState<MoveSetback>(null);
  const mutation = useMutation({
    mutationFn: async ({ deal, to }: Move) =>
      dataOf(
        await api.PATCH('/api/v1/deals/{id}', {
          params: { path: { id: deal.id }, header: { 'If-Match': `"${deal.version}"` } },
          body: { stageId: to },
          headers: forPurpose(purpose),
        }),
      ).data,
    async onMutate(move): Promise<Snapshot> {
      setSetback(null);
      await client.cancelQueries({ queryKey: boardKeys.all(purpose) });
      const keys = [
        boardKeys.stage(purpose, move.deal.pipelineId, move.deal.stageId),
        boardKeys.stage(purpose, move.deal.pipelineId, move.to),
        boardKeys.totals(purpose, move.deal.pipelineId),
      ];
      const snapshot: Snapshot = keys.map((key) => [key, client.getQueryData(key)]);
      showMove(client, purpose, move);
      return snapshot;
    },
    onSuccess(saved, move) {
      // The card now carries the new version, so a second move sends the right If-Match.
      client.setQueryData<StagePages>(boardKeys.stage(purpose, saved.pipelineId, saved.stageId), (pages) => pages && withDealFirst(pages, saved));
      void client.invalidateQueries({ queryKey: boardKeys.totals(purpose, move.deal.pipelineId) });
    },
    onError(error, move, snapshot) {
      for (const [key, data] of snapshot ?? []) client.setQueryData(key, data);
      if (problemIn(error)?.status === 412) {
        setSetback({ kind: 'conflict', dealName: move.deal.name });
        void client.invalidateQueries({ queryKey: boardKeys.all(purpose) });
      } else {
        setSetback({ kind: 'failed', dealName: move.deal.name, error });
      }
    },
  });
  return { move: (deal: Deal, to: string) => mutation.mutate({ deal, to }), setback, dismiss: () => setSetback(null) };
}
