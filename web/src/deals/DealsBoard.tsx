import {
  type Announcements,
  DndContext,
  type DragEndEvent,
  type DragStartEvent,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  type ScreenReaderInstructions,
  useSensor,
  useSensors,
} from '@dnd-kit/core';
import { type RefObject, useRef, useState } from 'react';
import type { Deal, DealStageTotal, Pipeline } from '../api/types.ts';
import { boardKeyboardCoordinates } from './boardKeyboard.ts';
import { DealCardBody } from './DealCard.tsx';
import { StageColumn } from './StageColumn.tsx';
import { figuresOf } from './stageTotals.ts';

const instructions: ScreenReaderInstructions = {
  draggable:
    'To move this deal to another stage, press space to pick it up, the left and right arrow keys to choose the stage, space again to drop it there, or escape to put it back.',
};

const dealIn = (data: { current?: Record<string, unknown> } | undefined): Deal | undefined => data?.current?.deal as Deal | undefined;

/**
 * What a screen reader hears while a card moves, in the board's words: the deal and the stage
 * names. `lastOver` is the stage last announced: dnd-kit reports the card over its own stage
 * right after it is picked up, which would replace "Picked up …" before it is read.
 */
function announcementsFor(stageName: (id: unknown) => string, lastOver: RefObject<unknown>): Announcements {
  const name = (active: { data: { current?: Record<string, unknown> } }) => dealIn(active.data)?.name ?? 'The deal';
  return {
    onDragStart: ({ active }) => {
      lastOver.current = dealIn(active.data)?.stageId;
      return `Picked up ${name(active)} in ${stageName(lastOver.current)}.`;
    },
    onDragOver: ({ active, over }) => {
      if (over?.id === lastOver.current) return undefined;
      lastOver.current = over?.id;
      return over ? `${name(active)} is over ${stageName(over.id)}.` : `${name(active)} is over no stage.`;
    },
    onDragEnd: ({ active, over }) =>
      over && over.id !== dealIn(active.data)?.stageId
        ? `${name(active)} moved to ${stageName(over.id)}.`
        : `${name(active)} stays in ${stageName(dealIn(active.data)?.stageId)}.`,
    onDragCancel: ({ active }) => `Move cancelled: ${name(active)} stays in ${stageName(dealIn(active.data)?.stageId)}.`,
  };
}

type DealsBoardProps = { purpose: string; pipeline: Pipeline; totals: DealStageTotal[]; onMove(deal: Deal, stageId: string): void };

/** The pipeline's stages side by side, in order; a card dragged onto another stage moves the deal there. */
export function DealsBoard({ purpose, pipeline, totals, onMove }: DealsBoardProps) {
  const [lifted, setLifted] = useState<Deal | null>(null);
  const lastOver = useRef<unknown>(undefined);
  const sensors = useSensors(
    // A press that does not travel is a click (on the company link, say), not a drag.
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor, { coordinateGetter: boardKeyboardCoordinates }),
  );
  const stageNames = new Map(pipeline.stages.map((stage) => [stage.id, stage.name]));
  const stageName = (id: unknown) => stageNames.get(String(id)) ?? 'no stage';

  const onDragStart = ({ active }: DragStartEvent) => setLifted(dealIn(active.data) ?? null);
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    setLifted(null);
    const deal = dealIn(active.data);
    if (deal && over && over.id !== deal.stageId) onMove(deal, String(over.id));
  };

  return (
    <DndContext
      sensors={sensors}
      onDragStart={onDragStart}
      onDragEnd={onDragEnd}
      onDragCancel={() => setLifted(null)}
      accessibility={{ announcements: announcementsFor(stageName, lastOver), screenReaderInstructions: instructions }}
    >
      <div className="board">
        {pipeline.stages.map((stage) => (
          <StageColumn key={stage.id} purpose={purpose} pipelineId={pipeline.id} stage={stage} figures={figuresOf(totals, stage.id)} />
        ))}
      </div>
      <DragOverlay dropAnimation={null}>
        {lifted && (
          <div className="deal-card deal-card-overlay" aria-hidden="true">
            <DealCardBody deal={lifted} purpose={purpose} linkCompany={false} />
          </div>
        )}
      </DragOverlay>
    </DndContext>
  );
}
