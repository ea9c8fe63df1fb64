// The instants PostgreSQL and JavaScript both hold and write the same way: PostgreSQL has
// no year 0 (JavaScript's 0000 is 1 BC), and toISOString() writes years past 9999 as
// "+010000", which PostgreSQL does not parse. Inside 0001–9999 the ISO form round-trips.
export const earliestStorableMs = Date.parse('0001-01-01T00:00:00.000Z');
export const latestStorableMs = Date.parse('9999-12-31T23:59:59.999Z');
export const storableRangeReason = 'must lie between the years 0001 and 9999 (UTC)';

export const isStorableInstantMs = (ms: number): boolean => Number.isFinite(ms) && ms >= earliestStorableMs && ms <= latestStorableMs;

/** An ISO 8601 instant (e.g. from z.iso.datetime) inside the storable range. */
export const isStorableInstant = (iso: string): boolean => isStorableInstantMs(Date.parse(iso));

const calendarDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A YYYY-MM-DD date that exists and lies in 0001–9999. */
export function isStorableCalendarDate(value: string): boolean {
  const match = calendarDatePattern.exec(value);
  if (!match || match[1] === '0000') return false;
  const ms = Date.parse(`${value}T00:00:00.000Z`);
  return isStorableInstantMs(ms) && new Date(ms).toISOString().slice(0, 10) === value;
}
