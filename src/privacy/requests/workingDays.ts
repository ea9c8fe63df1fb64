import { addDays, type CalendarDate, dayOfWeek } from './calendarDates.ts';

/** Monday to Friday, except the jurisdiction's public holidays. */
export type WorkingCalendar = { holidays: ReadonlySet<CalendarDate> };

export function isWorkingDay(date: CalendarDate, calendar: WorkingCalendar): boolean {
  const weekday = dayOfWeek(date);
  return weekday !== 0 && weekday !== 6 && !calendar.holidays.has(date);
}

/** The date itself if it is a working day, else the next working day. */
export function workingDayOnOrAfter(date: CalendarDate, calendar: WorkingCalendar): CalendarDate {
  let day = date;
  while (!isWorkingDay(day, calendar)) day = addDays(day, 1);
  return day;
}

/** The `count`th working day after `date` (the day itself is not counted). */
export function addWorkingDays(date: CalendarDate, count: number, calendar: WorkingCalendar): CalendarDate {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`a number of working days must be a whole number ≥ 0: ${count}`);
  let day = date;
  for (let counted = 0; counted < count; ) {
    day = addDays(day, 1);
    if (isWorkingDay(day, calendar)) counted += 1;
  }
  return day;
}
