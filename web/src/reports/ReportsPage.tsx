import { useMemo } from 'react';
import '../styles/charts.css';
import type { Pipeline } from '../api/types.ts';
import { BarChart } from '../charts/BarChart.tsx';
import { TimeSeriesChart } from '../charts/TimeSeriesChart.tsx';
import { PipelineCharts } from '../deals/PipelineCharts.tsx';
import { usePipelines, useStageTotals } from '../deals/useBoard.ts';
import { purposeLabel } from '../purpose/purposeLabels.ts';
import { usePurpose } from '../session/sessionContext.ts';
import { Loading } from '../ui/Loading.tsx';
import { ProblemNotice } from '../ui/ProblemNotice.tsx';
import { QueryPanel } from '../ui/QueryPanel.tsx';
import { activityWeeksChartData } from './activityWeeksChartData.ts';
import { anyCapped, lifecycleChartData } from './lifecycleChartData.ts';
import { useActivityWeeks } from './useActivityWeeks.ts';
import { useLifecycleCounts } from './useLifecycleCounts.ts';

/** One pipeline's stage totals, counted by the server, as charts. */
function PipelineReport({ purpose, pipeline }: { purpose: string; pipeline: Pipeline }) {
  const totals = useStageTotals(purpose, pipeline.id);
  if (totals.isPending) return <Loading what={`the totals of ${pipeline.name}`} />;
  if (totals.isError) return <ProblemNotice error={totals.error} title={`The totals of ${pipeline.name} could not be loaded`} />;
  return <PipelineCharts pipeline={pipeline} totals={totals.data} prefix={`${pipeline.name}: `} />;
}

/**
 * Reports for sales and marketing, from what the API counts without showing anyone's personal
 * values: the deals of each pipeline by stage, contacts per lifecycle stage and activities per week. Everything is
 * counted for the purpose the user acts for, so people it may not process are not in it.
 */
export function ReportsPage() {
  const purpose = usePurpose();
  const pipelines = usePipelines(purpose);
  const counts = useLifecycleCounts(purpose);
  const lifecycle = useMemo(() => (counts.data ? lifecycleChartData(counts.data) : null), [counts.data]);
  const activityWeeks = useActivityWeeks(purpose);
  const weekly = useMemo(() => (activityWeeks.data ? activityWeeksChartData(activityWeeks.data) : null), [activityWeeks.data]);

  return (
    <section className="page reports-page" aria-labelledby="reports-heading">
      <div className="page-header">
        <h1 id="reports-heading">Reports</h1>
        <p className="muted">Counted by Candor for {purposeLabel(purpose)}: people this purpose may not process are neither shown nor counted.</p>
      </div>
      <QueryPanel
        id="reports-deals"
        title="Deals by stage"
        className="reports-section"
        query={pipelines}
        what="the pipelines"
        empty={(data) => (data.length === 0 ? 'This workspace has no pipeline yet.' : null)}
      >
        {(data) => (
          <div className="reports-pipelines">
            {data.map((pipeline) => (
              <PipelineReport key={pipeline.id} purpose={purpose} pipeline={pipeline} />
            ))}
          </div>
        )}
      </QueryPanel>
      <QueryPanel id="reports-contacts" title="Contacts per lifecycle stage" className="reports-section" query={counts} what="the contact counts">
        {(data) =>
          lifecycle && (
            <BarChart
              title="Contacts per lifecycle stage"
              note={
                anyCapped(data)
                  ? 'Counting stops at the workspace’s cap: a bar at the cap means more contacts than that, as its table says.'
                  : 'Every stage is counted exactly.'
              }
              data={lifecycle}
              categoryLabel="Lifecycle stage"
              emptyText="No contacts."
            />
          )
        }
      </QueryPanel>
      <QueryPanel id="reports-activities" title="Activities per week" className="reports-section" query={activityWeeks} what="the activities per week">
        {() =>
          weekly && (
            <TimeSeriesChart
              title="Activities logged per week, last 12 weeks"
              note="Weeks start on Monday (UTC); the last one is this week so far."
              data={weekly}
              categoryLabel="Week starting"
              emptyText="No weeks."
            />
          )
        }
      </QueryPanel>
    </section>
  );
}
