import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { rowsOf } from '../../db/rows.ts';
import { legalHolds } from '../../db/schema/index.ts';
import { actorKey, recordAudit, type AccessContext } from '../../kernel/index.ts';
import { DomainError, notFound } from '../../shared/domainError.ts';

/*
 * Legal holds (GDPR Art. 17(3)(b) and (e): a legal obligation, or the establishment,
 * exercise or defence of legal claims). While a hold on a subject is active, no erasure
 * reaches it: not a person's request, not the retention sweep. Placing and releasing are
 * audited with the subject as a pseudonym and the hold's id; the reason's text stays in the
 * hold (it names a case, never the person's data) and is not copied into the audit.
 */

export type LegalHold = {
  id: string;
  subjectId: string;
  reason: string;
  createdBy: string;
  createdAt: Date;
  releasedAt: Date | null;
};

export const maxLegalHoldReasonLength = 500;

const columns = {
  id: legalHolds.id,
  subjectId: legalHolds.subjectId,
  reason: legalHolds.reason,
  createdBy: legalHolds.createdBy,
  createdAt: legalHolds.createdAt,
  releasedAt: legalHolds.releasedAt,
};

/** The 409 every erasure path gives for a held subject (problem+json: field subjectId, reason legal_hold). */
export const legalHoldRefusal = () =>
  new DomainError('conflict', 'This person is under a legal hold: their data must be kept until the hold is released.', [
    { field: 'subjectId', reason: 'legal_hold' },
  ]);

/** The subject's active hold (the oldest, if several), or null. */
export async function activeLegalHold(executor: Executor, workspaceId: string, subjectId: string): Promise<LegalHold | null> {
  const [hold] = await executor
    .select(columns)
    .from(legalHolds)
    .where(and(eq(legalHolds.tenantId, workspaceId), eq(legalHolds.subjectId, subjectId), isNull(legalHolds.releasedAt)))
    .orderBy(asc(legalHolds.createdAt), asc(legalHolds.id))
    .limit(1);
  return hold ?? null;
}

/** Refuses (409, reason legal_hold) when the subject is under an active hold. Every erasure calls it first. */
export async function assertNoLegalHold(executor: Executor, workspaceId: string, subjectId: string): Promise<void> {
  if (await activeLegalHold(executor, workspaceId, subjectId)) throw legalHoldRefusal();
}

/** Which of the subjects are under an active hold: one statement for any number (the retention sweep). */
export async function heldSubjects(executor: Executor, workspaceId: string, subjectIds: readonly string[]): Promise<Set<string>> {
  if (subjectIds.length === 0) return new Set();
  const rows = await executor
    .selectDistinct({ subjectId: legalHolds.subjectId })
    .from(legalHolds)
    .where(and(eq(legalHolds.tenantId, workspaceId), inArray(legalHolds.subjectId, [...subjectIds]), isNull(legalHolds.releasedAt)));
  return new Set(rows.map((row) => row.subjectId));
}

/** Every subject of the workspace under an active hold (few: holds are placed one by one). */
export async function allHeldSubjects(executor: Executor, workspaceId: string): Promise<string[]> {
  const rows = await executor
    .selectDistinct({ subjectId: legalHolds.subjectId })
    .from(legalHolds)
    .where(and(eq(legalHolds.tenantId, workspaceId), isNull(legalHolds.releasedAt)));
  return rows.map((row) => row.subjectId).sort();
}

async function subjectExists(executor: Executor, workspaceId: string, subjectId: string): Promise<boolean> {
  const result = await executor.execute(sql`
    select 1 from contacts where tenant_id = ${workspaceId} and id = ${subjectId}
    union all
    select 1 from visitors where tenant_id = ${workspaceId} and id = ${subjectId}
    limit 1`);
  return rowsOf(result).length > 0;
}

/** Places a hold on a contact or visitor of the workspace (404 for any other id); audited as legal_hold.placed. */
export async function placeLegalHold(tx: Executor, ctx: AccessContext, input: { subjectId: string; reason: string }): Promise<LegalHold> {
  if (!(await subjectExists(tx, ctx.tenantId, input.subjectId))) throw notFound('contact or visitor');
  const [hold] = await tx
    .insert(legalHolds)
    .values({
      tenantId: ctx.tenantId,
      id: randomUUID(),
      subjectId: input.subjectId,
      reason: input.reason,
      createdBy: actorKey(ctx.actor),
      createdAt: new Date(),
    })
    .returning(columns);
  await recordAudit(tx, ctx, { action: 'legal_hold.placed', object: 'legal_hold', recordIds: [hold.id], subjectIds: [hold.subjectId], fields: ['reason'] });
  return hold;
}

/** Releases a hold (404 if the workspace has none by that id); releasing a released hold changes nothing and is not audited again. */
export async function releaseLegalHold(tx: Executor, ctx: AccessContext, id: string): Promise<LegalHold> {
  const [released] = await tx
    .update(legalHolds)
    .set({ releasedAt: new Date() })
    .where(and(eq(legalHolds.tenantId, ctx.tenantId), eq(legalHolds.id, id), isNull(legalHolds.releasedAt)))
    .returning(columns);
  if (released) {
    await recordAudit(tx, ctx, { action: 'legal_hold.released', object: 'legal_hold', recordIds: [released.id], subjectIds: [released.subjectId] });
    return released;
  }
  const [existing] = await tx
    .select(columns)
    .from(legalHolds)
    .where(and(eq(legalHolds.tenantId, ctx.tenantId), eq(legalHolds.id, id)));
  if (!existing) throw notFound('legal hold');
  return existing;
}

/** The workspace's holds, oldest first; by default the active ones only. */
export async function listLegalHolds(
  executor: Executor,
  workspaceId: string,
  options: { subjectId?: string; includeReleased?: boolean } = {},
): Promise<LegalHold[]> {
  return executor
    .select(columns)
    .from(legalHolds)
    .where(
      and(
        eq(legalHolds.tenantId, workspaceId),
        options.subjectId === undefined ? undefined : eq(legalHolds.subjectId, options.subjectId),
        options.includeReleased ? undefined : isNull(legalHolds.releasedAt),
      ),
    )
    .orderBy(asc(legalHolds.createdAt), asc(legalHolds.id))
    .limit(1000);
}
