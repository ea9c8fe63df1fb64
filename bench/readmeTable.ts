import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Figure, Results } from './report.ts';

/*
 * `npx tsx bench/readmeTable.ts [suffix]`: the README's table of ratios, PGlite beside
 * PostgreSQL, from bench/results[.postgres][.suffix].json (suffix e.g. 100000).
 */

const suffix = process.argv[2] ? `.${process.argv[2]}` : '';
const load = (name: string): Results | null => {
  const path = fileURLToPath(new URL(`./${name}`, import.meta.url));
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Results) : null;
};
const embedded = load(`results${suffix}.json`);
const server = load(`results.postgres${suffix}.json`);

const cell = (figure: Figure | undefined) => {
  if (!figure) return '—';
  if (figure.notAvailable || figure.ratio === null) return 'not available';
  const spread = figure.spread ? ` (${figure.spread.min.toFixed(2)}–${figure.spread.max.toFixed(2)})` : '';
  return `${figure.ratio.toFixed(2)}${spread}`;
};

const names = [...new Set([...(embedded?.figures ?? []), ...(server?.figures ?? [])].map((figure) => figure.name))];
const lines = ['| figure (ratio Candor ÷ baseline; median (min–max) of rounds) | PGlite | PostgreSQL | target |', '|---|---|---|---|'];
for (const name of names) {
  const a = embedded?.figures.find((figure) => figure.name === name);
  const b = server?.figures.find((figure) => figure.name === name);
  lines.push(`| ${name} | ${cell(a)} | ${cell(b)} | ${a?.target ?? b?.target ?? '—'} |`);
}
process.stdout.write(`${lines.join('\n')}\n`);
