import { describe, expect, it } from 'vitest';
import { requestDeadlines } from './deadlines.ts';
import { publicHolidays } from './publicHolidays.ts';

// The CCPA confirm-by date (acknowledgeBy): the 10th business day after the day of receipt in
// California — Monday to Friday, less California's public holidays, the day of receipt not counted.

const california = {
  timeZone: 'America/Los_Angeles',
  calendar: { holidays: new Set(publicHolidays('US-CA', [2027, 2028]).map((holiday) => holiday.date)) },
};

describe('the CCPA confirm-by date', () => {
  const cases: Array<{ why: string; receivedAt: string; acknowledgeBy: string }> = [
    { why: 'two plain working weeks from a Monday end on the Monday after next', receivedAt: '2027-04-05T17:00:00Z', acknowledgeBy: '2027-04-19' },
    { why: 'a request made on a Saturday counts from the Monday', receivedAt: '2027-04-10T18:00:00Z', acknowledgeBy: '2027-04-23' },
    {
      why: 'Thursday 22:00 in Los Angeles is Friday in UTC: the Thursday is the day of receipt',
      receivedAt: '2027-04-09T05:00:00Z',
      acknowledgeBy: '2027-04-22',
    },
    { why: 'Thanksgiving and the day after are skipped', receivedAt: '2027-11-22T17:00:00Z', acknowledgeBy: '2027-12-08' },
    {
      why: "Christmas and New Year's Day, both observed on Fridays, are skipped across the year end",
      receivedAt: '2027-12-20T18:00:00Z',
      acknowledgeBy: '2028-01-05',
    },
    { why: 'a request made on César Chávez Day counts from the next day', receivedAt: '2027-03-31T18:00:00Z', acknowledgeBy: '2027-04-14' },
    { why: "Juneteenth's substitute Friday is skipped", receivedAt: '2027-06-17T18:00:00Z', acknowledgeBy: '2027-07-02' },
    { why: "Independence Day's substitute Monday moves the 10th day to the Tuesday", receivedAt: '2027-06-21T18:00:00Z', acknowledgeBy: '2027-07-06' },
    { why: "Presidents' Day is skipped and a leap day counts as a working day", receivedAt: '2028-02-16T18:00:00Z', acknowledgeBy: '2028-03-02' },
  ];

  it.each(cases)('$why ($receivedAt → $acknowledgeBy)', ({ receivedAt, acknowledgeBy }) => {
    for (const kind of ['access', 'erasure', 'rectification'] as const) {
      expect(requestDeadlines({ regime: 'ccpa', kind, receivedAt: new Date(receivedAt), ...california }).acknowledgeBy).toBe(acknowledgeBy);
    }
  });

  it('is not set for opt-outs (answered within 15 business days) nor under the GDPR', () => {
    const receivedAt = new Date('2027-04-05T17:00:00Z');
    expect(requestDeadlines({ regime: 'ccpa', kind: 'opt_out_sale_sharing', receivedAt, ...california }).acknowledgeBy).toBeNull();
    expect(requestDeadlines({ regime: 'gdpr', kind: 'access', receivedAt, ...california }).acknowledgeBy).toBeNull();
  });
});
