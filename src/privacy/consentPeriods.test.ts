import { describe, expect, it } from 'vitest';
import { consentPeriods, dayOf, defaultFrom, periodCount, periodStart } from './consentPeriods.ts';

const utc = (iso: string) => new Date(iso);
const days = (periods: ReturnType<typeof consentPeriods>) => periods.map((period) => [dayOf(period.start), dayOf(period.end)]);

describe('the consent dashboard periods', () => {
  it('start weeks on Monday and months on the 1st, in UTC', () => {
    expect(dayOf(periodStart(utc('2025-02-09T23:59:59Z'), 'week'))).toBe('2025-02-03');
    expect(dayOf(periodStart(utc('2025-02-10T00:00:00Z'), 'week'))).toBe('2025-02-10');
    expect(dayOf(periodStart(utc('2025-02-28T12:00:00Z'), 'month'))).toBe('2025-02-01');
  });

  it('cover the days asked with whole periods, across a year end', () => {
    const now = utc('2026-06-01T00:00:00Z');
    expect(days(consentPeriods(utc('2024-11-20'), utc('2025-01-02'), 'month', now))).toEqual([
      ['2024-11-01', '2024-12-01'],
      ['2024-12-01', '2025-01-01'],
      ['2025-01-01', '2025-02-01'],
    ]);
    expect(days(consentPeriods(utc('2024-12-31'), utc('2025-01-06'), 'week', now))).toEqual([
      ['2024-12-30', '2025-01-06'],
      ['2025-01-06', '2025-01-13'],
    ]);
    expect(periodCount(utc('2024-11-20'), utc('2025-01-02'), 'month')).toBe(3);
    expect(periodCount(utc('2024-12-31'), utc('2025-01-06'), 'week')).toBe(2);
  });

  it('measure a finished period at its end and the one under way now, and leave out those not begun', () => {
    const now = utc('2025-02-14T15:00:00Z');
    const periods = consentPeriods(utc('2025-01-01'), utc('2025-04-30'), 'month', now);
    expect(days(periods)).toEqual([
      ['2025-01-01', '2025-02-01'],
      ['2025-02-01', '2025-03-01'],
    ]);
    expect(periods.map((period) => period.measuredAt.toISOString())).toEqual(['2025-02-01T00:00:00.000Z', now.toISOString()]);
  });

  it('default to twelve periods ending with the one holding `to`', () => {
    expect(dayOf(defaultFrom(utc('2025-03-15'), 'month'))).toBe('2024-04-01');
    expect(dayOf(defaultFrom(utc('2025-03-15'), 'week'))).toBe('2024-12-23');
  });
});
