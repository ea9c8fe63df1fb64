import { lazy } from 'react';
import { formatDate } from '../ui/format.ts';
import { ChartFigure, type ChartFigureProps } from './ChartFigure.tsx';

// The drawing code (uPlot) loads when a chart first shows, not with the page around it.
const LineCanvas = lazy(() => import('./LineCanvas.tsx').then((module) => ({ default: module.LineCanvas })));

/** Lines over dates: `data.categories` are ISO dates, in order; the table lists them as dates. */
export function TimeSeriesChart(props: Omit<ChartFigureProps, 'categoryText'>) {
  return (
    <ChartFigure {...props} categoryText={formatDate} kind="line chart over time">
      <LineCanvas data={props.data} />
    </ChartFigure>
  );
}
