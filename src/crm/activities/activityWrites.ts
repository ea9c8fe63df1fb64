import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { newId } from '../../db/ids.ts';
import { activities } from '../../db/schema/index.ts';
import { checkPeopleLinks, shredActivityContents, writeActivityContent, type ActivityContentChange, type PurposeContext } from '../../kernel/index.ts';
import { recordChange } from '../../platform/changes.ts';
import { invalid, notFound, staleVersion } from '../../shared/domainError.ts';
import { assertActiveUser } from '../deals/workspaceReferences.ts';
import { activityColumns } from './activities.ts';
import { checkedLinks, linksByActivity, replaceActivityLinks, type ActivityLinksChange } from './activityLinks.ts';
import { advanceLastActivity } from './lastActivity.ts';
import { assertTaskFieldsFit, type ActivityType } from './taskRules.ts';

export type ActivityPatch = ActivityContentChange & {
  occurredAt?: Date;
  dueAt?: Date | null;
  assigneeId?: string | null;
  completedAt?: Date | null;
  ownerId?: string | null;
  /** null: the review an erasure asked for is done (the text says nothing more of the erased person). */
  reviewReason?: null;
  links?: ActivityLinksChange;
};
export type ActivityInput = ActivityPatch & { type: ActivityType };

async function assertUsers(tx: Executor, tenantId: string, change: Pick<ActivityPatch, 'assigneeId' | 'ownerId'>): Promise<void> {
  if (change.assigneeId) await assertActiveUser(tx, tenantId, 'assigneeId', change.assigneeId);
  if (change.ownerId) await assertActiveUser(tx, tenantId, 'ownerId', change.ownerId);
}

export async function createActivity(tx: Executor, ctx: PurposeContext, input: ActivityInput): Promise<string> {
  assertTaskFieldsFit(input.type, input);
  // An activity logged by a signed-in user is theirs unless the request names an owner.
  const ownerId = input.ownerId !== undefined ? input.ownerId : ctx.actor.type === 'user' ? ctx.actor.id : null;
  await assertUsers(tx, ctx.tenantId, { assigneeId: input.assigneeId, ownerId });
  const links = await checkedLinks(tx, ctx.tenantId, input.links ?? {});
  if (links.contactIds) await checkPeopleLinks(tx, ctx, { field: 'links.contactIds', wanted: links.contactIds });
  const id = newId();
  const now = new Date();
  const occurredAt = input.occurredAt ?? now;
  await tx.insert(activities).values({
    tenantId: ctx.tenantId,
    id,
    type: input.type,
    occurredAt,
    dueAt: input.dueAt ?? null,
    completedAt: input.completedAt ?? null,
    assigneeId: input.assigneeId ?? null,
    ownerId,
    createdAt: now,
    updatedAt: now,
  });
  // Links first: the kernel checks the text against the people it is about.
  await replaceActivityLinks(tx, ctx.tenantId, id, links);
  await writeActivityContent(tx, ctx, id, { subject: input.subject, body: input.body });
  await advanceLastActivity(tx, ctx.tenantId, links.contactIds ?? [], occurredAt);
  await recordChange(tx, ctx, { object: 'activity', recordId: id, kind: 'created', fields: Object.keys(input) });
  return id;
}

async function lockActivity(tx: Executor, ctx: PurposeContext, id: string, expectedVersion: number | null) {
  const [row] = await tx
    .select(activityColumns)
    .from(activities)
    .where(and(eq(activities.tenantId, ctx.tenantId), eq(activities.id, id)))
    .for('update');
  if (!row) throw notFound('activity');
  if (expectedVersion !== null && row.version !== expectedVersion) throw staleVersion(row.version);
  return row;
}

export async function updateActivity(tx: Executor, ctx: PurposeContext, id: string, expectedVersion: number, patch: ActivityPatch): Promise<void> {
  const current = await lockActivity(tx, ctx, id, expectedVersion);
  assertTaskFieldsFit(current.type as ActivityType, patch);
  await assertUsers(tx, ctx.tenantId, patch);
  const links = await checkedLinks(tx, ctx.tenantId, patch.links ?? {});
  if (links.contactIds) {
    const current = (await linksByActivity(tx, ctx.tenantId, [id])).get(id)?.contactIds ?? [];
    // People the purpose may not process were never shown to the caller: their links stay.
    const { hidden } = await checkPeopleLinks(tx, ctx, { field: 'links.contactIds', wanted: links.contactIds, current });
    links.contactIds = [...new Set([...links.contactIds, ...hidden.keys()])];
  }
  const { subject, body, links: _links, ...columns } = patch;
  // Links first: the kernel checks the text against the people it is about.
  await replaceActivityLinks(tx, ctx.tenantId, id, links);
  await writeActivityContent(tx, ctx, id, { subject, body });
  if (links.contactIds !== undefined || patch.occurredAt !== undefined) {
    const linked = links.contactIds ?? (await linksByActivity(tx, ctx.tenantId, [id])).get(id)?.contactIds ?? [];
    await advanceLastActivity(tx, ctx.tenantId, linked, patch.occurredAt ?? current.occurredAt);
  }
  await tx
    .update(activities)
    .set({ ...columns, version: current.version + 1, updatedAt: new Date() })
    .where(and(eq(activities.tenantId, ctx.tenantId), eq(activities.id, id)));
  await recordChange(tx, ctx, { object: 'activity', recordId: id, kind: 'updated', fields: Object.keys(patch) });
}

/**
 * Marks a task done. Completing a completed task changes nothing (so a retry is harmless);
 * only tasks can be completed.
 */
export async function completeTask(tx: Executor, ctx: PurposeContext, id: string, expectedVersion: number | null, completedAt?: Date): Promise<void> {
  const current = await lockActivity(tx, ctx, id, expectedVersion);
  if (current.type !== 'task') throw invalid('type', `only tasks can be completed; this activity is a ${current.type}`);
  if (current.completedAt) return;
  await tx
    .update(activities)
    .set({ completedAt: completedAt ?? new Date(), version: current.version + 1, updatedAt: new Date() })
    .where(and(eq(activities.tenantId, ctx.tenantId), eq(activities.id, id)));
  await recordChange(tx, ctx, { object: 'activity', recordId: id, kind: 'updated', fields: ['completedAt'] });
}

export async function deleteActivity(tx: Executor, ctx: PurposeContext, id: string, expectedVersion: number | null): Promise<void> {
  await lockActivity(tx, ctx, id, expectedVersion);
  await tx.delete(activities).where(and(eq(activities.tenantId, ctx.tenantId), eq(activities.id, id)));
  // The text is sealed under the activity's own key: shredding it makes every copy unreadable.
  await shredActivityContents(tx, ctx, [id]);
  await recordChange(tx, ctx, { object: 'activity', recordId: id, kind: 'deleted' });
}
