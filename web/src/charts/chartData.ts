/**
 * What a chart shows, in the shape both its canvas and its table read: one row per category
 * (a stage, a week) and one series per thing measured (a currency, a count). A value the API
 * did not give is null: the canvas leaves a gap and the table says so, rather than drawing 0.
 */
export type ChartSeries = {
  label: string;
  values: Array<number | null>;
  /** How each value reads in the table and the legend, when plain digits would mislead (an amount, "more than 10,000"). */
  texts?: string[];
};

export type ChartData = { categories: string[]; series: ChartSeries[] };

/** The table's text for one value: the series' own wording if it has one, else the number in the browser's format. */
export function valueText(series: ChartSeries, index: number, formatNumber: (value: number) => string): string {
  const text = series.texts?.[index];
  if (text !== undefined) return text;
  const value = series.values[index];
  return value === null || value === undefined ? 'none' : formatNumber(value);
}

/**
 * Where each series' bars stand in a group: categories sit at x = 0, 1, 2…, and a group
 * takes `groupWidth` of the space between two, split evenly among the series, so bars of
 * different series side by side never overlap.
 */
export function groupedBarPlacement(categoryCount: number, seriesCount: number, seriesIndex: number, groupWidth = 0.7): { starts: number[]; width: number } {
  const width = groupWidth / Math.max(seriesCount, 1);
  const offset = -groupWidth / 2 + seriesIndex * width;
  return { starts: Array.from({ length: categoryCount }, (_, category) => category + offset), width };
}

/** The value axis: from zero (a bar's length is its value) to a little above the largest value, and never empty. */
export function valueAxisRange(series: ChartSeries[]): [number, number] {
  const largest = Math.max(0, ...series.flatMap((entry) => entry.values.filter((value): value is number => value !== null)));
  return [0, largest === 0 ? 1 : largest * 1.1];
}

// About how wide a category label is drawn (12px type), with a little room either side.
const labelWidth = (label: string) => label.length * 7 + 8;

/** Label every step-th category: the smallest step at which the labels fit the plot's width side by side (1 when all do). */
export function labelStep(labels: readonly string[], plotWidth: number): number {
  const slot = plotWidth / Math.max(labels.length, 1);
  const widest = Math.max(0, ...labels.map(labelWidth));
  return Math.max(1, Math.ceil(widest / Math.max(slot, 1)));
}
