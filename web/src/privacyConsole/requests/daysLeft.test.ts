import { describe, expect, it } from 'vitest';
import { daysLeft } from './daysLeft.ts';

describe('the days left to answer a request', () => {
  it('counts whole calendar days, 0 on the due date and negative once it has passed, across a month end', () => {
    const now = new Date(2027, 0, 30, 23, 30);
    expect(daysLeft('2027-02-01', now)).toBe(2);
    expect(daysLeft('2027-01-30', now)).toBe(0);
    expect(daysLeft('2027-01-28', now)).toBe(-2);
  });
});
