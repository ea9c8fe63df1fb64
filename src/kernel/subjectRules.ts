import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import { rowsOf } from '../db/rows.ts';
import { DomainError, notFound, type FieldIssue } from '../shared/domainError.ts';
import type { PurposeContext } from './accessContext.ts';
import type { SubjectReason } from './policy/decide.ts';
import { erasedCondition, objectedCondition, restrictedCondition } from './policy/permittedSubjects.ts';
import type { PolicyPurpose } from './policy/policyPurpose.ts';
import { requireGrantedPurpose } from './policy/purposeGrant.ts';
import { asSubjectReasons, deniedReasonsColumn } from './trackingAccess.ts';

/*
 * The subject rules on the way in. A write about a person is refused when, now:
 *   - the person is erased (Art. 17): the person is gone — 404 when the write addresses
 *     them, 403 naming `erased` when it only names them (an event, a link);
 *   - the person is restricted (Art. 18): their data may be stored, not changed — 403
 *     naming `restricted`, except a correction made through a rights request
 *     (rectification, Art. 16 with 18(1)(a));
 *   - the person objected (Art. 21) to the write's purpose (where an objection applies,
 *     as for reads): 403 naming `objected`; other purposes are not affected.
 * Consent is not a write rule here: collecting under a consent purpose is decided where
 * the consent is given (the consent issue). All checks are set-wise: one statement for
 * any number of people. 403 is the `forbidden` code mergePermittedContacts already uses
 * for a subject the purpose may not process.
 */

export const writeRules = ['erased', 'restricted', 'objected'] as const satisfies readonly SubjectReason[];
export type WriteRule = (typeof writeRules)[number];

const isWriteRule = (reason: SubjectReason): reason is WriteRule => (writeRules as readonly string[]).includes(reason);

/** A correction the subject asked for through a rights request (its reference, never personal data). */
export type Rectification = { requestId: string };
export type SubjectWriteOptions = { rectification?: Rectification };

/** The read rules (every subject rule) that stop the purpose for each of `subjectIds` now; absent when none. One statement. */
export async function subjectDenialsOf(
  tx: Executor,
  ctx: PurposeContext,
  purpose: PolicyPurpose,
  subjectIds: readonly string[],
  now: Date = new Date(),
): Promise<Map<string, SubjectReason[]>> {
  const denials = new Map<string, SubjectReason[]>();
  const distinct = [...new Set(subjectIds)];
  if (distinct.length === 0) return denials;
  const result = await tx.execute(sql`
    select d.id, d.denied from (
      select u.id, ${deniedReasonsColumn(ctx, purpose, now, sql`u.id`)} as denied
      from unnest(${sql.param(distinct)}::uuid[]) as u(id)) d
    where cardinality(d.denied) > 0`);
  for (const row of rowsOf<{ id: string; denied: unknown }>(result)) denials.set(row.id, asSubjectReasons(row.denied));
  return denials;
}

/** The write rules that refuse the subject `id` now, as a text[] column (empty when none). */
function writeDeniedColumn(ctx: PurposeContext, purpose: PolicyPurpose, now: Date, id: SQL): SQL {
  const conditions: Record<WriteRule, SQL> = {
    erased: erasedCondition(ctx.tenantId, now, id),
    restricted: restrictedCondition(ctx.tenantId, now, id),
    objected: objectedCondition(ctx.tenantId, purpose, now, id),
  };
  return sql`array_remove(array[${sql.join(
    writeRules.map((rule) => sql`case when ${conditions[rule]} then ${rule} end`),
    sql`, `,
  )}]::text[], null)`;
}

/**
 * Which of `subjectIds` a write for the purpose may not touch now, and why; absent when
 * none. One statement, with only the three write rules (no consent lookup: events can
 * name 10,000 new visitors in one batch).
 */
export async function writeDenialsOf(
  tx: Executor,
  ctx: PurposeContext,
  purpose: PolicyPurpose,
  subjectIds: readonly string[],
  now: Date = new Date(),
): Promise<Map<string, WriteRule[]>> {
  const denials = new Map<string, WriteRule[]>();
  const distinct = [...new Set(subjectIds)];
  if (distinct.length === 0) return denials;
  const result = await tx.execute(sql`
    select d.id, d.denied from (
      select u.id, ${writeDeniedColumn(ctx, purpose, now, sql`u.id`)} as denied
      from unnest(${sql.param(distinct)}::uuid[]) as u(id)) d
    where cardinality(d.denied) > 0`);
  for (const row of rowsOf<{ id: string; denied: unknown }>(result)) denials.set(row.id, asSubjectReasons(row.denied).filter(isWriteRule));
  return denials;
}

/** 403 forbidden naming each field and the rule that refuses it. */
export function subjectRulesRefusal(purpose: PolicyPurpose, issues: FieldIssue[], detail?: Record<string, unknown>): DomainError {
  const rules = [...new Set(issues.map((issue) => issue.reason))].join(', ');
  return new DomainError(
    'forbidden',
    `The purpose ${purpose.key} may not write about this person now (${rules}); a restricted person's data changes only through a rights request.`,
    issues,
    detail,
  );
}

/**
 * The contact a write addresses: 404 when there is no such contact or it is erased, 403
 * naming `id` when it is restricted (unless the write is a rectification) or objected to
 * the purpose. One statement.
 */
export async function assertContactWritable(
  tx: Executor,
  ctx: PurposeContext,
  purpose: PolicyPurpose,
  contactId: string,
  options: SubjectWriteOptions = {},
): Promise<void> {
  const [row] = rowsOf<{ denied: unknown }>(
    await tx.execute(sql`
    select ${writeDeniedColumn(ctx, purpose, new Date(), sql`c.id`)} as denied
    from contacts c where c.tenant_id = ${ctx.tenantId}::uuid and c.id = ${contactId}::uuid`),
  );
  if (!row) throw notFound('contact');
  const reasons = asSubjectReasons(row.denied).filter(isWriteRule);
  if (reasons.includes('erased')) throw notFound('contact');
  const refused = reasons.filter((reason) => !(reason === 'restricted' && options.rectification));
  if (refused.length > 0)
    throw subjectRulesRefusal(
      purpose,
      refused.map((reason) => ({ field: 'id', reason })),
    );
}

/** A change of the people a record links to: the ids it asks for, and those linked now. */
export type PeopleLinkChange = {
  /** The request's field, e.g. contactIds; an issue names the position (contactIds.1). */
  field: string;
  wanted: readonly string[];
  /** People linked before the change (none for a new record). */
  current?: readonly string[];
  /**
   * A single-valued link (a purchase's buyer): issues name the field without a position, and
   * replacing or clearing a current person the purpose may not process is refused too.
   */
  single?: boolean;
};

/**
 * Checks a change of a record's people for the context's purpose: a wanted person the
 * purpose may not write about (erased, restricted, objected) is refused (403 naming the
 * field and rule). Returns the
 * current links to people the purpose may not process — the caller never saw them (reads
 * leave them out), so a replacement keeps them instead of silently dropping them; `hidden`
 * maps each to its reasons. Two statements: the grant and the rules of every person named.
 */
export async function checkPeopleLinks(tx: Executor, ctx: PurposeContext, change: PeopleLinkChange): Promise<{ hidden: Map<string, SubjectReason[]> }> {
  const purpose = await requireGrantedPurpose(tx, ctx);
  const current = change.current ?? [];
  if (change.wanted.length === 0 && current.length === 0) return { hidden: new Map() };
  const denials = await subjectDenialsOf(tx, ctx, purpose, [...change.wanted, ...current]);
  const issues: FieldIssue[] = [];
  change.wanted.forEach((id, position) => {
    const rules = (denials.get(id) ?? []).filter(isWriteRule);
    for (const reason of rules) issues.push({ field: change.single ? change.field : `${change.field}.${position}`, reason });
  });
  const hidden = new Map(current.filter((id) => denials.has(id)).map((id) => [id, denials.get(id)!]));
  if (change.single) {
    // One value: replacing or clearing a person the caller cannot see would drop their link.
    for (const [id, reasons] of hidden) if (!change.wanted.includes(id)) for (const reason of reasons) issues.push({ field: change.field, reason });
  }
  if (issues.length > 0) throw subjectRulesRefusal(purpose, issues);
  return { hidden };
}
