import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { rowsOf } from '../../db/rows.ts';
import { shredActivityContents, type PurposeContext } from '../../kernel/index.ts';

/** What an erasure did to the activities linked to the subject. */
export type ActivityErasure = { erased: string[]; flagged: string[] };

/** The review reason an activity gets when an erasure removed one of its links. */
export const erasedLinkReview = 'linked_subject_erased';

/**
 * The activities (notes, calls, e-mails, meetings, tasks) linked to a subject being erased:
 * one linked to nothing else is about that person alone and is erased with them (rows
 * deleted, its sealed text's key shredded); one shared with other records is kept, the
 * link removed and flagged for review (`review_reason`), since its text may still speak of
 * the person. Three statements whatever the number of activities.
 */
export async function eraseSubjectActivities(tx: Executor, ctx: PurposeContext, subjectId: string): Promise<ActivityErasure> {
  const tenant = sql`${ctx.tenantId}::uuid`;
  const linked = rowsOf<{ activity_id: string; shared: boolean }>(
    await tx.execute(sql`
      select l.activity_id, exists (
        select 1 from activity_links o
        where o.tenant_id = l.tenant_id and o.activity_id = l.activity_id and not (o.object = 'contact' and o.record_id = l.record_id)
      ) as shared
      from activity_links l
      where l.tenant_id = ${tenant} and l.object = 'contact' and l.record_id = ${subjectId}::uuid
      for update`),
  );
  const erased = linked.filter((row) => !row.shared).map((row) => row.activity_id);
  const flagged = linked.filter((row) => row.shared).map((row) => row.activity_id);
  if (erased.length > 0) {
    await tx.execute(sql`delete from activities where tenant_id = ${tenant} and id = any(${sql.param(erased)}::uuid[])`);
    await shredActivityContents(tx, ctx, erased);
  }
  if (flagged.length > 0) {
    await tx.execute(sql`delete from activity_links where tenant_id = ${tenant} and object = 'contact' and record_id = ${subjectId}::uuid`);
    await tx.execute(sql`
      update activities set review_reason = ${erasedLinkReview}, version = version + 1, updated_at = ${new Date().toISOString()}::timestamptz
      where tenant_id = ${tenant} and id = any(${sql.param(flagged)}::uuid[])`);
  }
  return { erased, flagged };
}
