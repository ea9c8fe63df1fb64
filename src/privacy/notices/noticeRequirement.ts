import { and, eq, inArray, lte, max } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { purposeNotices } from '../../db/schema/index.ts';
import { publishedNotice } from './notices.ts';

/**
 * What a consent for a purpose must have been given under to count at `now`:
 *
 * - `currentVersion` and `contentHash`: the notice published now. A consent given now
 *   records both (the ledger's notice_version and notice_hash columns).
 * - `minimumLiveVersion`: consents given under a notice version below this one no longer
 *   count. It is the latest material version whose renew_by (its publication plus the grace
 *   days the privacy officer set) is at or before `now`; 1 while there is none, so every
 *   version counts. During the grace period the older consents still count, and the people
 *   are asked again at their next visit or e-mail.
 *
 * Null when the purpose has no published notice (an unknown purpose, or one created before
 * notices by a path that did not seed one). The flows' view of one purpose; the kernel
 * applies the same rule to every consent it checks (src/kernel/policy/noticeRenewals.ts),
 * stamping each ledger event with the notice in force.
 */
export type NoticeRequirement = { currentVersion: number; contentHash: string; minimumLiveVersion: number };

export async function noticeRequirement(db: Executor, tenantId: string, purposeKey: string, now: Date): Promise<NoticeRequirement | null> {
  const current = await publishedNotice(db, tenantId, purposeKey);
  if (!current) return null;
  const [{ minimum }] = await db
    .select({ minimum: max(purposeNotices.version) })
    .from(purposeNotices)
    .where(
      and(
        eq(purposeNotices.tenantId, tenantId),
        eq(purposeNotices.purposeKey, purposeKey),
        inArray(purposeNotices.status, ['published', 'retired']),
        eq(purposeNotices.material, true),
        lte(purposeNotices.renewBy, now),
      ),
    );
  return { currentVersion: current.version, contentHash: current.contentHash, minimumLiveVersion: minimum ?? 1 };
}
