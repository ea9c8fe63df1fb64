import { and, count, eq, gte, lt, sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { activities } from '../../db/schema/index.ts';
import type { PurposeContext } from '../../kernel/index.ts';

/** How many activities occurred in one week (Monday 00:00 UTC to the next Monday). */
export type ActivityWeek = { weekStart: string; count: number };

const dayMs = 86_400_000;

/** The Mondays (00:00 UTC) starting the last `weeks` weeks, oldest first; the last is this week's. */
export function weekStarts(now: Date, weeks: number): Date[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const monday = today - ((now.getUTCDay() + 6) % 7) * dayMs;
  return Array.from({ length: weeks }, (_, index) => new Date(monday - (weeks - 1 - index) * 7 * dayMs));
}

const dayOf = (date: Date) => date.toISOString().slice(0, 10);

/**
 * The number of activities logged per week over the last `weeks` weeks, every week listed
 * (zero included), for a chart. One grouped query over the non-personal `occurred_at`
 * column: no activity's text or links are read, so nothing goes through the kernel or the
 * audit trail — the activities list already counts the same rows under count=true; the
 * caller's context still had to pass the grant check for reading activities.
 */
export async function activitiesPerWeek(db: Executor, ctx: PurposeContext, weeks: number, now = new Date()): Promise<ActivityWeek[]> {
  const starts = weekStarts(now, weeks);
  const from = starts[0] ?? now;
  const until = new Date((starts.at(-1) ?? now).getTime() + 7 * dayMs);
  const week = sql<string>`to_char(date_trunc('week', ${activities.occurredAt} at time zone 'UTC'), 'YYYY-MM-DD')`;
  const rows = await db
    .select({ week, count: count() })
    .from(activities)
    .where(and(eq(activities.tenantId, ctx.tenantId), gte(activities.occurredAt, from), lt(activities.occurredAt, until)))
    .groupBy(week);
  const counts = new Map(rows.map((row) => [row.week, Number(row.count)]));
  return starts.map((start) => ({ weekStart: dayOf(start), count: counts.get(dayOf(start)) ?? 0 }));
}
