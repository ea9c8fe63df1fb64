import { describe, expect, it } from 'vitest';
import { isOverdue, type RequestKind, requestDeadlines } from './deadlines.ts';
import { publicHolidays } from './publicHolidays.ts';
import type { WorkingCalendar } from './workingDays.ts';

function holidaysOf(jurisdiction: string): WorkingCalendar {
  return { holidays: new Set(publicHolidays(jurisdiction, [2026, 2027, 2028]).map((holiday) => holiday.date)) };
}
const germany = { timeZone: 'Europe/Berlin', calendar: holidaysOf('DE') };
const california = { timeZone: 'America/Los_Angeles', calendar: holidaysOf('US-CA') };

describe('GDPR deadlines, counted as Regulation 1182/71 counts months', () => {
  const cases: Array<{ why: string; receivedAt: string; respondBy: string; extendedRespondBy: string }> = [
    {
      why: 'a Sunday followed by Easter Monday moves to the Tuesday',
      receivedAt: '2026-03-05T10:00:00Z',
      respondBy: '2026-04-07',
      extendedRespondBy: '2026-06-05',
    },
    {
      why: 'the 31st ends on the last day of a shorter month, a Sunday, so on Monday',
      receivedAt: '2027-01-31T09:00:00Z',
      respondBy: '2027-03-01',
      extendedRespondBy: '2027-04-30',
    },
    { why: 'in a leap year the 31 January ends on 29 February', receivedAt: '2028-01-31T09:00:00Z', respondBy: '2028-02-29', extendedRespondBy: '2028-05-02' },
    { why: 'a request of 29 February runs to the 29th', receivedAt: '2028-02-29T09:00:00Z', respondBy: '2028-03-29', extendedRespondBy: '2028-05-29' },
    {
      why: "New Year's Day and a weekend push the end to the Monday",
      receivedAt: '2026-11-30T23:30:00Z',
      respondBy: '2027-01-04',
      extendedRespondBy: '2027-03-01',
    },
    { why: 'both Christmas days and a Sunday are skipped', receivedAt: '2026-11-25T12:00:00Z', respondBy: '2026-12-28', extendedRespondBy: '2027-02-25' },
  ];
  it.each(cases)('$why ($receivedAt)', ({ receivedAt, respondBy, extendedRespondBy }) => {
    const deadlines = requestDeadlines({ regime: 'gdpr', kind: 'access', receivedAt: new Date(receivedAt), ...germany });
    expect(deadlines).toMatchObject({ acknowledgeBy: null, respondBy, extensionNoticeBy: respondBy, extendedRespondBy });
  });

  it('counts the day of receipt in the jurisdiction: 23:30 UTC on 30 November is 1 December in Berlin', () => {
    expect(requestDeadlines({ regime: 'gdpr', kind: 'erasure', receivedAt: new Date('2026-11-30T23:30:00Z'), ...germany }).receivedOn).toBe('2026-12-01');
  });

  it('gives every kind of request the same month', () => {
    const kinds: RequestKind[] = ['access', 'portability', 'rectification', 'erasure', 'restriction', 'objection', 'opt_out_sale_sharing', 'limit_sensitive'];
    const answers = new Set(
      kinds.map((kind) => requestDeadlines({ regime: 'gdpr', kind, receivedAt: new Date('2026-03-05T10:00:00Z'), ...germany }).respondBy),
    );
    expect([...answers]).toEqual(['2026-04-07']);
  });
});

describe('CCPA deadlines', () => {
  it('confirms within 10 business days past Thanksgiving, answers in 45 calendar days and at most 90', () => {
    // Friday 20 November, 18:00 in California (02:00 UTC on the 21st).
    const deadlines = requestDeadlines({ regime: 'ccpa', kind: 'access', receivedAt: new Date('2026-11-21T02:00:00Z'), ...california });
    expect(deadlines).toEqual({
      receivedOn: '2026-11-20',
      acknowledgeBy: '2026-12-08',
      respondBy: '2027-01-04',
      extensionNoticeBy: '2027-01-04',
      extendedRespondBy: '2027-02-18',
    });
  });

  it('honours an opt-out of sale within 15 business days, skipping Christmas and New Year, with no extension', () => {
    for (const kind of ['opt_out_sale_sharing', 'limit_sensitive'] as const) {
      const deadlines = requestDeadlines({ regime: 'ccpa', kind, receivedAt: new Date('2026-12-18T17:00:00Z'), ...california });
      expect(deadlines).toEqual({ receivedOn: '2026-12-18', acknowledgeBy: null, respondBy: '2027-01-12', extensionNoticeBy: null, extendedRespondBy: null });
    }
  });

  it('counts calendar days through a leap day', () => {
    const deadlines = requestDeadlines({ regime: 'ccpa', kind: 'erasure', receivedAt: new Date('2028-02-10T18:00:00Z'), ...california });
    expect([deadlines.respondBy, deadlines.extendedRespondBy]).toEqual(['2028-03-26', '2028-05-10']);
  });
});

describe('being overdue', () => {
  it('leaves the whole of the last day in time, in the jurisdiction’s time zone', () => {
    expect(isOverdue('2026-04-07', new Date('2026-04-07T21:59:59Z'), 'Europe/Berlin')).toBe(false);
    expect(isOverdue('2026-04-07', new Date('2026-04-07T22:00:01Z'), 'Europe/Berlin')).toBe(true);
  });
});
