import { describe, expect, it } from 'vitest';
import { activityWeeksChartData } from './activityWeeksChartData.ts';

describe('activities per week as a chart', () => {
  it('draws one line over the weeks in the order the API lists them, zeros included', () => {
    const data = activityWeeksChartData([
      { weekStart: '2026-11-23', count: 0 },
      { weekStart: '2026-11-30', count: 1_234 },
    ]);
    expect(data.categories).toEqual(['2026-11-23', '2026-11-30']);
    expect(data.series).toEqual([{ label: 'Activities', values: [0, 1_234], texts: ['0', (1_234).toLocaleString()] }]);
  });
});
