import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import { activities } from '../db/schema/index.ts';
import type { AccessContext } from './accessContext.ts';

/*
 * The pass-through data-access layer for activity free text: the ONLY code that reads or
 * writes `activities.content`. Subject and body are personal data of the people the
 * activity involves (see src/db/schema/people.ts), so the privacy kernel will decide,
 * encrypt and audit here; callers already pass the AccessContext it needs.
 */

export const activityContentFields = ['subject', 'body'] as const;
export type ActivityContentField = (typeof activityContentFields)[number];
export type ActivityContent = Partial<Record<ActivityContentField, string>>;
/** A change to the free text: a string sets a field, null removes it, absent leaves it. */
export type ActivityContentChange = Partial<Record<ActivityContentField, string | null>>;

function stored(value: unknown): ActivityContent {
  const content: ActivityContent = {};
  if (value && typeof value === 'object') {
    for (const field of activityContentFields) {
      const text = (value as Record<string, unknown>)[field];
      if (typeof text === 'string') content[field] = text;
    }
  }
  return content;
}

/**
 * Applies a change to one activity's free text in the caller's transaction and returns the
 * names of the fields it touched (never their values), for the change record.
 */
export async function writeActivityContent(tx: Executor, ctx: AccessContext, activityId: string, change: ActivityContentChange): Promise<ActivityContentField[]> {
  const touched = activityContentFields.filter((field) => change[field] !== undefined);
  if (touched.length === 0) return [];
  const set: ActivityContent = {};
  let content: SQL = sql`${activities.content}`;
  for (const field of touched) {
    const value = change[field];
    if (value === null) content = sql`${content} - ${field}::text`;
    else if (value !== undefined) set[field] = value;
  }
  await tx
    .update(activities)
    .set({ content: sql`(${content}) || ${JSON.stringify(set)}::jsonb` })
    .where(and(eq(activities.tenantId, ctx.tenantId), eq(activities.id, activityId)));
  return touched;
}

/**
 * Sets the free text of many activities in one statement, replacing what they held: for
 * bulk paths (seeds, imports) that have just inserted the activities.
 */
export async function storeActivityContents(tx: Executor, ctx: AccessContext, entries: ReadonlyArray<{ activityId: string; content: ActivityContent }>): Promise<void> {
  if (entries.length === 0) return;
  const ids = entries.map((entry) => entry.activityId);
  const contents = entries.map((entry) => JSON.stringify(stored(entry.content)));
  await tx.execute(sql`
    update activities as a set content = v.content::jsonb
    from unnest(${sql.param(ids)}::uuid[], ${sql.param(contents)}::text[]) as v(id, content)
    where a.tenant_id = ${ctx.tenantId} and a.id = v.id`);
}

/** The free text of each activity, by id; activities without text map to {}. */
export async function readActivityContents(db: Executor, ctx: AccessContext, activityIds: string[]): Promise<Map<string, ActivityContent>> {
  const contents = new Map<string, ActivityContent>();
  if (activityIds.length === 0) return contents;
  const rows = await db
    .select({ id: activities.id, content: activities.content })
    .from(activities)
    .where(and(eq(activities.tenantId, ctx.tenantId), inArray(activities.id, activityIds)));
  for (const row of rows) contents.set(row.id, stored(row.content));
  return contents;
}
