import { describe, expect, it } from 'vitest';
import { addWorkingDays, isWorkingDay, workingDayOnOrAfter } from './workingDays.ts';

const calendar = { holidays: new Set(['2026-12-25', '2027-01-01']) };

describe('working days', () => {
  it('are Monday to Friday without the holidays', () => {
    expect(['2026-12-24', '2026-12-25', '2026-12-26', '2026-12-27', '2026-12-28'].map((date) => isWorkingDay(date, calendar))).toEqual([
      true,
      false,
      false,
      false,
      true,
    ]);
  });

  it('move a date that is not one to the next one', () => {
    expect(workingDayOnOrAfter('2026-12-25', calendar)).toBe('2026-12-28');
    expect(workingDayOnOrAfter('2026-12-28', calendar)).toBe('2026-12-28');
  });

  it('are counted from the day after', () => {
    expect(addWorkingDays('2026-12-24', 1, calendar)).toBe('2026-12-28');
    expect(addWorkingDays('2026-12-31', 1, calendar)).toBe('2027-01-04');
    expect(addWorkingDays('2026-12-24', 0, calendar)).toBe('2026-12-24');
  });

  it('refuse a negative or fractional count', () => {
    expect(() => addWorkingDays('2026-12-24', -1, calendar)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-12-24', 1.5, calendar)).toThrow(RangeError);
  });
});
