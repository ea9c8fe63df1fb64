import { useCallback, useMemo } from 'react';
import uPlot from 'uplot';
import { colourOf } from './chartColours.ts';
import { type ChartData, valueAxisRange } from './chartData.ts';
import { categoryAxis, plotStyleWidth, quietPlot, valueAxis } from './plotStyle.ts';
import { plotHeight, useUplot } from './useUplot.ts';

const shortDay = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });

// A tick on each date given (a week, say), written as the table writes days; every other one on a narrow chart, so labels do not overlap.
const dateAxis: uPlot.Axis = {
  ...categoryAxis,
  splits: (plot) => [...(plot.data[0] as number[])],
  values: (plot, splits) => splits.map((seconds, index) => (plot.width < 600 && index % 2 === 1 ? '' : shortDay.format(new Date(seconds * 1000)))),
};

/** Lines over dates, one per series, drawn by uPlot. `data.categories` are ISO days (YYYY-MM-DD). Loaded only with a page that shows a chart. */
export function LineCanvas({ data }: { data: ChartData }) {
  const { categories, series } = data;
  const aligned = useMemo<uPlot.AlignedData>(
    () => [categories.map((date) => new Date(date).getTime() / 1000), ...series.map((entry) => entry.values)],
    [categories, series],
  );
  const optionsFor = useCallback(
    (width: number): uPlot.Options => ({
      width: plotStyleWidth(width),
      height: plotHeight,
      ...quietPlot,
      // The dates are days at midnight UTC: the axis reads them in UTC too.
      tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC'),
      scales: { x: { time: true }, y: { range: valueAxisRange(series) } },
      axes: [dateAxis, valueAxis],
      series: [{}, ...series.map((entry, index): uPlot.Series => ({ label: entry.label, stroke: colourOf(index), width: 2, points: { show: true, size: 6 } }))],
    }),
    [series],
  );
  const container = useUplot(optionsFor, aligned);
  return <div ref={container} className="chart-plot" />;
}
