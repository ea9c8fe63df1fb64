import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import { activities } from '../db/schema/index.ts';
import type { PurposeContext } from './accessContext.ts';
import { appendAudit } from './audit.ts';
import { inTransaction } from './audit/head.ts';
import { requireGrantedPurpose } from './policy/purposeGrant.ts';
import { kernelKeyStore } from './runtime.ts';
import { asSubjectReasons, deniedReasonsColumn, fieldAccess, openOrIntegrityError, WithheldList, type WithheldField } from './trackingAccess.ts';
import { eraseSubjects } from './subjectErasure.ts';
import { ensureSubjectKeys, openValue, sealValue, unwrapSubjectKeys, type SubjectKeys } from './vault/index.ts';

/*
 * The data-access layer for activity free text: the ONLY code that reads or writes
 * `activities.content`. Subject and body are personal data of the people the activity
 * involves, and an activity can name several of them; the catalog therefore makes the
 * activity itself the subject ('record'): the text is sealed under the activity's own key
 * ({ subject: sealed, body: sealed }), so deleting the activity shreds its text whatever
 * copies of the row survive.
 */

export const activityContentFields = ['subject', 'body'] as const;
export type ActivityContentField = (typeof activityContentFields)[number];
export type ActivityContent = Partial<Record<ActivityContentField, string>>;
/** A change to the free text: a string sets a field, null removes it, absent leaves it. */
export type ActivityContentChange = Partial<Record<ActivityContentField, string | null>>;

export type ActivityContentRead = { contents: Map<string, ActivityContent>; withheld: WithheldField[] };

function sealContent(keys: SubjectKeys, content: ActivityContent): Record<string, string> {
  const sealed: Record<string, string> = {};
  for (const field of activityContentFields) {
    const text = content[field];
    if (typeof text === 'string') sealed[field] = sealValue(keys, field, text);
  }
  return sealed;
}

function openContent(keys: SubjectKeys, stored: unknown, fields: readonly ActivityContentField[]): ActivityContent {
  const content: ActivityContent = {};
  if (!stored || typeof stored !== 'object') return content;
  for (const field of fields) {
    const sealed = (stored as Record<string, unknown>)[field];
    if (sealed === undefined) continue;
    content[field] = String(
      openOrIntegrityError('activity', () => {
        if (typeof sealed !== 'string') throw new TypeError('unsealed');
        return openValue(keys, field, sealed);
      }),
    );
  }
  return content;
}

/**
 * Applies a change to one activity's free text in the caller's transaction and returns the
 * names of the fields it touched (never their values), for the change record. New values
 * are sealed under the activity's key (created on first use).
 */
export async function writeActivityContent(tx: Executor, ctx: PurposeContext, activityId: string, change: ActivityContentChange): Promise<ActivityContentField[]> {
  const touched = activityContentFields.filter((field) => change[field] !== undefined);
  if (touched.length === 0) return [];
  await requireGrantedPurpose(tx, ctx);
  const set: ActivityContent = {};
  let content: SQL = sql`${activities.content}`;
  for (const field of touched) {
    const value = change[field];
    if (value === null) content = sql`${content} - ${field}::text`;
    else if (value !== undefined) set[field] = value;
  }
  const keys = Object.keys(set).length > 0 ? (await ensureSubjectKeys(tx, kernelKeyStore(), ctx.tenantId, [activityId])).get(activityId) : undefined;
  const sealed = keys ? sealContent(keys, set) : {};
  await tx
    .update(activities)
    .set({ content: sql`(${content}) || ${JSON.stringify(sealed)}::jsonb` })
    .where(and(eq(activities.tenantId, ctx.tenantId), eq(activities.id, activityId)));
  return touched;
}

/**
 * Sets the free text of many activities in one statement, replacing what they held: for
 * bulk paths (seeds, imports) that have just inserted the activities. One ensureSubjectKeys
 * for all of them.
 */
export async function storeActivityContents(tx: Executor, ctx: PurposeContext, entries: ReadonlyArray<{ activityId: string; content: ActivityContent }>): Promise<void> {
  if (entries.length === 0) return;
  await requireGrantedPurpose(tx, ctx);
  const ids = entries.map((entry) => entry.activityId);
  const keys = await ensureSubjectKeys(tx, kernelKeyStore(), ctx.tenantId, ids);
  const contents = entries.map((entry) => JSON.stringify(sealContent(keys.get(entry.activityId)!, entry.content)));
  await tx.execute(sql`
    update activities as a set content = v.content::jsonb
    from unnest(${sql.param(ids)}::uuid[], ${sql.param(contents)}::text[]) as v(id, content)
    where a.tenant_id = ${ctx.tenantId} and a.id = v.id`);
}

/**
 * The free text of each activity, by id, through the policy: only the fields the catalog
 * declares for the purpose (the relationship purposes), only for activities whose basis
 * holds (the subject rules are a column of the query that reads the text); the rest are
 * absent and listed in `withheld`. Activities without text map to {}. One audit entry
 * (activity.read) with the activities' pseudonyms and the field names opened.
 */
export async function readActivityContent(executor: Executor, ctx: PurposeContext, activityIds: string[]): Promise<ActivityContentRead> {
  const contents = new Map<string, ActivityContent>();
  if (activityIds.length === 0) return { contents, withheld: [] };
  return inTransaction(executor, async (tx) => {
    const access = await fieldAccess(tx, ctx, 'activity');
    const withheld = new WithheldList(access.withheld);
    const fields = activityContentFields.filter((field) => access.allowed.has(field));
    const rows = await tx
      .select({
        id: activities.id,
        // The text is not even fetched when no field of it may be read.
        content: fields.length > 0 ? activities.content : sql<unknown>`null`,
        denied: deniedReasonsColumn(ctx, access.purpose, new Date(), sql`${activities.id}`),
      })
      .from(activities)
      .where(and(eq(activities.tenantId, ctx.tenantId), sql`${activities.id} = any(${sql.param(activityIds)}::uuid[])`));
    const readable = rows.filter((row) => {
      const denied = asSubjectReasons(row.denied);
      for (const field of fields) for (const reason of denied) withheld.add(field, reason);
      return denied.length === 0;
    });
    const withText = readable.filter((row) => row.content && Object.keys(row.content as object).length > 0);
    const keys = fields.length > 0 ? await unwrapSubjectKeys(tx, kernelKeyStore(), ctx.tenantId, withText.map((row) => row.id)) : new Map<string, SubjectKeys>();
    const opened = new Set<string>();
    for (const row of rows) contents.set(row.id, {});
    for (const row of withText) {
      const subjectKeys = keys.get(row.id);
      if (!subjectKeys) {
        for (const field of fields) withheld.add(field, 'erased');
        continue;
      }
      const content = openContent(subjectKeys, row.content, fields);
      for (const field of Object.keys(content)) opened.add(field);
      contents.set(row.id, content);
    }
    await appendAudit(tx, ctx, {
      action: 'activity.read',
      object: 'activity',
      fields: [...opened].sort(),
      decision: withheld.list.length > 0 ? 'partial' : 'allow',
      reasons: withheld.reasons,
      subjectIds: rows.map((row) => row.id),
    });
    return { contents, withheld: withheld.list };
  });
}

/** The free text of each activity, by id (readActivityContent without the withheld list). */
export async function readActivityContents(executor: Executor, ctx: PurposeContext, activityIds: string[]): Promise<Map<string, ActivityContent>> {
  return (await readActivityContent(executor, ctx, activityIds)).contents;
}

/**
 * For deleting activities: erases their audit index rows and shreds their keys in the
 * caller's transaction, so their text is unreadable in any copy of the rows (the caller
 * deletes the rows and records the change).
 */
export async function shredActivityContents(tx: Executor, ctx: PurposeContext, activityIds: readonly string[]): Promise<void> {
  await eraseSubjects(tx, ctx, activityIds);
}
