import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import { activities } from '../db/schema/index.ts';
import type { PurposeContext } from './accessContext.ts';
import { recordAudit } from './audit.ts';
import { inTransaction } from './audit/head.ts';
import { writePolicy } from './callPolicy.ts';
import { kernelKeyStore } from './runtime.ts';
import { subjectDenialsOf, subjectRulesRefusal, writeDenialsOf } from './subjectRules.ts';
import type { PolicyPurpose } from './policy/policyPurpose.ts';
import { rowsOf } from '../db/rows.ts';
import { fieldAccess, openOrIntegrityError, WithheldList, type WithheldField } from './trackingAccess.ts';
import { ensureSubjectKeys, openValue, sealValue, unwrapSubjectKeys, type SubjectKeys } from './vault/index.ts';
import { eraseSubjects } from './subjectErasure.ts';

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

export type ActivityContentRead = {
  contents: Map<string, ActivityContent>;
  /** Per activity, the linked contacts the purpose may process (others are withheld as links.contactIds). */
  people: Map<string, string[]>;
  withheld: WithheldField[];
  /** True when the request filtered by a person the purpose may not process: nothing was read. */
  filterRefused: boolean;
};

/** The name under which a linked person the purpose may not process is withheld. */
const linksField = 'links.contactIds';

function sealContent(keys: SubjectKeys, content: ActivityContent): Record<string, string> {
  const sealed: Record<string, string> = {};
  for (const field of activityContentFields) {
    const text = content[field];
    if (typeof text === 'string') sealed[field] = sealValue(keys, field, text);
  }
  return sealed;
}

export function openContent(keys: SubjectKeys, stored: unknown, fields: readonly ActivityContentField[]): ActivityContent {
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
 * The text is the linked people's data: a change is refused (403 naming links.contactIds)
 * while one of them is erased, restricted or objected to the purpose. Two statements.
 */
async function refuseDeniedPeople(tx: Executor, ctx: PurposeContext, purpose: PolicyPurpose, activityId: string): Promise<void> {
  const linked = rowsOf<{ id: string }>(
    await tx.execute(sql`
    select record_id as id from activity_links
    where tenant_id = ${ctx.tenantId}::uuid and activity_id = ${activityId}::uuid and object = 'contact'`),
  ).map((row) => row.id);
  const denials = await writeDenialsOf(tx, ctx, purpose, linked);
  const reasons = [...new Set([...denials.values()].flat())];
  if (reasons.length > 0)
    throw subjectRulesRefusal(
      purpose,
      reasons.map((reason) => ({ field: linksField, reason })),
    );
}

/**
 * Applies a change to one activity's free text in the caller's transaction and returns the
 * names of the fields it touched (never their values), for the change record. New values
 * are sealed under the activity's key (created on first use).
 */
export async function writeActivityContent(
  tx: Executor,
  ctx: PurposeContext,
  activityId: string,
  change: ActivityContentChange,
): Promise<ActivityContentField[]> {
  const touched = activityContentFields.filter((field) => change[field] !== undefined);
  if (touched.length === 0) return [];
  const { purpose } = await writePolicy(tx, ctx, 'activity', 'activity.updated', touched);
  await refuseDeniedPeople(tx, ctx, purpose, activityId);
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
export async function storeActivityContents(
  tx: Executor,
  ctx: PurposeContext,
  entries: ReadonlyArray<{ activityId: string; content: ActivityContent }>,
): Promise<void> {
  if (entries.length === 0) return;
  await writePolicy(tx, ctx, 'activity', 'activity.created', new Set(entries.flatMap((entry) => Object.keys(entry.content))));
  const ids = entries.map((entry) => entry.activityId);
  const keys = await ensureSubjectKeys(tx, kernelKeyStore(), ctx.tenantId, ids);
  const contents = entries.map((entry) => JSON.stringify(sealContent(keys.get(entry.activityId)!, entry.content)));
  await tx.execute(sql`
    update activities as a set content = v.content::jsonb
    from unnest(${sql.param(ids)}::uuid[], ${sql.param(contents)}::text[]) as v(id, content)
    where a.tenant_id = ${ctx.tenantId} and a.id = v.id`);
}

/** The contacts each activity is linked to (activity_links), and whose text it is. */
const linkedContactsColumn = sql<string[] | null>`(
  select array_agg(l.record_id order by l.record_id) from activity_links l
  where l.tenant_id = ${activities.tenantId} and l.activity_id = ${activities.id} and l.object = 'contact')::text[]`;

export type ActivityContentReadOptions = {
  /** People the request filters by (?contactId=): if the purpose may not process one, nothing is read. */
  filteredBy?: { field: string; contactIds: readonly string[] };
};

/**
 * The free text of each activity, by id, through the policy. The text is about the people
 * the activity is linked to, so their subject rules decide: an activity linked only to
 * people the purpose may not process keeps its text (absent, listed in `withheld` with
 * their reasons); one that also names a person it may process shows it. Only the fields
 * the catalog declares for the purpose are opened. `people` holds, per activity, the linked
 * contacts the purpose may process (the others are not revealed as linked). One query for
 * the rows with their links, one for the people's rules, one audit entry (activity.read)
 * naming every linked person by pseudonym and the activities by id.
 */
export async function readActivityContent(
  executor: Executor,
  ctx: PurposeContext,
  activityIds: string[],
  options: ActivityContentReadOptions = {},
): Promise<ActivityContentRead> {
  const contents = new Map<string, ActivityContent>();
  const people = new Map<string, string[]>();
  if (activityIds.length === 0) return { contents, people, withheld: [], filterRefused: false };
  return inTransaction(executor, async (tx) => {
    const access = await fieldAccess(tx, ctx, 'activity');
    const withheld = new WithheldList(access.withheld);
    const fields = activityContentFields.filter((field) => access.allowed.has(field));
    const rows = await tx
      .select({
        id: activities.id,
        // The text is not even fetched when no field of it may be read.
        content: fields.length > 0 ? activities.content : sql<unknown>`null`,
        contactIds: linkedContactsColumn,
      })
      .from(activities)
      .where(and(eq(activities.tenantId, ctx.tenantId), sql`${activities.id} = any(${sql.param(activityIds)}::uuid[])`));
    const filterIds = options.filteredBy?.contactIds ?? [];
    const linked = [...new Set(rows.flatMap((row) => row.contactIds ?? []))];
    const denials = await subjectDenialsOf(tx, ctx, access.purpose, [...filterIds, ...linked]);
    const subjectIds = [...new Set([...filterIds, ...linked])];

    const refusedFilter = filterIds.filter((id) => denials.has(id));
    if (options.filteredBy && refusedFilter.length > 0) {
      const refusal = new WithheldList();
      for (const id of refusedFilter) for (const reason of denials.get(id)!) refusal.add(options.filteredBy.field, reason);
      await recordAudit(tx, ctx, { action: 'activity.read', object: 'activity', decision: 'deny', reasons: refusal.reasons, subjectIds: [...filterIds] });
      return { contents, people, withheld: refusal.list, filterRefused: true };
    }

    const readable = rows.filter((row) => {
      const linkedHere = row.contactIds ?? [];
      const allowed = linkedHere.filter((id) => !denials.has(id));
      people.set(row.id, allowed);
      for (const id of linkedHere) for (const reason of denials.get(id) ?? []) withheld.add(linksField, reason);
      // Only the people it names can make an activity unreadable: all of them denied.
      const hidden = linkedHere.length > 0 && allowed.length === 0;
      if (hidden) for (const field of fields) for (const id of linkedHere) for (const reason of denials.get(id)!) withheld.add(field, reason);
      return !hidden;
    });
    const withText = readable.filter((row) => row.content && Object.keys(row.content as object).length > 0);
    const keys =
      fields.length > 0
        ? await unwrapSubjectKeys(
            tx,
            kernelKeyStore(),
            ctx.tenantId,
            withText.map((row) => row.id),
          )
        : new Map<string, SubjectKeys>();
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
    await recordAudit(tx, ctx, {
      action: 'activity.read',
      object: 'activity',
      recordIds: rows.map((row) => row.id),
      fields: [...opened].sort(),
      decision: withheld.list.length > 0 ? 'partial' : 'allow',
      reasons: withheld.reasons,
      // The people the text is about; the activities themselves are records, named by id.
      subjectIds,
    });
    return { contents, people, withheld: withheld.list, filterRefused: false };
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
