import { and, eq, inArray, isNotNull, isNull, lt, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { activities, activityLinks } from '../../db/schema/index.ts';
import { readActivityContent, type ActivityContent, type PurposeContext, type WithheldField } from '../../kernel/index.ts';
import { countUpTo, type CappedCount } from '../../db/cappedCount.ts';
import { pageOf, parseSort, readKeysetRows, type SortColumn } from '../../shared/keyset.ts';
import { notFound } from '../../shared/domainError.ts';
import { linksByActivity, type ActivityLinks } from './activityLinks.ts';
import type { ActivityType } from './taskRules.ts';

/** The non-personal columns of an activity: services never select `content` themselves. */
export const activityColumns = {
  id: activities.id,
  type: activities.type,
  occurredAt: activities.occurredAt,
  dueAt: activities.dueAt,
  completedAt: activities.completedAt,
  assigneeId: activities.assigneeId,
  ownerId: activities.ownerId,
  reviewReason: activities.reviewReason,
  createdAt: activities.createdAt,
  updatedAt: activities.updatedAt,
  version: activities.version,
};
type ActivityRow = { [K in keyof typeof activityColumns]: (typeof activities.$inferSelect)[K] };

export type Activity = Omit<ActivityRow, 'type'> & ActivityContent & { type: ActivityType; links: ActivityLinks };

export type ActivityListQuery = {
  contactId?: string;
  companyId?: string;
  dealId?: string;
  type?: ActivityType;
  assigneeId?: string;
  /** Tasks only: open (not completed) or completed. */
  status?: 'open' | 'completed';
  /** Open tasks due before this instant. */
  dueBefore?: Date;
  sort?: string;
  cursor?: string;
  limit: number;
  /** Also count the activities the filters match, up to this many (count=true). */
  countCap?: number;
};

export const activitySorts: Record<string, SortColumn> = {
  occurredAt: { column: activities.occurredAt, kind: 'timestamp' },
  dueAt: { column: activities.dueAt, kind: 'timestamp', nullable: true },
  createdAt: { column: activities.createdAt, kind: 'timestamp' },
};
const sortValue: Record<string, (row: ActivityRow) => unknown> = {
  occurredAt: (row) => row.occurredAt,
  dueAt: (row) => row.dueAt,
  createdAt: (row) => row.createdAt,
};
export const defaultActivitySort = '-occurredAt';

/** Activities with the free text the policy lets the purpose read, and what it withheld. */
export type ActivityRead<Data> = { data: Data; withheld: WithheldField[] };

async function assemble(
  db: Executor,
  ctx: PurposeContext,
  rows: ActivityRow[],
  filteredBy?: string,
): Promise<ActivityRead<Activity[]> & { filterRefused?: boolean }> {
  const ids = rows.map((row) => row.id);
  const content = await readActivityContent(db, ctx, ids, filteredBy ? { filteredBy: { field: 'contactId', contactIds: [filteredBy] } } : {});
  // Filtered by a person the purpose may not process: the page would reveal their links.
  if (content.filterRefused) return { data: [], withheld: content.withheld, filterRefused: true };
  const links = await linksByActivity(db, ctx.tenantId, ids);
  const data = rows.map((row) => {
    const linked = links.get(row.id) ?? { contactIds: [], companyIds: [], dealIds: [] };
    return {
      ...row,
      type: row.type as ActivityType,
      ...content.contents.get(row.id),
      // Only the people the purpose may process are shown as linked (the kernel says which).
      links: { ...linked, contactIds: content.people.get(row.id) ?? [] },
    };
  });
  return { data, withheld: content.withheld };
}

export async function getActivity(db: Executor, ctx: PurposeContext, id: string): Promise<ActivityRead<Activity>> {
  const rows = await db
    .select(activityColumns)
    .from(activities)
    .where(and(eq(activities.tenantId, ctx.tenantId), eq(activities.id, id)));
  if (rows.length === 0) throw notFound('activity');
  const { data, withheld } = await assemble(db, ctx, rows);
  return { data: data[0], withheld };
}

function linkedTo(db: Executor, tenantId: string, object: 'contact' | 'company' | 'deal', recordId: string): SQL {
  return inArray(
    activities.id,
    db
      .select({ id: activityLinks.activityId })
      .from(activityLinks)
      .where(and(eq(activityLinks.tenantId, tenantId), eq(activityLinks.object, object), eq(activityLinks.recordId, recordId))),
  );
}

export async function listActivities(
  db: Executor,
  ctx: PurposeContext,
  query: ActivityListQuery,
): Promise<ActivityRead<Activity[]> & { nextCursor: string | null; count?: CappedCount }> {
  const order = parseSort(query.sort, activitySorts, defaultActivitySort);
  const openTasksOnly = query.status === 'open' || query.dueBefore !== undefined;
  const conditions: Array<SQL | undefined> = [
    eq(activities.tenantId, ctx.tenantId),
    query.contactId ? linkedTo(db, ctx.tenantId, 'contact', query.contactId) : undefined,
    query.companyId ? linkedTo(db, ctx.tenantId, 'company', query.companyId) : undefined,
    query.dealId ? linkedTo(db, ctx.tenantId, 'deal', query.dealId) : undefined,
    query.type ? eq(activities.type, query.type) : undefined,
    query.assigneeId ? eq(activities.assigneeId, query.assigneeId) : undefined,
    query.status || query.dueBefore ? eq(activities.type, 'task') : undefined,
    openTasksOnly ? isNull(activities.completedAt) : undefined,
    query.status === 'completed' ? isNotNull(activities.completedAt) : undefined,
    query.dueBefore ? lt(activities.dueAt, query.dueBefore) : undefined,
  ];
  const rows = await readKeysetRows(order, activities.id, query.cursor, query.limit, (after, orderBy, limit) =>
    db
      .select(activityColumns)
      .from(activities)
      .where(and(...conditions, after))
      .orderBy(...orderBy)
      .limit(limit),
  );
  const page = pageOf(rows, query.limit, order, sortValue[order.name.replace(/^-/, '')], (row) => row.id);
  const { filterRefused, ...read } = await assemble(db, ctx, page.data, query.contactId);
  // Refused for its filter: no count either, which would say as much about the person.
  const count =
    query.countCap === undefined
      ? undefined
      : filterRefused
        ? { total: 0, totalIsLowerBound: false }
        : await countUpTo(db, activities, and(...conditions), query.countCap);
  return { ...read, nextCursor: read.data.length === 0 ? null : page.nextCursor, ...(count ? { count } : {}) };
}
