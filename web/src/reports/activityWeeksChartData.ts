import type { ChartData } from '../charts/chartData.ts';
import { formatCount } from '../ui/format.ts';

export type ActivityWeek = { weekStart: string; count: number };

/** Activities per week as one line over the weeks' Mondays (the API lists every week, zero included, oldest first). */
export function activityWeeksChartData(weeks: ActivityWeek[]): ChartData {
  return {
    categories: weeks.map((week) => week.weekStart),
    series: [{ label: 'Activities', values: weeks.map((week) => week.count), texts: weeks.map((week) => formatCount(week.count)) }],
  };
}
