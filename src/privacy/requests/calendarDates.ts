/**
 * Calendar dates as ISO `YYYY-MM-DD` strings. Legal deadlines are counted in whole days of a
 * jurisdiction, not in instants: a request received at 23:30 in Berlin was received that day
 * in Berlin whatever the server's clock says.
 */
export type CalendarDate = string;

const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(date: CalendarDate): [number, number, number] {
  const match = isoDate.exec(date);
  if (!match) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${date}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

function fromUtc(utc: Date): CalendarDate {
  return utc.toISOString().slice(0, 10);
}

export function isCalendarDate(value: string): boolean {
  const match = isoDate.exec(value);
  return match !== null && fromUtc(new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])))) === value;
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  const [year, month, day] = parts(date);
  return fromUtc(new Date(Date.UTC(year, month - 1, day + days)));
}

/**
 * The same date `months` later; where that month is shorter, its last day
 * (31 January + 1 month = 28 or 29 February).
 */
export function addMonthsClamped(date: CalendarDate, months: number): CalendarDate {
  const [year, month, day] = parts(date);
  const lastDayOfTarget = new Date(Date.UTC(year, month - 1 + months + 1, 0)).getUTCDate();
  return fromUtc(new Date(Date.UTC(year, month - 1 + months, Math.min(day, lastDayOfTarget))));
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: CalendarDate): number {
  const [year, month, day] = parts(date);
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

export function yearOf(date: CalendarDate): number {
  return parts(date)[0];
}

/** The date an instant falls on in an IANA time zone. */
export function calendarDateIn(instant: Date, timeZone: string): CalendarDate {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}
