import { describe, expect, it } from 'vitest';
import { publicHolidays } from './publicHolidays.ts';

describe('public holidays computed offline', () => {
  it("include Germany's Easter holidays of the year", () => {
    const dates = publicHolidays('DE', [2026]).map((holiday) => holiday.date);
    expect(dates).toEqual(expect.arrayContaining(['2026-01-01', '2026-04-03', '2026-04-06', '2026-10-03', '2026-12-25', '2026-12-26']));
    expect(dates).not.toContain('2026-12-24');
  });

  it("include a state's own holidays and the observed days", () => {
    const holidays = publicHolidays('US-CA', [2026]);
    expect(holidays.map((holiday) => holiday.date)).toEqual(expect.arrayContaining(['2026-03-31', '2026-07-03', '2026-11-26', '2026-11-27']));
    expect(holidays.find((holiday) => holiday.date === '2026-11-26')?.name).toBe('Thanksgiving Day');
  });

  it('refuse a jurisdiction they do not know', () => {
    expect(() => publicHolidays('XX', [2026])).toThrow(/unknown jurisdiction: XX/);
    expect(() => publicHolidays('DE-ZZ', [2026])).toThrow(/unknown jurisdiction: DE-ZZ/);
  });
});
