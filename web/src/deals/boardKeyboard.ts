import type { KeyboardCoordinateGetter } from '@dnd-kit/core';

type ColumnRect = { left: number; width: number };

/**
 * The column an arrow key moves a picked-up card to: the next one to the right or left of
 * the column it is over, or none at the board's edge. Columns are found by where they are
 * on screen, so this holds however the board wraps or scrolls.
 */
export function neighbourColumn<Id>(columns: Map<Id, ColumnRect>, overId: Id | undefined, direction: 1 | -1): Id | undefined {
  const ordered = [...columns.entries()].sort(([, a], [, b]) => a.left - b.left).map(([id]) => id);
  const index = overId === undefined ? -1 : ordered.indexOf(overId);
  if (index === -1) return undefined;
  return ordered[index + direction];
}

const directions: Record<string, 1 | -1> = { ArrowRight: 1, ArrowLeft: -1 };

/**
 * dnd-kit's keyboard sensor moves a card 25 pixels per arrow press by default; on a board a
 * press moves it to the centre of the neighbouring stage instead. Up and down do nothing:
 * the order within a stage is the newest first, not a choice.
 */
export const boardKeyboardCoordinates: KeyboardCoordinateGetter = (event, { context, currentCoordinates }) => {
  const direction = directions[event.code];
  if (direction === undefined) return undefined;
  event.preventDefault();
  const target = neighbourColumn(context.droppableRects, context.over?.id, direction);
  const rect = target === undefined ? undefined : context.droppableRects.get(target);
  if (!rect) return currentCoordinates;
  const cardWidth = context.collisionRect?.width ?? 0;
  return { x: rect.left + (rect.width - cardWidth) / 2, y: currentCoordinates.y };
};
