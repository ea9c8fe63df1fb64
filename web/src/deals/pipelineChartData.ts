import type { DealStageTotal, Pipeline } from '../api/types.ts';
import type { ChartData } from '../charts/chartData.ts';
import { currencyDigits, formatCount, formatMoney } from '../ui/format.ts';
import { figuresOf } from './stageTotals.ts';

/** A pipeline's two charts: the amount per stage, one series per currency, and how many deals each stage holds. */
export type PipelineChartData = { amounts: ChartData; counts: ChartData };

/**
 * The server's stage totals as chart series, stages in the pipeline's order (a stage without
 * deals is there, at zero, so the funnel's shape shows). Amounts of different currencies are
 * never added up: each currency is its own series, in major units (euros, not cents), and
 * the table shows them as money.
 */
export function pipelineChartData(pipeline: Pick<Pipeline, 'stages'>, totals: DealStageTotal[]): PipelineChartData {
  const stages = pipeline.stages.map((stage) => ({ name: stage.name, figures: figuresOf(totals, stage.id) }));
  const categories = stages.map((stage) => stage.name);
  const currencies = [...new Set(totals.flatMap((total) => total.amounts.map((amount) => amount.currency)))].sort();
  const amounts = currencies.map((currency) => {
    const minor = stages.map((stage) => stage.figures.amounts.find((amount) => amount.currency === currency)?.amountMinor ?? 0);
    return {
      label: currency,
      values: minor.map((value) => value / 10 ** currencyDigits(currency)),
      texts: minor.map((value) => formatMoney(value, currency)),
    };
  });
  const counts = stages.map((stage) => stage.figures.count);
  return {
    amounts: { categories, series: amounts },
    counts: { categories, series: [{ label: 'Deals', values: counts, texts: counts.map(formatCount) }] },
  };
}
