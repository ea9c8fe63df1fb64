import { useDroppable } from '@dnd-kit/core';
import { Button } from 'react-aria-components';
import type { Pipeline } from '../api/types.ts';
import { formatCount, formatMoney } from '../ui/format.ts';
import { Loading } from '../ui/Loading.tsx';
import { ProblemNotice } from '../ui/ProblemNotice.tsx';
import { DealCard } from './DealCard.tsx';
import type { StageFigures } from './stageTotals.ts';
import { useStageDeals } from './useBoard.ts';

type Stage = Pipeline['stages'][number];

/** The header's figures in words: "3 deals · €12,500.00 · $700.00". */
export function figuresText({ count, amounts }: StageFigures): string {
  return [`${formatCount(count)} ${count === 1 ? 'deal' : 'deals'}`, ...amounts.map((amount) => formatMoney(amount.amountMinor, amount.currency))].join(' · ');
}

/** One stage of the board: its name and totals, its deals (newest first, a page at a time), and the place a card is dropped on. */
export function StageColumn({ purpose, pipelineId, stage, figures }: { purpose: string; pipelineId: string; stage: Stage; figures: StageFigures }) {
  const { setNodeRef, isOver } = useDroppable({ id: stage.id, data: { stage } });
  const deals = useStageDeals(purpose, pipelineId, stage.id);
  const shown = deals.data?.pages.flatMap((page) => page.data) ?? [];
  const headingId = `stage-${stage.id}`;
  return (
    <section ref={setNodeRef} className={isOver ? 'stage-column stage-column-over' : 'stage-column'} aria-labelledby={headingId}>
      <header className="stage-header">
        <h2 id={headingId}>{stage.name}</h2>
        <p className="stage-figures">{figuresText(figures)}</p>
      </header>
      {deals.isPending ? (
        <Loading what={`the deals in ${stage.name}`} />
      ) : deals.isError ? (
        <ProblemNotice error={deals.error} title="These deals could not be loaded" />
      ) : shown.length === 0 ? (
        <p className="empty-state">No deals in this stage.</p>
      ) : (
        <ul className="stage-cards">
          {shown.map((deal) => (
            <DealCard key={deal.id} deal={deal} purpose={purpose} />
          ))}
        </ul>
      )}
      {deals.hasNextPage && (
        <Button className="button button-quiet stage-more" isPending={deals.isFetchingNextPage} onPress={() => void deals.fetchNextPage()}>
          Show more deals in {stage.name}
          {figures.count > shown.length ? ` (${formatCount(figures.count - shown.length)} more)` : ''}
        </Button>
      )}
    </section>
  );
}
