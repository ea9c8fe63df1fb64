import { describe, expect, it } from 'vitest';
import { formatMoney } from '../ui/format.ts';
import { pipelineChartData } from './pipelineChartData.ts';

const pipeline = {
  stages: [
    { id: 'lead', name: 'Lead' },
    { id: 'offer', name: 'Offer' },
    { id: 'won', name: 'Won' },
  ],
} as Parameters<typeof pipelineChartData>[0];

describe('stage totals as pipeline charts', () => {
  const totals = [
    {
      stageId: 'offer',
      count: 3,
      amounts: [
        { currency: 'USD', amountMinor: 12_345 },
        { currency: 'EUR', amountMinor: 50_000 },
      ],
    },
    { stageId: 'lead', count: 2, amounts: [{ currency: 'EUR', amountMinor: 1_050 }] },
  ];
  const { amounts, counts } = pipelineChartData(pipeline, totals);

  it("lists every stage in the pipeline's order, a stage without deals at zero", () => {
    expect(amounts.categories).toEqual(['Lead', 'Offer', 'Won']);
    expect(counts.series).toEqual([{ label: 'Deals', values: [2, 3, 0], texts: ['2', '3', '0'] }]);
  });

  it('makes one series per currency, in alphabetical order, in major units, never adding currencies together', () => {
    expect(amounts.series.map((series) => series.label)).toEqual(['EUR', 'USD']);
    expect(amounts.series[0]?.values).toEqual([10.5, 500, 0]);
    expect(amounts.series[1]?.values).toEqual([0, 123.45, 0]);
  });

  it('reads each amount in the table as money in its currency', () => {
    expect(amounts.series[0]?.texts).toEqual([formatMoney(1_050, 'EUR'), formatMoney(50_000, 'EUR'), formatMoney(0, 'EUR')]);
  });

  it("uses the currency's own minor unit: a yen has none", () => {
    const yen = pipelineChartData(pipeline, [{ stageId: 'won', count: 1, amounts: [{ currency: 'JPY', amountMinor: 5_000 }] }]);
    expect(yen.amounts.series[0]?.values).toEqual([0, 0, 5_000]);
  });

  it('has no amount series when no deal has an amount', () => {
    expect(pipelineChartData(pipeline, [{ stageId: 'lead', count: 4, amounts: [] }]).amounts.series).toEqual([]);
  });
});
