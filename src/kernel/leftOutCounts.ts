import { and, sql } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import { rowsOf } from '../db/rows.ts';
import { contacts } from '../db/schema/index.ts';
import type { PurposeContext } from './accessContext.ts';
import { contactFilterConditions, type ContactFilter } from './contactRecords.ts';
import { objectionApplies, subjectReasonConditions, subjectReasons, type PolicyPurpose, type SubjectReason } from './policy/index.ts';

/*
 * Why a list is shorter than its filter: how many people the filter matched that the
 * subject rules left out for the purpose, by rule — counted in SQL from the rules' own
 * conditions (no value is opened). A count below `leftOutThreshold`, 0 included, is given
 * only as "fewer than" it, and every rule that can apply to the purpose is always listed,
 * so a filter narrowed to one company cannot tell whether its one contact objected. Rules
 * that cannot apply to the purpose (an objection to a contract purpose) are not listed:
 * that follows from the purpose, not from anyone's data.
 */

export const leftOutThreshold = 5;

/** `count` is null when fewer than leftOutThreshold people (0 included) were left out for the reason. */
export type LeftOutCount = { reason: SubjectReason; count: number | null };
export type LeftOut = { counts: LeftOutCount[]; countIsLowerBound: boolean };

/** The subject rules that can leave someone out of a list for this purpose. */
export function applicableSubjectReasons(purpose: PolicyPurpose): SubjectReason[] {
  return subjectReasons.filter(
    (reason) => (reason !== 'objected' || objectionApplies(purpose)) && (reason !== 'no_live_consent' || purpose.legalBasis === 'consent'),
  );
}

/**
 * Counts the contacts matching `where` that the subject rules deny for `purpose` at `now`,
 * by rule (a person denied by two rules counts under each). Reads at most `cap` + 1 of them,
 * in primary-key order like a list's total; past that the counts are lower bounds.
 */
export async function countLeftOutContacts(
  tx: Executor,
  ctx: PurposeContext,
  purpose: PolicyPurpose,
  now: Date,
  where: ContactFilter,
  cap: number,
): Promise<LeftOut> {
  const reasons = applicableSubjectReasons(purpose);
  const rules = subjectReasonConditions(ctx.tenantId, purpose, now, sql`${contacts.id}`);
  // Parenthesised whole: and() does not wrap its parts, and `or` binds looser than `and`.
  const denied = sql`(${sql.join(
    reasons.map((reason) => sql`(${rules[reason]})`),
    sql` or `,
  )})`;
  const [row] = rowsOf<Record<SubjectReason | 'counted', number>>(
    await tx.execute(sql`
      select count(*)::int as counted, ${sql.join(
        reasons.map((reason) => sql`count(*) filter (where ${sql.identifier(reason)})::int as ${sql.identifier(reason)}`),
        sql`, `,
      )}
      from (
        select ${sql.join(
          reasons.map((reason) => sql`${rules[reason]} as ${sql.identifier(reason)}`),
          sql`, `,
        )}
        from ${contacts} where ${and(...contactFilterConditions(ctx, where), denied)}
        order by tenant_id, id limit ${cap + 1}
      ) as left_out`),
  );
  const counts = reasons.map((reason) => {
    const count = Number(row[reason]);
    return { reason, count: count < leftOutThreshold ? null : Math.min(count, cap) };
  });
  return { counts, countIsLowerBound: Number(row.counted) > cap };
}
