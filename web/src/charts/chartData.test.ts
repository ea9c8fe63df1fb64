import { describe, expect, it } from 'vitest';
import { groupedBarPlacement, labelStep, valueAxisRange, valueText } from './chartData.ts';
import { contrastRatio, chartBackground, axisInk, seriesColours } from './chartColours.ts';

describe('grouped bars', () => {
  it('split the group evenly among the series, side by side around each category', () => {
    const first = groupedBarPlacement(3, 2, 0, 0.8);
    const second = groupedBarPlacement(3, 2, 1, 0.8);
    expect(first.width).toBeCloseTo(0.4);
    expect(first.starts.map((start) => Number(start.toFixed(2)))).toEqual([-0.4, 0.6, 1.6]);
    expect(second.starts.map((start) => Number(start.toFixed(2)))).toEqual([0, 1, 2]);
  });

  it('give a single series the whole group, centred on its category', () => {
    const only = groupedBarPlacement(2, 1, 0, 0.6);
    expect(only.starts.map((start) => Number(start.toFixed(2)))).toEqual([-0.3, 0.7]);
  });
});

describe('the value axis', () => {
  it('starts at zero and leaves a little room above the largest value', () => {
    expect(valueAxisRange([{ label: 'a', values: [2, null, 10] }])).toEqual([0, 11]);
  });

  it('is not empty when every value is zero or missing', () => {
    expect(valueAxisRange([{ label: 'a', values: [0, null] }])).toEqual([0, 1]);
    expect(valueAxisRange([])).toEqual([0, 1]);
  });
});

describe("a value's text in the table", () => {
  it("is the series' own wording when it has one, else the formatted number, and 'none' for a missing value", () => {
    const series = { label: 'a', values: [10_000, 3, null], texts: ['more than 10,000'] };
    const format = (value: number) => `#${value}`;
    expect(valueText(series, 0, format)).toBe('more than 10,000');
    expect(valueText(series, 1, format)).toBe('#3');
    expect(valueText(series, 2, format)).toBe('none');
  });
});

describe('the chart colours', () => {
  it('each stand out from the background at WCAG AA (4.5:1), as the axis labels do', () => {
    for (const colour of [...seriesColours, axisInk]) expect(contrastRatio(colour, chartBackground)).toBeGreaterThanOrEqual(4.5);
  });

  it('are measured as WCAG measures: black on white is 21:1', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21);
  });
});

describe('category labels on a bar chart', () => {
  it('are all shown when they fit, and every second or third one when they would overlap', () => {
    const stages = ['Qualify', 'Propose', 'Negotiate', 'Won'];
    expect(labelStep(stages, 600)).toBe(1);
    const months = [
      'Jan 2026',
      'Feb 2026',
      'Mar 2026',
      'Apr 2026',
      'May 2026',
      'Jun 2026',
      'Jul 2026',
      'Aug 2026',
      'Sept 2026',
      'Oct 2026',
      'Nov 2026',
      'Dec 2026',
    ];
    expect(labelStep(months, 1200)).toBe(1);
    expect(labelStep(months, 700)).toBe(2);
    expect(labelStep(months, 330)).toBe(3);
  });
});
