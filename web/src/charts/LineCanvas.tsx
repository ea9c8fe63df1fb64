import { useCallback, useMemo } from 'react';
import type uPlot from 'uplot';
import { colourOf } from './chartColours.ts';
import { type ChartData, valueAxisRange } from './chartData.ts';
import { categoryAxis, plotStyleWidth, quietPlot, valueAxis } from './plotStyle.ts';
import { plotHeight, useUplot } from './useUplot.ts';

/** Lines over dates, one per series, drawn by uPlot. `data.categories` are ISO dates. Loaded only with a page that shows a chart. */
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
      scales: { x: { time: true }, y: { range: valueAxisRange(series) } },
      axes: [categoryAxis, valueAxis],
      series: [{}, ...series.map((entry, index): uPlot.Series => ({ label: entry.label, stroke: colourOf(index), width: 2, points: { show: true, size: 6 } }))],
    }),
    [series],
  );
  const container = useUplot(optionsFor, aligned);
  return <div ref={container} className="chart-plot" />;
}
