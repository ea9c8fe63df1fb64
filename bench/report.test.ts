import { describe, expect, it } from 'vitest';
import { type Figure, mergeResults, type Results } from './report.ts';
import type { WebResults } from './web/webFigures.ts';

const figure = (name: string, ratio: number): Figure => ({
  name,
  candor: ratio,
  baseline: 1,
  unit: 'ms',
  ratio,
  target: null,
  transport: 'in-process',
  baselineIs: 'raw',
  samples: 5,
});

const results = (measuredAt: string, figures: Figure[], notes: string[], web?: WebResults): Results => ({
  measuredAt,
  database: 'pglite',
  node: 'v20',
  sizes: [2000],
  figures,
  notes,
  ...(web ? { web } : {}),
});

const web = (measuredAt: string): WebResults => ({
  measuredAt,
  contacts: 100_000,
  database: 'pglite',
  browser: '143',
  loadAverage: { start: [1, 1, 1], end: [1, 1, 1] },
  figures: [{ name: 'rows', value: 40, unit: '<tr>', target: '< 100', samples: 1, how: 'counted' }],
  notes: [],
});

describe('writing results after a run', () => {
  const earlier = results('monday', [figure('email', 3), figure('list', 2)], ['old note'], web('monday'));

  it('replaces the figures an --only run measured and keeps the others, stamped with when they were measured', () => {
    const merged = mergeResults(earlier, results('tuesday', [figure('list', 1.5), figure('new', 1)], ['new note']), true);
    expect(merged.measuredAt).toBe('tuesday');
    expect(merged.figures.map((kept) => [kept.name, kept.ratio, kept.measuredAt])).toEqual([
      ['email', 3, 'monday'],
      ['list', 1.5, undefined],
      ['new', 1, undefined],
    ]);
    expect(merged.notes).toEqual(['new note', 'old note']);
    expect(merged.web?.measuredAt).toBe('monday');
  });

  it('replaces every database figure after a full run, still keeping the web figures', () => {
    const merged = mergeResults(earlier, results('tuesday', [figure('list', 1.5)], ['new note']), false);
    expect(merged.figures.map((kept) => kept.name)).toEqual(['list']);
    expect(merged.notes).toEqual(['new note']);
    expect(merged.web?.measuredAt).toBe('monday');
  });

  it('leaves the database figures as they were after a web-only run, and puts in the new web figures', () => {
    const merged = mergeResults(earlier, results('tuesday', [], ['database note'], web('tuesday')), true);
    expect({ ...merged, web: undefined }).toEqual({ ...earlier, web: undefined });
    expect(merged.web?.measuredAt).toBe('tuesday');
  });

  it('writes the run as it is when there is no earlier file', () => {
    const first = results('tuesday', [figure('list', 1.5)], ['new note']);
    expect(mergeResults(null, first, true)).toEqual(first);
  });
});
