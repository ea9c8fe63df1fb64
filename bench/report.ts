import { writeFileSync } from 'node:fs';

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
};

export type Results = { measuredAt: string; database: string; node: string; figures: Figure[]; notes: string[] };

export function meetsTarget(figure: Figure): boolean | null {
  if (!figure.target) return null;
  const [operator, bound] = figure.target.split(' ');
  return operator === '>=' ? figure.ratio >= Number(bound) : figure.ratio <= Number(bound);
}

const formatNumber = (value: number) => (value >= 100 ? Math.round(value).toLocaleString('en') : value.toFixed(2));

export function printTable(results: Results, write: (line: string) => void): void {
  write(`Candor benchmark — ${results.database}, Node ${results.node}, ${results.measuredAt}`);
  const header = ['figure', 'transport', 'candor', 'baseline', 'unit', 'ratio', 'target', 'ok'];
  const rows = results.figures.map((figure) => {
    const met = meetsTarget(figure);
    return [
      figure.name,
      figure.transport,
      formatNumber(figure.candor),
      formatNumber(figure.baseline),
      figure.unit,
      figure.ratio.toFixed(2),
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
  for (const figure of results.figures) write(`  ${figure.name}: ${figure.baselineIs}`);
  for (const note of results.notes) write(`Note: ${note}`);
}

export function writeResults(path: string, results: Results): void {
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
}
