import { lazy } from 'react';
import { ChartFigure, type ChartFigureProps } from './ChartFigure.tsx';

// The drawing code (uPlot) loads when a chart first shows, not with the page around it.
const LineCanvas = lazy(() => import('./LineCanvas.tsx').then((module) => ({ default: module.LineCanvas })));

// The dates are days (YYYY-MM-DD, midnight UTC): read in UTC, so a reader west of Greenwich does not see the day before.
const day = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
const dayText = (iso: string) => day.format(new Date(iso));

/** Lines over dates: `data.categories` are ISO dates, in order; the table lists them as dates. */
export function TimeSeriesChart(props: Omit<ChartFigureProps, 'categoryText'>) {
  return (
    <ChartFigure {...props} categoryText={dayText} kind="line chart over time">
      <LineCanvas data={props.data} />
    </ChartFigure>
  );
}
