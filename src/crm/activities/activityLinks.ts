import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { activityLinks } from '../../db/schema/index.ts';
import { assertRecordsInWorkspace, distinctIds, type ReferencedObject } from '../deals/workspaceReferences.ts';

/** What an activity is about: any number of contacts, companies and deals. */
export type ActivityLinks = { contactIds: string[]; companyIds: string[]; dealIds: string[] };
export type ActivityLinksChange = Partial<ActivityLinks>;

const linkKinds: ReadonlyArray<{ object: ReferencedObject; key: keyof ActivityLinks }> = [
  { object: 'contact', key: 'contactIds' },
  { object: 'company', key: 'companyIds' },
  { object: 'deal', key: 'dealIds' },
];

const noLinks = (): ActivityLinks => ({ contactIds: [], companyIds: [], dealIds: [] });

/** Each link list of `change` without repeats, after checking every id is in the workspace. */
export async function checkedLinks(tx: Executor, tenantId: string, change: ActivityLinksChange): Promise<ActivityLinksChange> {
  const checked: ActivityLinksChange = {};
  for (const { object, key } of linkKinds) {
    const ids = change[key];
    if (ids === undefined) continue;
    await assertRecordsInWorkspace(tx, tenantId, object, `links.${key}`, ids);
    checked[key] = distinctIds(ids);
  }
  return checked;
}

/** Replaces the link lists present in `change`; absent lists stay as they are. */
export async function replaceActivityLinks(tx: Executor, tenantId: string, activityId: string, change: ActivityLinksChange): Promise<void> {
  for (const { object, key } of linkKinds) {
    const ids = change[key];
    if (ids === undefined) continue;
    await tx.delete(activityLinks).where(and(eq(activityLinks.tenantId, tenantId), eq(activityLinks.activityId, activityId), eq(activityLinks.object, object)));
    if (ids.length > 0) await tx.insert(activityLinks).values(ids.map((recordId) => ({ tenantId, activityId, object, recordId })));
  }
}

export async function linksByActivity(db: Executor, tenantId: string, activityIds: string[]): Promise<Map<string, ActivityLinks>> {
  const byActivity = new Map<string, ActivityLinks>(activityIds.map((id) => [id, noLinks()]));
  if (activityIds.length === 0) return byActivity;
  const rows = await db
    .select()
    .from(activityLinks)
    .where(and(eq(activityLinks.tenantId, tenantId), inArray(activityLinks.activityId, activityIds)))
    .orderBy(asc(activityLinks.activityId), asc(activityLinks.object), asc(activityLinks.recordId));
  for (const row of rows) {
    const kind = linkKinds.find((candidate) => candidate.object === row.object);
    if (kind) byActivity.get(row.activityId)?.[kind.key].push(row.recordId);
  }
  return byActivity;
}

/**
 * Drops every activity's link to a record that is being deleted (activity_links has no
 * foreign key to the three tables it points into). Call it in the deleting transaction.
 */
export async function unlinkActivitiesFrom(tx: Executor, tenantId: string, object: ReferencedObject, recordId: string): Promise<void> {
  await tx.delete(activityLinks).where(and(eq(activityLinks.tenantId, tenantId), eq(activityLinks.object, object), eq(activityLinks.recordId, recordId)));
}
