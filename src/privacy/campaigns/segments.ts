import { and, eq, type SQL } from 'drizzle-orm';
import { countUpTo, type CappedCount } from '../../db/cappedCount.ts';
import type { Executor } from '../../db/connection.ts';
import { newId } from '../../db/ids.ts';
import { campaigns, contacts, segments } from '../../db/schema/index.ts';
import { violatesUniqueIndex } from '../../db/uniqueViolation.ts';
import { listPermittedContacts, type AccessContext, type PermittedContactPage, type PurposeContext } from '../../kernel/index.ts';
import { recordChange } from '../../platform/changes.ts';
import { DomainError, notFound, staleVersion } from '../../shared/domainError.ts';
import { createdOrNameSorts, keysetCondition, keysetOrderBy, namedRecordPage, parseSort } from '../../shared/keyset.ts';
import { assertSegmentPurposes, segmentConditions, segmentMemberIds, type SegmentFilters } from './segmentFilters.ts';

/*
 * Saved segments: a workspace's named filters over contacts (segmentFilters.ts), shared by
 * everyone in it who may read segments. Changes are audited and announced as
 * segment.created/updated/deleted; a segment holds no personal value, so neither do they.
 */

export type Segment = { id: string; name: string; filters: SegmentFilters; createdAt: Date; updatedAt: Date; version: number };
export type SegmentInput = { name: string; filters: SegmentFilters };

const columns = {
  id: segments.id,
  name: segments.name,
  filters: segments.filters,
  createdAt: segments.createdAt,
  updatedAt: segments.updatedAt,
  version: segments.version,
};
const ofWorkspace = (tenantId: string, id?: string): SQL => and(eq(segments.tenantId, tenantId), ...(id === undefined ? [] : [eq(segments.id, id)]))!;

/** Runs a write, turning the name index's refusal into a 409 naming `name` (the database's message quotes it). */
export async function guardSegmentName<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (violatesUniqueIndex(error, 'segments_name_idx')) {
      throw new DomainError('duplicate', 'Another segment of this workspace has this name.', [{ field: 'name', reason: 'already used by another segment' }]);
    }
    throw error;
  }
}

export async function createSegment(tx: Executor, ctx: AccessContext, input: SegmentInput): Promise<string> {
  await assertSegmentPurposes(tx, ctx.tenantId, input.filters);
  const id = newId();
  await tx.insert(segments).values({ tenantId: ctx.tenantId, id, ...input });
  await recordChange(tx, ctx, { object: 'segment', recordId: id, kind: 'created', fields: ['name', 'filters'] });
  return id;
}

export async function getSegment(executor: Executor, tenantId: string, id: string): Promise<Segment> {
  const [row] = await executor.select(columns).from(segments).where(ofWorkspace(tenantId, id));
  if (!row) throw notFound('segment');
  return row;
}

const segmentSorts = createdOrNameSorts(segments.createdAt, segments.name);
export const segmentSortNames = Object.keys(segmentSorts);

export async function listSegments(
  executor: Executor,
  tenantId: string,
  query: { sort?: string; cursor?: string; limit: number },
): Promise<{ data: Segment[]; nextCursor: string | null }> {
  const order = parseSort(query.sort, segmentSorts, 'createdAt');
  const rows = await executor
    .select(columns)
    .from(segments)
    .where(and(ofWorkspace(tenantId), keysetCondition(order, segments.id, query.cursor)))
    .orderBy(...keysetOrderBy(order, segments.id))
    .limit(query.limit + 1);
  return namedRecordPage(rows, query.limit, order);
}

export async function updateSegment(tx: Executor, ctx: AccessContext, id: string, expectedVersion: number, change: Partial<SegmentInput>): Promise<void> {
  const current = await getSegment(tx, ctx.tenantId, id);
  if (current.version !== expectedVersion) throw staleVersion(current.version, 'segment');
  if (change.filters) await assertSegmentPurposes(tx, ctx.tenantId, change.filters);
  const updated = await tx
    .update(segments)
    .set({ ...change, updatedAt: new Date(), version: current.version + 1 })
    .where(and(ofWorkspace(ctx.tenantId, id), eq(segments.version, expectedVersion)))
    .returning({ id: segments.id });
  if (updated.length === 0) throw staleVersion((await getSegment(tx, ctx.tenantId, id)).version, 'segment');
  await recordChange(tx, ctx, { object: 'segment', recordId: id, kind: 'updated', fields: Object.keys(change) });
}

/** Deletes a segment no campaign uses (409 otherwise: the campaign's record says whom it was for). */
export async function deleteSegment(tx: Executor, ctx: AccessContext, id: string, expectedVersion: number | null): Promise<void> {
  const current = await getSegment(tx, ctx.tenantId, id);
  if (expectedVersion !== null && current.version !== expectedVersion) throw staleVersion(current.version, 'segment');
  const [used] = await tx
    .select({ id: campaigns.id })
    .from(campaigns)
    .where(and(eq(campaigns.tenantId, ctx.tenantId), eq(campaigns.segmentId, id)))
    .limit(1);
  if (used)
    throw new DomainError('conflict', 'A campaign is addressed to this segment; delete the campaign first.', [{ field: 'id', reason: 'used by a campaign' }]);
  await tx.delete(segments).where(ofWorkspace(ctx.tenantId, id));
  await recordChange(tx, ctx, { object: 'segment', recordId: id, kind: 'deleted' });
}

export type SegmentPreview = { count: CappedCount; members: PermittedContactPage };

/** How many contacts filters select now (up to `cap`), with no personal value read. */
export function countSegment(executor: Executor, tenantId: string, filters: SegmentFilters, cap: number): Promise<CappedCount> {
  return countUpTo(executor, contacts, and(...segmentConditions(tenantId, filters, new Date())), cap);
}

/**
 * A preview of filters: how many contacts they select now (up to `cap`), and the first
 * `limit` of them as the context's purpose may see them, read through the kernel (a member
 * the purpose may not process is absent from the page, withheld fields are listed; audited).
 */
export async function previewSegment(
  executor: Executor,
  ctx: PurposeContext,
  filters: SegmentFilters,
  options: { cap: number; limit: number },
): Promise<SegmentPreview> {
  await assertSegmentPurposes(executor, ctx.tenantId, filters);
  const count = await countSegment(executor, ctx.tenantId, filters, options.cap);
  const ids = await segmentMemberIds(executor, ctx.tenantId, filters, new Date(), options.limit);
  // Asked even with no member: the role's grant of the purpose is checked (and audited) alike.
  const members = await listPermittedContacts(executor, ctx, { where: { ids }, limit: options.limit }, { action: 'segment.previewed' });
  return { count, members: { ...members, nextCursor: null } };
}
