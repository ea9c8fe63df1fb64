import { lazy } from 'react';
import { ChartFigure, type ChartFigureProps } from './ChartFigure.tsx';

// The drawing code (uPlot, ~50 kB) loads when a chart first shows, not with the page around it.
const BarCanvas = lazy(() => import('./BarCanvas.tsx').then((module) => ({ default: module.BarCanvas })));

/** Categories (stages, lifecycle stages) against values, one bar per series in each category, with its table. */
export function BarChart(props: ChartFigureProps) {
  return (
    <ChartFigure {...props} kind="bar chart">
      <BarCanvas data={props.data} />
    </ChartFigure>
  );
}
