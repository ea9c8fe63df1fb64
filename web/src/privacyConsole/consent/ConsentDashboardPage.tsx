import { useMemo, useState } from 'react';
import '../../styles/charts.css';
import { BarChart } from '../../charts/BarChart.tsx';
import { TimeSeriesChart } from '../../charts/TimeSeriesChart.tsx';
import { usePurpose } from '../../session/sessionContext.ts';
import { ChoiceSelect } from '../../ui/ChoiceSelect.tsx';
import { QueryPanel } from '../../ui/QueryPanel.tsx';
import { type ConsentInterval, consentRateChartData, consentSummary, optOutChartData, renewalRows } from './consentDashboardData.ts';
import { ConsentFigures, PurposesNowTable, RenewalsTable } from './ConsentTables.tsx';
import { useConsentStatistics } from './useConsentStatistics.ts';

const intervals = [
  { id: 'month', name: 'Last 12 months' },
  { id: 'week', name: 'Last 12 weeks' },
];

const periodsNote: Record<ConsentInterval, string> = {
  month: 'Months in UTC; the last one is this month so far, measured now.',
  week: 'Weeks start on Monday (UTC); the last one is this week so far, measured now.',
};

/*
 * The consent dashboard (/privacy/consent), for privacy officers and admins: how consent to
 * each purpose has moved, from the counts GET /api/v1/consents/statistics takes over the
 * consent ledger. Counts only: no person is named or read.
 */
export function ConsentDashboardPage() {
  const purpose = usePurpose();
  const [interval, setPeriodInterval] = useState<ConsentInterval>('month');
  const statistics = useConsentStatistics(purpose, interval);
  const charts = useMemo(
    () =>
      statistics.data && {
        rates: consentRateChartData(statistics.data),
        optOuts: optOutChartData(statistics.data),
        renewals: renewalRows(statistics.data),
        summary: consentSummary(statistics.data),
      },
    [statistics.data],
  );
  const span = interval === 'month' ? 'last 12 months' : 'last 12 weeks';

  return (
    <section className="page stack consent-dashboard" aria-labelledby="consent-dashboard-heading">
      <div className="page-header">
        <h1 id="consent-dashboard-heading">Consent</h1>
        <p className="muted">
          What people said about each purpose, counted from the consent ledger. The consent rate is the share of the people asked (anyone with a word on record
          for the purpose) whose consent was live. Erased people and merged duplicates are not counted.
        </p>
      </div>
      <ChoiceSelect label="Periods" value={interval} choices={intervals} onChange={(value) => setPeriodInterval(value as ConsentInterval)} />
      <QueryPanel id="consent-summary-heading" title="At a glance" query={statistics} what="the consent statistics">
        {() => charts && <ConsentFigures summary={charts.summary} periods={span} />}
      </QueryPanel>
      <QueryPanel id="consent-trends-heading" title="Over time" query={statistics} what="the consent statistics">
        {() =>
          charts && (
            <div className="charts-grid">
              <TimeSeriesChart
                title="Consent rate per purpose"
                note={`Percent of the people asked whose consent was live at the end of each period, by the day it starts. ${periodsNote[interval]}`}
                data={charts.rates}
                categoryLabel="Period starting"
                emptyText="No purpose on the consent basis."
              />
              <BarChart
                title="Withdrawals and GPC opt-outs"
                note="Each counts one person and purpose: a Global Privacy Control signal opts out of sale, sharing and targeted advertising at once."
                data={charts.optOuts}
                categoryLabel="Period"
                emptyText="No periods."
              />
            </div>
          )
        }
      </QueryPanel>
      <QueryPanel id="consent-purposes-heading" title="Each purpose now" query={statistics} what="the consent statistics">
        {(data) => <PurposesNowTable labelledBy="consent-purposes-heading" statistics={data} />}
      </QueryPanel>
      <QueryPanel
        id="consent-renewals-heading"
        title="Renewals due"
        query={statistics}
        what="the renewals due"
        empty={(data) =>
          renewalRows(data).length === 0 ? `No live consent expires within ${data.renewalWindowDays} days or predates a material notice change.` : null
        }
      >
        {(data) => charts && <RenewalsTable labelledBy="consent-renewals-heading" rows={charts.renewals} windowDays={data.renewalWindowDays} />}
      </QueryPanel>
    </section>
  );
}
