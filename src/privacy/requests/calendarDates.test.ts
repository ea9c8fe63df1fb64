import { describe, expect, it } from 'vitest';
import { addMonthsClamped, calendarDateIn, isCalendarDate } from './calendarDates.ts';

describe('calendar dates', () => {
  it('add months keeping the date, or the last day of a shorter month', () => {
    expect(addMonthsClamped('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonthsClamped('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonthsClamped('2026-03-31', 3)).toBe('2026-06-30');
    expect(addMonthsClamped('2026-11-15', 2)).toBe('2027-01-15');
  });

  it('know which dates exist', () => {
    expect(['2028-02-29', '2027-02-29', '2026-13-01', '2026-1-01'].map(isCalendarDate)).toEqual([true, false, false, false]);
  });

  it('give the date an instant falls on in a time zone', () => {
    expect(calendarDateIn(new Date('2026-06-30T23:30:00Z'), 'Europe/Berlin')).toBe('2026-07-01');
    expect(calendarDateIn(new Date('2026-07-01T05:00:00Z'), 'America/Los_Angeles')).toBe('2026-06-30');
  });
});
