import Holidays from 'date-holidays';
import type { CalendarDate } from './calendarDates.ts';

export type PublicHoliday = { date: CalendarDate; name: string };

/**
 * The public holidays of a jurisdiction — a country (`DE`) or a country and its state
 * (`US-CA`, `DE-BY`) — computed offline by date-holidays (fixed dates, weekday rules and the
 * Easter computus). They seed the list an admin edits; they are not the list itself.
 */
export function publicHolidays(jurisdiction: string, years: readonly number[]): PublicHoliday[] {
  const [country, state] = jurisdiction.split('-');
  const calendar = new Holidays();
  const known = country !== undefined && country in calendar.getCountries() && (state === undefined || state in (calendar.getStates(country) ?? {}));
  if (!known) throw new RangeError(`unknown jurisdiction: ${jurisdiction} (a country code such as DE, or a country and state such as US-CA)`);
  calendar.init(country, state ?? '', { languages: ['en'], types: ['public'] });
  const byDate = new Map<CalendarDate, string>();
  for (const year of years) {
    for (const holiday of calendar.getHolidays(year)) {
      const date = holiday.date.slice(0, 10);
      // Substitute days and holidays falling together: one day, the names joined.
      byDate.set(date, byDate.has(date) ? `${byDate.get(date)}; ${holiday.name}` : holiday.name);
    }
  }
  return [...byDate].map(([date, name]) => ({ date, name })).sort((left, right) => left.date.localeCompare(right.date));
}
