import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Spread } from './measure.ts';
import { type WebResults, webTargetMet } from './web/webFigures.ts';

export type Figure = {
  name: string;
  candor: number;
  baseline: number;
  unit: string;
  /** candor / baseline for latencies and throughputs alike; compare with target. */
  ratio: number;
  /** e.g. ">= 0.5" or "<= 3"; null when the figure has no target. */
  target: string | null;
  transport: 'in-process' | 'http';
  /** What the baseline is, in words (e.g. "raw multi-row INSERT, 1,000 rows per statement"). */
  baselineIs: string;
  samples: number;
  /** Contacts in the workspace measured (for growth figures: the larger size). */
  contacts?: number;
  /** When `ratio` is a median of per-round ratios: their median, min–max and quartiles. */
  spread?: Spread;
  /** Set when the figure could not be measured (e.g. an API route that does not exist yet): why. */
  notAvailable?: string;
  /** Set on a figure kept from an earlier run when a later `--only` run rewrote the file: when it was measured. */
  measuredAt?: string;
};

export type Results = {
  measuredAt: string;
  database: string;
  node: string;
  /** Contacts seeded in the measured workspace(s), e.g. [2000] or [2000, 100000]. */
  sizes?: number[];
  figures: Figure[];
  notes: string[];
  /** The web app's figures in Chromium (bench/web/), from the last `--only web` run. */
  web?: WebResults;
};

/** A figure whose ratio is the median of per-round ratios, with their spread. */
export function roundsFigure(fields: Omit<Figure, 'ratio' | 'spread' | 'samples'> & { samples?: number }, spread: Spread): Figure {
  return { ...fields, ratio: spread.median, spread, samples: fields.samples ?? spread.rounds };
}

export const notAvailableFigure = (name: string, baselineIs: string, reason: string, unit: string): Figure => ({
  name,
  candor: Number.NaN,
  baseline: Number.NaN,
  unit,
  ratio: Number.NaN,
  target: null,
  transport: 'in-process',
  baselineIs,
  samples: 0,
  notAvailable: reason,
});

export function meetsTarget(figure: Figure): boolean | null {
  if (!figure.target || figure.notAvailable) return null;
  const [operator, bound] = figure.target.split(' ');
  return operator === '>=' ? figure.ratio >= Number(bound) : figure.ratio <= Number(bound);
}

const formatNumber = (value: number) => (Number.isNaN(value) ? 'n/a' : value >= 100 ? Math.round(value).toLocaleString('en') : value.toFixed(2));

export function printTable(results: Results, write: (line: string) => void): void {
  write(`Candor benchmark — ${results.database}, Node ${results.node}, ${results.measuredAt}`);
  const header = ['figure', 'transport', 'candor', 'baseline', 'unit', 'ratio', 'spread (min–max)', 'target', 'ok'];
  const rows = results.figures.map((figure) => {
    const met = meetsTarget(figure);
    return [
      figure.name,
      figure.transport,
      formatNumber(figure.candor),
      formatNumber(figure.baseline),
      figure.unit,
      figure.notAvailable ? 'n/a' : figure.ratio.toFixed(2),
      figure.spread ? `${figure.spread.min.toFixed(2)}–${figure.spread.max.toFixed(2)}` : '',
      figure.target ?? '—',
      met === null ? '' : met ? 'yes' : 'NO',
    ];
  });
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column >= 2 && column <= 5 ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join('  ');
  write(line(header));
  write(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) write(line(row));
  write('');
  write('Baselines:');
  // Figures of one kind share their baseline's description: each is printed once, with the first figure that uses it.
  const described = new Set<string>();
  for (const figure of results.figures) {
    const text = `${figure.baselineIs}${figure.notAvailable ? ` — NOT AVAILABLE: ${figure.notAvailable}` : ''}`;
    if (described.has(text)) continue;
    described.add(text);
    write(`  ${figure.name}: ${text}`);
  }
  for (const note of results.notes) write(`Note: ${note}`);
}

export function printWebTable(web: WebResults, write: (line: string) => void): void {
  write(`Web app in ${web.browser}, ${web.contacts.toLocaleString('en')} demo contacts, ${web.measuredAt}, load average ${web.loadAverage.start.join(' ')}`);
  for (const figure of web.figures) {
    const met = webTargetMet(figure);
    const verdict = met === null ? '' : met ? '  ok' : '  MISSED';
    write(`  ${figure.name}: ${formatNumber(figure.value)} ${figure.unit}${figure.target ? ` (target ${figure.target})` : ''}${verdict}`);
  }
  for (const note of web.notes) write(`Note: ${note}`);
}

/**
 * What the results file holds after a run. A run of every database figure replaces them all;
 * an `--only` run replaces the figures it measured (by name) and keeps the others, each
 * stamped with when it was measured. The web figures are kept unless this run measured them.
 */
export function mergeResults(previous: Results | null, current: Results, partial: boolean): Results {
  const web = current.web ?? previous?.web;
  if (!previous) return current;
  if (current.figures.length === 0) return { ...previous, ...(web ? { web } : {}) };
  if (!partial) return { ...current, ...(web ? { web } : {}) };
  const measured = new Map(current.figures.map((figure) => [figure.name, figure]));
  const kept = previous.figures.map((figure) => measured.get(figure.name) ?? { ...figure, measuredAt: figure.measuredAt ?? previous.measuredAt });
  const added = current.figures.filter((figure) => !previous.figures.some((old) => old.name === figure.name));
  const keptAny = kept.some((figure) => !measured.has(figure.name));
  const notes = keptAny ? [...current.notes, ...previous.notes.filter((note) => !current.notes.includes(note))] : current.notes;
  return { ...current, figures: [...kept, ...added], notes, ...(web ? { web } : {}) };
}

export function readResults(path: string): Results | null {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Results) : null;
}

export function writeResults(path: string, results: Results): void {
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
}
