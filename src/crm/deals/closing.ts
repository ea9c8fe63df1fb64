import type { StageOutcome } from '../pipelines/stagePlan.ts';

/**
 * When a deal was closed, after it moves to a stage with `next` outcome: an open stage
 * reopens it (no closedAt); reaching won or lost closes it now; moving between two stages
 * of the same closed outcome keeps the original closing time.
 */
export function closedAtAfterMove(previous: StageOutcome | null, next: StageOutcome, closedAt: Date | null, now: Date): Date | null {
  if (next === 'open') return null;
  if (previous === next && closedAt) return closedAt;
  return now;
}
