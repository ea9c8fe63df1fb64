import { describe, expect, it } from 'vitest';
import type { ConsentStatistics } from '../../api/types.ts';
import { consentRateChartData, consentSummary, optOutChartData, periodLabel, rateText, renewalRows } from './consentDashboardData.ts';

type PurposeEntry = ConsentStatistics['purposes'][number];
type Counts = Partial<PurposeEntry['periods'][number]>;

const zero = { given: 0, refused: 0, withdrawn: 0, renewed: 0, expired: 0, optedOut: 0, gpcOptOuts: 0, onRecord: 0, live: 0, consentRate: null };
const noneNow = { onRecord: 0, live: 0, consentRate: null, refused: 0, withdrawn: 0, expired: 0, optedOut: 0, expiringSoon: 0, olderNotice: 0, renewalsDue: 0 };
const periods = [
  { start: '2026-01-01', end: '2026-02-01' },
  { start: '2026-02-01', end: '2026-03-01' },
];

function purpose(
  purposeKey: string,
  legalBasis: string,
  counts: [Counts, Counts],
  current: Partial<PurposeEntry['current']> = {},
  renewBy?: string,
): PurposeEntry {
  return {
    purposeKey,
    legalBasis,
    periods: periods.map((period, index) => ({ ...period, measuredAt: `${period.end}T00:00:00.000Z`, ...zero, ...counts[index] })),
    current: { ...noneNow, ...current },
    materialNotice: renewBy ? { version: 2, renewBy } : null,
  };
}

const statistics: ConsentStatistics = {
  interval: 'month',
  asOf: '2026-02-14T12:00:00.000Z',
  renewalWindowDays: 30,
  periods,
  purposes: [
    purpose(
      'email_marketing',
      'consent',
      [
        { consentRate: 0.5, withdrawn: 2 },
        { consentRate: 0.1234, withdrawn: 1 },
      ],
      { live: 40, expiringSoon: 3, olderNotice: 5, renewalsDue: 7 },
      '2026-03-01T00:00:00.000Z',
    ),
    purpose('web_analytics', 'consent', [{}, { consentRate: 1, gpcOptOuts: 0 }], { live: 2 }),
    purpose('third_party_sharing', 'legitimate_interests', [{ gpcOptOuts: 4, withdrawn: 9 }, { gpcOptOuts: 1 }]),
  ],
};

describe('the consent dashboard’s charts and tables', () => {
  it('draw one consent-rate line per consent purpose, in percent, with a gap where nobody was asked', () => {
    const data = consentRateChartData(statistics);
    expect(data.categories).toEqual(['2026-01-01', '2026-02-01']);
    expect(data.series.map((series) => [series.label, series.values])).toEqual([
      ['E-mail marketing', [50, 12.3]],
      ['Web analytics', [null, 100]],
    ]);
    expect(data.series[1]!.texts).toEqual([rateText(null), rateText(1)]);
    expect(rateText(null)).toBe('nobody asked');
  });

  it('add up withdrawals and GPC opt-outs of every purpose per period', () => {
    const data = optOutChartData(statistics);
    expect(data.categories).toEqual([periodLabel('2026-01-01', 'month'), periodLabel('2026-02-01', 'month')]);
    expect(data.series.map((series) => [series.label, series.values])).toEqual([
      ['Withdrawals', [11, 1]],
      ['GPC opt-outs', [4, 1]],
    ]);
  });

  it('list only the purposes with renewals due, and sum the figures', () => {
    expect(renewalRows(statistics)).toEqual([
      { purposeKey: 'email_marketing', expiringSoon: 3, olderNotice: 5, renewalsDue: 7, renewBy: '2026-03-01T00:00:00.000Z' },
    ]);
    expect(consentSummary(statistics)).toEqual({ live: 42, withdrawals: 12, gpcOptOuts: 5, renewalsDue: 7 });
  });
});
