import { and, eq, gte, inArray, lt, not, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { contacts, purposes, type SegmentFilterRow } from '../../db/schema/index.ts';
import { ledgerConsentStore } from '../../kernel/index.ts';
import { DomainError, type FieldIssue } from '../../shared/domainError.ts';

/*
 * What a segment selects: contacts by their non-personal columns (lifecycle stage, owner,
 * company, source, creation time) and by their consent state per purpose, asked of the
 * kernel's consent store set-wise at the instant of the question. Each list is "any of";
 * the filters together are "all of". No filter reads a personal value, so a segment can be
 * counted without opening anyone's record; who may be read or mailed is still the kernel's
 * decision, taken for the purpose when the members are read or sent to.
 */

export type SegmentFilters = SegmentFilterRow;

/** Refuses consent filters naming a purpose the workspace does not have (422 naming each). */
export async function assertSegmentPurposes(executor: Executor, tenantId: string, filters: SegmentFilters, field = 'filters'): Promise<void> {
  const named = (filters.consent ?? []).map((entry) => entry.purposeKey);
  if (named.length === 0) return;
  const known = new Set(
    (
      await executor
        .select({ key: purposes.key })
        .from(purposes)
        .where(and(eq(purposes.tenantId, tenantId), inArray(purposes.key, named)))
    ).map((row) => row.key),
  );
  const issues: FieldIssue[] = (filters.consent ?? []).flatMap((entry, index) =>
    known.has(entry.purposeKey) ? [] : [{ field: `${field}.consent[${index}].purposeKey`, reason: 'no purpose with this key in the workspace' }],
  );
  if (issues.length > 0) throw new DomainError('validation_failed', 'A consent filter names an unknown purpose.', issues);
}

/** The SQL conditions over `contacts` a segment's filters make, consent judged at `now`. */
export function segmentConditions(tenantId: string, filters: SegmentFilters, now: Date): SQL[] {
  const conditions: SQL[] = [eq(contacts.tenantId, tenantId)];
  if (filters.lifecycleStage?.length) conditions.push(inArray(contacts.lifecycleStage, filters.lifecycleStage));
  if (filters.ownerId?.length) conditions.push(inArray(contacts.ownerId, filters.ownerId));
  if (filters.companyId?.length) conditions.push(inArray(contacts.companyId, filters.companyId));
  if (filters.source?.length) conditions.push(inArray(contacts.source, filters.source));
  if (filters.createdAfter) conditions.push(gte(contacts.createdAt, new Date(filters.createdAfter)));
  if (filters.createdBefore) conditions.push(lt(contacts.createdAt, new Date(filters.createdBefore)));
  for (const entry of filters.consent ?? []) {
    const live = ledgerConsentStore.liveCondition(tenantId, entry.purposeKey, now, sql`${contacts.id}`);
    conditions.push(entry.live ? live : not(live));
  }
  return conditions;
}

/** The first `limit` ids of the segment's members in id order (set-wise, no personal value read). */
export async function segmentMemberIds(executor: Executor, tenantId: string, filters: SegmentFilters, now: Date, limit: number): Promise<string[]> {
  const rows = await executor
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(...segmentConditions(tenantId, filters, now)))
    .orderBy(contacts.id)
    .limit(limit);
  return rows.map((row) => row.id);
}
