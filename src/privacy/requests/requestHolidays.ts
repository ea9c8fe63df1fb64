import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { selectRows } from '../../db/rows.ts';
import { appendAudit, type AccessContext } from '../../kernel/index.ts';
import { invalid } from '../../shared/domainError.ts';
import { type CalendarDate, isCalendarDate, yearOf } from './calendarDates.ts';
import { isRequestJurisdiction } from './jurisdictions.ts';
import { publicHolidays } from './publicHolidays.ts';
import type { WorkingCalendar } from './workingDays.ts';

/*
 * The holidays a workspace's business days skip, per jurisdiction. Each year of a
 * jurisdiction is seeded once from the public holidays computed offline (publicHolidays.ts)
 * the first time it is needed; after that the list is the admins': a holiday they add counts,
 * one they delete stays deleted (kept as `removed`, so the next seeding does not bring it
 * back). A request's deadlines are fixed when it is received, with the list as it then was.
 */

export type RequestHoliday = { date: CalendarDate; name: string };

export function assertJurisdiction(jurisdiction: string): void {
  if (!isRequestJurisdiction(jurisdiction)) throw invalid('jurisdiction', 'an EEA or UK country (DE), its state (DE-BY), or US-CA');
}

async function seedYears(tx: Executor, tenantId: string, jurisdiction: string, years: readonly number[]): Promise<void> {
  const seeded = await selectRows<{ year: number }>(
    tx,
    sql`select year from request_holiday_years where tenant_id = ${tenantId} and jurisdiction = ${jurisdiction} and year = any(${sql.param([...years])}::int[])`,
  );
  const missing = years.filter((year) => !seeded.some((row) => Number(row.year) === year));
  if (missing.length === 0) return;
  for (const holiday of publicHolidays(jurisdiction, missing)) {
    await tx.execute(sql`
      insert into request_holidays (tenant_id, jurisdiction, date, name) values (${tenantId}, ${jurisdiction}, ${holiday.date}::date, ${holiday.name})
      on conflict do nothing`);
  }
  for (const year of missing) {
    await tx.execute(
      sql`insert into request_holiday_years (tenant_id, jurisdiction, year) values (${tenantId}, ${jurisdiction}, ${year}) on conflict do nothing`,
    );
  }
}

const dateText = (value: unknown): CalendarDate => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10));

/** The working calendar of a jurisdiction over the given years (seeded first where needed). */
export async function workingCalendar(tx: Executor, tenantId: string, jurisdiction: string, years: readonly number[]): Promise<WorkingCalendar> {
  await seedYears(tx, tenantId, jurisdiction, years);
  const rows = await selectRows<{ date: unknown }>(
    tx,
    sql`select date::text as date from request_holidays
        where tenant_id = ${tenantId} and jurisdiction = ${jurisdiction} and not removed and extract(year from date)::int = any(${sql.param([...years])}::int[])`,
  );
  return { holidays: new Set(rows.map((row) => dateText(row.date))) };
}

export async function listRequestHolidays(tx: Executor, tenantId: string, jurisdiction: string, year: number): Promise<RequestHoliday[]> {
  assertJurisdiction(jurisdiction);
  await seedYears(tx, tenantId, jurisdiction, [year]);
  const rows = await selectRows<{ date: unknown; name: string }>(
    tx,
    sql`select date::text as date, name from request_holidays
        where tenant_id = ${tenantId} and jurisdiction = ${jurisdiction} and not removed and extract(year from date)::int = ${year}
        order by date`,
  );
  return rows.map((row) => ({ date: dateText(row.date), name: row.name }));
}

function checkedDate(date: string): CalendarDate {
  if (!isCalendarDate(date)) throw invalid('date', 'a calendar date, YYYY-MM-DD');
  return date;
}

/** Adds a holiday, or renames one; audited (names and dates only). */
export async function putRequestHoliday(tx: Executor, ctx: AccessContext, jurisdiction: string, date: string, name: string): Promise<RequestHoliday> {
  assertJurisdiction(jurisdiction);
  const day = checkedDate(date);
  await seedYears(tx, ctx.tenantId, jurisdiction, [yearOf(day)]);
  await tx.execute(sql`
    insert into request_holidays (tenant_id, jurisdiction, date, name) values (${ctx.tenantId}, ${jurisdiction}, ${day}::date, ${name})
    on conflict (tenant_id, jurisdiction, date) do update set name = excluded.name, removed = false, updated_at = now()`);
  await appendAudit(tx, ctx, { action: 'request_holiday.set', object: 'request_holiday', detail: { jurisdiction, date: day } });
  return { date: day, name };
}

/** Removes a holiday (seeded or added) from the working calendar; returns whether it was one. Audited. */
export async function deleteRequestHoliday(tx: Executor, ctx: AccessContext, jurisdiction: string, date: string): Promise<boolean> {
  assertJurisdiction(jurisdiction);
  const day = checkedDate(date);
  await seedYears(tx, ctx.tenantId, jurisdiction, [yearOf(day)]);
  const removed = await selectRows<{ date: unknown }>(
    tx,
    sql`update request_holidays set removed = true, updated_at = now()
        where tenant_id = ${ctx.tenantId} and jurisdiction = ${jurisdiction} and date = ${day}::date and not removed returning date`,
  );
  await appendAudit(tx, ctx, {
    action: 'request_holiday.removed',
    object: 'request_holiday',
    detail: { jurisdiction, date: day, removed: removed.length > 0 },
  });
  return removed.length > 0;
}
