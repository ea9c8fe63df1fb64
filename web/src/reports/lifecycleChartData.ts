import type { ChartData } from '../charts/chartData.ts';
import { type LifecycleStage, stageLabels } from '../contacts/contactFilters.ts';
import { formatCount } from '../ui/format.ts';

/** What the contacts list said for one lifecycle stage with count=true: its total, and whether counting stopped at the cap. */
export type StageCount = { stage: LifecycleStage; total: number; totalIsLowerBound: boolean };

/**
 * Contacts per lifecycle stage as one bar series. A total the server stopped counting at its
 * cap is drawn at the cap and reads "more than …" in the table, as the API means it: the
 * chart must not pass a floor off as an exact number.
 */
export function lifecycleChartData(counts: StageCount[]): ChartData {
  return {
    categories: counts.map((count) => stageLabels[count.stage]),
    series: [
      {
        label: 'Contacts',
        values: counts.map((count) => count.total),
        texts: counts.map((count) => (count.totalIsLowerBound ? `more than ${formatCount(count.total)}` : formatCount(count.total))),
      },
    ],
  };
}

/** Whether any stage's count stopped at the cap, so the page can say its bars are floors. */
export const anyCapped = (counts: StageCount[]) => counts.some((count) => count.totalIsLowerBound);
