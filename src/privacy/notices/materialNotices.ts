import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { purposeNotices } from '../../db/schema/index.ts';

/** A purpose's latest material notice: consents given under older versions must be renewed by renewBy. */
export type MaterialNotice = { purposeKey: string; version: number; renewBy: Date };

/**
 * The latest material version of each purpose's notice that has been published (it may since
 * have been retired by a later, non-material one), one per purpose that has any: consents
 * given under an older version are asked again, and stop counting at its renew_by
 * (the kernel's rule: src/kernel/policy/noticeRenewals.ts).
 */
export async function latestMaterialNotices(db: Executor, tenantId: string): Promise<MaterialNotice[]> {
  const rows = await db
    .selectDistinctOn([purposeNotices.purposeKey], { purposeKey: purposeNotices.purposeKey, version: purposeNotices.version, renewBy: purposeNotices.renewBy })
    .from(purposeNotices)
    .where(and(eq(purposeNotices.tenantId, tenantId), eq(purposeNotices.material, true), inArray(purposeNotices.status, ['published', 'retired'])))
    .orderBy(purposeNotices.purposeKey, sql`${purposeNotices.version} desc`);
  // A material version always has renew_by (purpose_notices_material_check).
  return rows.flatMap((row) => (row.renewBy ? [{ purposeKey: row.purposeKey, version: row.version, renewBy: row.renewBy }] : []));
}
