import { useCallback, useMemo } from 'react';
import uPlot from 'uplot';
import { colourOf } from './chartColours.ts';
import { type ChartData, groupedBarPlacement, labelStep, valueAxisRange } from './chartData.ts';
import { categoryAxis, plotStyleWidth, quietPlot, valueAxis, valueAxisSize } from './plotStyle.ts';
import { plotHeight, useUplot } from './useUplot.ts';

/** Bars of each series side by side per category, drawn by uPlot. Loaded only with a page that shows a chart. */
export function BarCanvas({ data }: { data: ChartData }) {
  const { categories, series } = data;
  const aligned = useMemo<uPlot.AlignedData>(() => [categories.map((_, index) => index), ...series.map((entry) => entry.values)], [categories, series]);
  const optionsFor = useCallback(
    (width: number): uPlot.Options => ({
      width: plotStyleWidth(width),
      height: plotHeight,
      ...quietPlot,
      scales: { x: { time: false, range: [-0.5, categories.length - 0.5] }, y: { range: valueAxisRange(series) } },
      axes: [
        {
          ...categoryAxis,
          splits: () => categories.map((_, index) => index),
          // The table names every category; the axis names as many as fit without overlapping.
          values: (_plot, splits) => {
            const step = labelStep(categories, plotStyleWidth(width) - valueAxisSize);
            return splits.map((index) => (index % step === 0 ? (categories[index] ?? '') : ''));
          },
        },
        valueAxis,
      ],
      series: [
        {},
        ...series.map((entry, index): uPlot.Series => {
          const { starts, width: barWidth } = groupedBarPlacement(categories.length, series.length, index);
          return {
            label: entry.label,
            fill: colourOf(index),
            stroke: colourOf(index),
            width: 0,
            points: { show: false },
            paths: uPlot.paths.bars?.({ disp: { x0: { unit: 1, values: () => starts }, size: { unit: 1, values: () => [barWidth] } } }),
          };
        }),
      ],
    }),
    [categories, series],
  );
  const container = useUplot(optionsFor, aligned);
  return <div ref={container} className="chart-plot" />;
}
