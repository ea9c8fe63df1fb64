/*
 * The periods of the consent dashboard: calendar weeks (Monday 00:00 UTC) or months (the 1st,
 * 00:00 UTC) covering the days asked, whole, so a period's counts never depend on where the
 * range was cut. Pure date arithmetic, no data.
 */

export const consentIntervals = ['week', 'month'] as const;
export type ConsentInterval = (typeof consentIntervals)[number];

/** The most periods one request may ask for (three years of weeks). */
export const maxConsentPeriods = 156;
/** How many periods are shown when no `from` is given. */
export const defaultConsentPeriods = 12;

export type ConsentPeriod = {
  start: Date;
  /** Exclusive: the next period's start. */
  end: Date;
  /** When its point-in-time figures are taken (counting the events recorded before it): its end, or now for the period under way. */
  measuredAt: Date;
};

const dayMs = 86_400_000;

/** The start of the period holding `date` (a UTC day or instant). */
export function periodStart(date: Date, interval: ConsentInterval): Date {
  if (interval === 'month') return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
  const day = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  return new Date(day - ((date.getUTCDay() + 6) % 7) * dayMs);
}

/** The start of the period `count` periods after (or before, when negative) the one starting at `start`. */
export function shiftPeriod(start: Date, interval: ConsentInterval, count: number): Date {
  if (interval === 'month') return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + count, 1));
  return new Date(start.getTime() + count * 7 * dayMs);
}

/** How many periods from the one holding `from` to the one holding `to`, both included. */
export function periodCount(from: Date, to: Date, interval: ConsentInterval): number {
  const first = periodStart(from, interval);
  const last = periodStart(to, interval);
  if (interval === 'month') return (last.getUTCFullYear() - first.getUTCFullYear()) * 12 + last.getUTCMonth() - first.getUTCMonth() + 1;
  return Math.round((last.getTime() - first.getTime()) / (7 * dayMs)) + 1;
}

/** The day (YYYY-MM-DD) `from` defaults to: the start of the period defaultConsentPeriods - 1 before the one holding `to`. */
export function defaultFrom(to: Date, interval: ConsentInterval): Date {
  return shiftPeriod(periodStart(to, interval), interval, -(defaultConsentPeriods - 1));
}

/**
 * The periods holding the days from `from` to `to` (both included, from <= to), oldest
 * first, leaving out those that have not begun at `now`.
 */
export function consentPeriods(from: Date, to: Date, interval: ConsentInterval, now: Date): ConsentPeriod[] {
  const periods: ConsentPeriod[] = [];
  const last = periodStart(to, interval).getTime();
  for (let start = periodStart(from, interval); start.getTime() <= last && start.getTime() <= now.getTime(); ) {
    const end = shiftPeriod(start, interval, 1);
    periods.push({ start, end, measuredAt: end.getTime() < now.getTime() ? end : now });
    start = end;
  }
  return periods;
}

export const dayOf = (date: Date) => date.toISOString().slice(0, 10);
