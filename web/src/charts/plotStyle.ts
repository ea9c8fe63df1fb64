import type uPlot from 'uplot';
import { axisInk, gridLine } from './chartColours.ts';

const font = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });

/** The width the value axis takes, in CSS pixels. */
export const valueAxisSize = 56;

/** The value axis, on the left: muted ink on light grid lines, numbers in short form (1.2K). */
export const valueAxis: uPlot.Axis = {
  stroke: axisInk,
  font,
  grid: { stroke: gridLine, width: 1 },
  ticks: { stroke: gridLine, width: 1 },
  size: valueAxisSize,
  values: (_plot, splits) => splits.map((value) => compact.format(value)),
};

/** The axis along the bottom, in the same ink, without grid lines. */
export const categoryAxis: uPlot.Axis = { stroke: axisInk, font, grid: { show: false }, ticks: { stroke: gridLine, width: 1 } };

// No hover legend or zoom: the numbers are in the figure's table, which a keyboard reaches.
export const quietPlot: Pick<uPlot.Options, 'legend' | 'cursor' | 'select'> = {
  legend: { show: false },
  cursor: { show: false, drag: { x: false, y: false } },
};

/** The width a chart is made at: its container's, or a reasonable one before layout (a hidden tab has none). */
export const plotStyleWidth = (containerWidth: number) => (containerWidth > 0 ? containerWidth : 600);
