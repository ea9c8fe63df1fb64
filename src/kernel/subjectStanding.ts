import { sql } from 'drizzle-orm';
import type { Executor, Transaction } from '../db/connection.ts';
import { rowsOf } from '../db/rows.ts';
import { notFound } from '../shared/domainError.ts';
import type { PurposeContext } from './accessContext.ts';
import type { PolicyPurpose } from './policy/policyPurpose.ts';
import { requireGrantedPurpose } from './policy/purposeGrant.ts';
import { createdSubjectKind } from './freshSubjects.ts';

/*
 * The first steps of every writer of a data subject's state (subjectStateWriters.ts,
 * consentRecords.ts): the grant, the subject's lock, and whether the subject exists and is
 * erased — known without asking for a subject the transaction created (freshSubjects.ts). A
 * subject id is a contact's or a visitor's.
 */

export type SubjectKind = 'contact' | 'visitor';
export type SubjectStanding = { kind: SubjectKind | null; erasedAt: Date | null; purpose: PolicyPurpose };

const kindCase = (tenantId: string, subjectId: string) => sql`case
    when exists (select 1 from contacts c where c.tenant_id = ${tenantId}::uuid and c.id = ${subjectId}::uuid) then 'contact'
    when exists (select 1 from visitors v where v.tenant_id = ${tenantId}::uuid and v.id = ${subjectId}::uuid) then 'visitor'
  end`;

/** Whether the subject id is a contact's or a visitor's of the workspace (null: neither, or gone). */
export async function subjectKindOf(tx: Executor, tenantId: string, subjectId: string): Promise<SubjectKind | null> {
  const [row] = rowsOf<{ kind: SubjectKind | null }>(await tx.execute(sql`select ${kindCase(tenantId, subjectId)} as kind`));
  return row?.kind ?? null;
}

/**
 * Grant first (403 before anything is read), then the subject's standing, with the
 * subject's state changes serialised so two concurrent calls cannot both record.
 */
export async function prepareSubjectChange(tx: Transaction, ctx: PurposeContext, subjectId: string): Promise<SubjectStanding> {
  const purpose = await requireGrantedPurpose(tx, ctx);
  // Created by this very transaction: no other can reach it yet (freshSubjects.ts).
  const created = createdSubjectKind(tx, subjectId);
  if (created) return { kind: created, erasedAt: null, purpose };
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`subject-state:${ctx.tenantId}:${subjectId}`}, 0))`);
  const [row] = rowsOf<{ kind: SubjectKind | null; erased_at: string | Date | null }>(
    await tx.execute(sql`
    select ${kindCase(ctx.tenantId, subjectId)} as kind,
           (select e.erased_at from erasures e where e.tenant_id = ${ctx.tenantId}::uuid and e.subject_id = ${subjectId}::uuid) as erased_at`),
  );
  return { kind: row?.kind ?? null, erasedAt: row?.erased_at ? new Date(row.erased_at) : null, purpose };
}

/** A subject that exists and is not erased; 404 otherwise (an erased subject is gone). */
export async function liveSubject(tx: Transaction, ctx: PurposeContext, subjectId: string): Promise<SubjectKind> {
  const standing = await prepareSubjectChange(tx, ctx, subjectId);
  if (!standing.kind || standing.erasedAt) throw notFound('contact or visitor');
  return standing.kind;
}
