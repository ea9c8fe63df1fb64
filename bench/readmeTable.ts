import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Figure, Results } from './report.ts';
import { type WebResults, webTargetMet } from './web/webFigures.ts';

/*
 * `npx tsx bench/readmeTable.ts [suffix]`: the README's table of ratios, PGlite beside
 * PostgreSQL, from bench/results[.postgres][.suffix].json (suffix e.g. 100000); then, when
 * the file holds them, the web app's figures (`--only web`) with their targets.
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

const webValue = (value: number) => (Number.isInteger(value) || value >= 100 ? Math.round(value).toLocaleString('en') : value.toFixed(value >= 10 ? 1 : 2));
const webLines = (web: WebResults) => [
  '',
  `| web figure (Chromium ${web.browser}, ${web.contacts.toLocaleString('en')} demo contacts, ${web.measuredAt.slice(0, 10)}) | measured | target | met |`,
  '|---|---|---|---|',
  ...web.figures.map((figure) => {
    const met = webTargetMet(figure);
    const spread = figure.spread ? ` (pairs ${figure.spread.min.toFixed(2)}–${figure.spread.max.toFixed(2)})` : '';
    return `| ${figure.name} | ${webValue(figure.value)} ${figure.unit}${spread} | ${figure.target ?? '—'} | ${met === null ? '—' : met ? 'yes' : 'no'} |`;
  }),
];
if (embedded?.web) lines.push(...webLines(embedded.web));
process.stdout.write(`${lines.join('\n')}\n`);
