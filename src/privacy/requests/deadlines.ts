import { addDays, addMonthsClamped, type CalendarDate, calendarDateIn } from './calendarDates.ts';
import { addWorkingDays, type WorkingCalendar, workingDayOnOrAfter } from './workingDays.ts';

export const requestKinds = [
  'access',
  'portability',
  'rectification',
  'erasure',
  'restriction',
  'objection',
  'opt_out_sale_sharing',
  'limit_sensitive',
] as const;
export type RequestKind = (typeof requestKinds)[number];
export type Regime = 'gdpr' | 'ccpa';

/**
 * When a request must be answered. Dates are the last day on which the act is in time, in
 * the jurisdiction's calendar; `null` where the regime sets no such step.
 */
export type RequestDeadlines = {
  /** The date the request counts as received, in the jurisdiction's time zone. */
  receivedOn: CalendarDate;
  /** Confirm receipt (CCPA: 10 business days). */
  acknowledgeBy: CalendarDate | null;
  /** Answer without an extension. */
  respondBy: CalendarDate;
  /** The last day on which the person can be told of an extension and its reasons. */
  extensionNoticeBy: CalendarDate | null;
  /** Answer when extended; null where no extension is allowed. */
  extendedRespondBy: CalendarDate | null;
};

export type DeadlineInput = {
  regime: Regime;
  kind: RequestKind;
  receivedAt: Date;
  /** IANA time zone of the jurisdiction whose days count (Europe/Berlin, America/Los_Angeles). */
  timeZone: string;
  calendar: WorkingCalendar;
};

/**
 * GDPR Art. 12(3): one month, extendable by two further months, counted as Regulation (EEC,
 * Euratom) No 1182/71 counts: the day of receipt is not counted (Art. 3(1)); the period ends
 * on the same date of the last month, or that month's last day where it has no such date
 * (Art. 3(2)(c)); a period ending on a Saturday, Sunday or public holiday ends on the next
 * working day (Art. 3(4)). The extended period is counted as three months from receipt.
 */
function gdprMonths(receivedOn: CalendarDate, months: number, calendar: WorkingCalendar): CalendarDate {
  return workingDayOnOrAfter(addMonthsClamped(receivedOn, months), calendar);
}

/**
 * CCPA (Cal. Civ. Code §1798.130(a)(2), CCPA Regulations §§7021, 7026(f), 7027(g)): confirm
 * within 10 business days and answer within 45 calendar days, once extendable by 45 more
 * with notice inside the first 45; opt-outs of sale or sharing and limits on sensitive data
 * are honoured within 15 business days, without extension.
 */
function ccpaDeadlines(receivedOn: CalendarDate, kind: RequestKind, calendar: WorkingCalendar): Omit<RequestDeadlines, 'receivedOn'> {
  if (kind === 'opt_out_sale_sharing' || kind === 'limit_sensitive' || kind === 'objection') {
    return { acknowledgeBy: null, respondBy: addWorkingDays(receivedOn, 15, calendar), extensionNoticeBy: null, extendedRespondBy: null };
  }
  const respondBy = addDays(receivedOn, 45);
  return { acknowledgeBy: addWorkingDays(receivedOn, 10, calendar), respondBy, extensionNoticeBy: respondBy, extendedRespondBy: addDays(receivedOn, 90) };
}

export function requestDeadlines(input: DeadlineInput): RequestDeadlines {
  const receivedOn = calendarDateIn(input.receivedAt, input.timeZone);
  if (input.regime === 'ccpa') return { receivedOn, ...ccpaDeadlines(receivedOn, input.kind, input.calendar) };
  const respondBy = gdprMonths(receivedOn, 1, input.calendar);
  return { receivedOn, acknowledgeBy: null, respondBy, extensionNoticeBy: respondBy, extendedRespondBy: gdprMonths(receivedOn, 3, input.calendar) };
}

/** Whether a date is past its deadline: the whole of the deadline's day is still in time. */
export function isOverdue(deadline: CalendarDate, now: Date, timeZone: string): boolean {
  return calendarDateIn(now, timeZone) > deadline;
}
