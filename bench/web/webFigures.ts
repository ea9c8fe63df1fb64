import type { Spread } from '../measure.ts';

/**
 * A figure of the web app measured in Chromium. Unlike the database figures (bench/report.ts),
 * most have no independent baseline to divide by: a count of rows, a frame time, a download
 * size. Where one has a baseline (the in-app move against a fetch() of the same call), its
 * ratio is a figure of its own, with the two sides beside it.
 */
export type WebFigure = {
  name: string;
  value: number;
  unit: string;
  /** e.g. "<= 2", "< 100"; null when the figure is only reported. */
  target: string | null;
  samples: number;
  /** How it was measured, in words. */
  how: string;
  /** For a ratio: the median, min–max and quartiles of the per-pair ratios. */
  spread?: Spread;
};

export type WebResults = {
  measuredAt: string;
  contacts: number;
  database: string;
  browser: string;
  /** Load average of the machine (1, 5, 15 min) when the measuring started and ended. */
  loadAverage: { start: number[]; end: number[] };
  figures: WebFigure[];
  notes: string[];
};

/** Whether a figure meets its target ("<= 2", "< 100", ">= 0.5", "> 1"); null without one. */
export function webTargetMet(figure: Pick<WebFigure, 'value' | 'target'>): boolean | null {
  if (!figure.target) return null;
  const [operator, text] = figure.target.split(' ');
  const bound = Number(text);
  if (Number.isNaN(bound)) throw new Error(`target ${figure.target} has no number`);
  switch (operator) {
    case '<':
      return figure.value < bound;
    case '<=':
      return figure.value <= bound;
    case '>':
      return figure.value > bound;
    case '>=':
      return figure.value >= bound;
    default:
      throw new Error(`target ${figure.target} has no known comparison`);
  }
}

/** Kilobytes (1,000 bytes) as the size targets name them. */
export const kilobytes = (bytes: number) => bytes / 1000;
