import type { Random } from './random.ts';

// Timestamps come from a fixed window rather than the wall clock so that a seed always
// yields identical data; a seeder that wants "recent" data passes its own end date.

export type DemoTimeline = {
  /** Latest instant any generated record may carry. */
  readonly end: Date;
  /** How far back the workspace history reaches. */
  readonly days: number;
};

export const DEFAULT_TIMELINE: DemoTimeline = {
  end: new Date('2026-11-01T00:00:00.000Z'),
  days: 730,
};

const DAY_MS = 86_400_000;

export function timelineStartMs(timeline: DemoTimeline): number {
  return timeline.end.getTime() - timeline.days * DAY_MS;
}

/**
 * A moment in the window, skewed towards the end: a growing business adds more records
 * each month, so uniform timestamps would make the demo's charts look flat.
 */
export function growingInstantMs(rng: Random, timeline: DemoTimeline): number {
  const u = Math.sqrt(rng.next());
  return Math.floor(timelineStartMs(timeline) + u * timeline.days * DAY_MS);
}

/** A moment between `fromMs` and the end of the window, biased towards soon after `fromMs`. */
export function instantAfterMs(rng: Random, fromMs: number, timeline: DemoTimeline): number {
  const endMs = timeline.end.getTime();
  const span = Math.max(0, endMs - fromMs);
  const u = rng.next();
  return Math.floor(fromMs + u * u * span);
}

export function addDaysMs(ms: number, days: number): number {
  return ms + days * DAY_MS;
}

export function assertTimeline(timeline: DemoTimeline): void {
  if (!Number.isFinite(timeline.end.getTime())) throw new RangeError('Timeline end is not a valid date');
  if (!(timeline.days > 0)) throw new RangeError('Timeline must span at least part of a day');
}
