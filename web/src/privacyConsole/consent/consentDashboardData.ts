import type { ConsentStatistics } from '../../api/types.ts';
import type { ChartData } from '../../charts/chartData.ts';
import { purposeLabel } from '../../purpose/purposeLabels.ts';
import { formatCount } from '../../ui/format.ts';

/*
 * The consent dashboard's numbers as charts and tables, from one GET /api/v1/consents/statistics
 * answer: pure functions, so what each chart and table shows is tested without a browser.
 */

export type ConsentInterval = ConsentStatistics['interval'];
type PurposeStatistics = ConsentStatistics['purposes'][number];

const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });
/** A consent rate (0 to 1) as the tables write it; "nobody asked" when no one was on record. */
export const rateText = (rate: number | null) => (rate === null ? 'nobody asked' : percent.format(rate));

// Periods start at 00:00 UTC: read in UTC, so a reader west of Greenwich does not see the day before.
const monthName = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' });
const weekName = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** A period as the bar chart's axis and table name it: "Jan 2026", or the week's Monday "5 Jan 2026". */
export const periodLabel = (start: string, interval: ConsentInterval) => (interval === 'month' ? monthName : weekName).format(new Date(start));

/** The purposes whose consent rate means something: those on the consent basis (others only carry opt-outs). */
export const consentPurposes = (statistics: ConsentStatistics) => statistics.purposes.filter((purpose) => purpose.legalBasis === 'consent');

/** One line per consent purpose over the periods' first days: the consent rate in percent, measured at each period's end. */
export function consentRateChartData(statistics: ConsentStatistics): ChartData {
  return {
    categories: statistics.periods.map((period) => period.start),
    series: consentPurposes(statistics).map((purpose) => ({
      label: purposeLabel(purpose.purposeKey),
      values: purpose.periods.map((period) => (period.consentRate === null ? null : Math.round(period.consentRate * 1000) / 10)),
      texts: purpose.periods.map((period) => rateText(period.consentRate)),
    })),
  };
}

const sumOf = (purposes: PurposeStatistics[], index: number, pick: (period: PurposeStatistics['periods'][number]) => number) =>
  purposes.reduce((total, purpose) => total + pick(purpose.periods[index]!), 0);

/** Withdrawals and GPC opt-outs per period, every purpose together (one per person and purpose). */
export function optOutChartData(statistics: ConsentStatistics): ChartData {
  const indices = statistics.periods.map((_, index) => index);
  const series = (label: string, pick: (period: PurposeStatistics['periods'][number]) => number) => {
    const values = indices.map((index) => sumOf(statistics.purposes, index, pick));
    return { label, values, texts: values.map(formatCount) };
  };
  return {
    categories: statistics.periods.map((period) => periodLabel(period.start, statistics.interval)),
    series: [series('Withdrawals', (period) => period.withdrawn), series('GPC opt-outs', (period) => period.gpcOptOuts)],
  };
}

export type RenewalRow = { purposeKey: string; expiringSoon: number; olderNotice: number; renewalsDue: number; renewBy: string | null };

/** The purposes with consents due for renewal, in the API's order. */
export function renewalRows(statistics: ConsentStatistics): RenewalRow[] {
  return statistics.purposes
    .filter((purpose) => purpose.current.renewalsDue > 0)
    .map((purpose) => ({
      purposeKey: purpose.purposeKey,
      expiringSoon: purpose.current.expiringSoon,
      olderNotice: purpose.current.olderNotice,
      renewalsDue: purpose.current.renewalsDue,
      renewBy: purpose.current.olderNotice > 0 ? (purpose.materialNotice?.renewBy ?? null) : null,
    }));
}

export type ConsentSummary = { live: number; withdrawals: number; gpcOptOuts: number; renewalsDue: number };

/** The figures above the charts: live consents now, withdrawals and GPC opt-outs over the periods shown, renewals due. */
export function consentSummary(statistics: ConsentStatistics): ConsentSummary {
  const total = (pick: (purpose: PurposeStatistics) => number) => statistics.purposes.reduce((sum, purpose) => sum + pick(purpose), 0);
  const overPeriods = (pick: (period: PurposeStatistics['periods'][number]) => number) =>
    total((purpose) => purpose.periods.reduce((sum, period) => sum + pick(period), 0));
  return {
    live: total((purpose) => purpose.current.live),
    withdrawals: overPeriods((period) => period.withdrawn),
    gpcOptOuts: overPeriods((period) => period.gpcOptOuts),
    renewalsDue: total((purpose) => purpose.current.renewalsDue),
  };
}
