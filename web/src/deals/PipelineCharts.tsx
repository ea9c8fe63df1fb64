import { useMemo } from 'react';
import type { DealStageTotal, Pipeline } from '../api/types.ts';
import { BarChart } from '../charts/BarChart.tsx';
import { pipelineChartData } from './pipelineChartData.ts';

type PipelineChartsProps = { pipeline: Pipeline; totals: DealStageTotal[] /** Put before each caption, to tell several pipelines apart. */; prefix?: string };

/** A pipeline's stage totals as two bar charts side by side: the amount per stage (a series per currency) and how many deals each holds. */
export function PipelineCharts({ pipeline, totals, prefix = '' }: PipelineChartsProps) {
  const { amounts, counts } = useMemo(() => pipelineChartData(pipeline, totals), [pipeline, totals]);
  return (
    <div className="charts-grid">
      <BarChart
        title={`${prefix}Amount per stage`}
        note="Each currency is summed on its own, never converted."
        data={amounts}
        categoryLabel="Stage"
        emptyText="No deal in this pipeline has an amount yet."
      />
      <BarChart title={`${prefix}Deals per stage`} data={counts} categoryLabel="Stage" emptyText="This pipeline has no stage." />
    </div>
  );
}
