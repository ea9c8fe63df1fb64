import { describe, expect, it } from 'vitest';
import { anyCapped, lifecycleChartData } from './lifecycleChartData.ts';

describe('contacts per lifecycle stage as a chart', () => {
  it('names each stage as the app does and keeps the order given', () => {
    const data = lifecycleChartData([
      { stage: 'lead', total: 12, totalIsLowerBound: false },
      { stage: 'customer', total: 3, totalIsLowerBound: false },
    ]);
    expect(data.categories).toEqual(['Lead', 'Customer']);
    expect(data.series).toEqual([{ label: 'Contacts', values: [12, 3], texts: ['12', '3'] }]);
  });

  it('reads a count stopped at the cap as "more than" the cap, not as an exact number', () => {
    const counts = [
      { stage: 'subscriber' as const, total: 10_000, totalIsLowerBound: true },
      { stage: 'other' as const, total: 0, totalIsLowerBound: false },
    ];
    expect(lifecycleChartData(counts).series[0]?.texts).toEqual([`more than ${(10_000).toLocaleString()}`, '0']);
    expect(anyCapped(counts)).toBe(true);
    expect(anyCapped(counts.slice(1))).toBe(false);
  });
});
