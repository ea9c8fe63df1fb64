import { sql } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import { newId } from '../db/ids.ts';
import { rowsOf } from '../db/rows.ts';
import { DomainError, invalid, notFound } from '../shared/domainError.ts';
import type { PurposeContext } from './accessContext.ts';
import { appendAudit } from './audit.ts';
import { inTransaction } from './audit/head.ts';
import { carryConsentEvents } from './consentRecords.ts';
import { noteSubjectErasure } from './freshSubjects.ts';
import { liveSubject, prepareSubjectChange as prepare } from './subjectStanding.ts';

/*
 * The writers of what the policy knows about a data subject (src/db/schema/policy.ts):
 * Art. 18 restriction and its lifting, Art. 21 objection, Art. 17 erasure. Each takes a
 * purpose its role must hold (the rights desk acts for legal_compliance), works on one
 * contact or visitor of the workspace, is idempotent, and leaves one audit entry naming
 * the subject by pseudonym (`detail` says whether the call changed anything). Every fact
 * carries the time it was recorded, so the policy's "does the basis hold NOW" sees it at
 * once. The rights workflow (later) decides when to call them; erasing the data itself
 * (shredding the key, deleting the rows) is the contact and visitor deletes.
 */

export type RestrictionResult = { recorded: boolean; restrictedAt: Date };
export type LiftResult = { lifted: boolean };
export type ObjectionResult = { recorded: boolean; objectedAt: Date };
export type ErasureResult = { recorded: boolean; erasedAt: Date };
/** Why a subject is erased (stored with the erasure) and the rights request it fulfils, if any. */
export type ErasureDetails = { reason?: string | null; requestId?: string | null };
/** An objection to one purpose, or (Art. 21(2)) to all direct marketing. */
export type ObjectionScope = { purposeKey: string } | { directMarketing: true };

const at = (date: Date) => sql`${date.toISOString()}::timestamptz`;

function audit(tx: Executor, ctx: PurposeContext, action: string, object: string, subjectId: string, detail: Record<string, string | boolean>) {
  return appendAudit(tx, ctx, { action, object, subjectIds: [subjectId], detail });
}

/** Restricts processing of the subject (Art. 18) from now until lifted; a restriction in force is kept. */
export function recordRestriction(executor: Executor, ctx: PurposeContext, subjectId: string): Promise<RestrictionResult> {
  return inTransaction(executor, async (tx) => {
    const kind = await liveSubject(tx, ctx, subjectId);
    const now = new Date();
    const [current] = rowsOf<{ restricted_at: string | Date }>(
      await tx.execute(sql`
      select restricted_at from restrictions
      where tenant_id = ${ctx.tenantId}::uuid and subject_id = ${subjectId}::uuid
        and restricted_at <= ${at(now)} and (lifted_at is null or lifted_at > ${at(now)})
      order by restricted_at limit 1`),
    );
    const result = current ? { recorded: false, restrictedAt: new Date(current.restricted_at) } : { recorded: true, restrictedAt: now };
    if (result.recorded) {
      await tx.execute(sql`insert into restrictions (tenant_id, subject_id, restricted_at) values (${ctx.tenantId}::uuid, ${subjectId}::uuid, ${at(now)})`);
    }
    await audit(tx, ctx, 'subject.restricted', kind, subjectId, { recorded: result.recorded });
    return result;
  });
}

/** Lifts the restriction in force (Art. 18(3)); lifting when none is in force changes nothing. */
export function liftRestriction(executor: Executor, ctx: PurposeContext, subjectId: string): Promise<LiftResult> {
  return inTransaction(executor, async (tx) => {
    const kind = await liveSubject(tx, ctx, subjectId);
    const now = new Date();
    const lifted =
      rowsOf<{ subject_id: string }>(
        await tx.execute(sql`
      update restrictions set lifted_at = ${at(now)}
      where tenant_id = ${ctx.tenantId}::uuid and subject_id = ${subjectId}::uuid
        and restricted_at <= ${at(now)} and (lifted_at is null or lifted_at > ${at(now)})
      returning subject_id`),
      ).length > 0;
    await audit(tx, ctx, 'subject.restriction_lifted', kind, subjectId, { lifted });
    return { lifted };
  });
}

/**
 * Records the subject's objection (Art. 21) to one purpose of the workspace (422 naming
 * purposeKey otherwise) or to all direct marketing. The policy applies it where Art. 21
 * does: purposes on public task or legitimate interests, and direct marketing always.
 * An objection already on record for the same scope is kept.
 */
export function recordObjection(executor: Executor, ctx: PurposeContext, subjectId: string, scope: ObjectionScope): Promise<ObjectionResult> {
  return inTransaction(executor, async (tx) => {
    const kind = await liveSubject(tx, ctx, subjectId);
    const purposeKey = 'purposeKey' in scope ? scope.purposeKey : null;
    if (purposeKey !== null) {
      const [known] = rowsOf<{ known: boolean }>(
        await tx.execute(sql`
        select exists (select 1 from purposes p where p.tenant_id = ${ctx.tenantId}::uuid and p.key = ${purposeKey}) as known`),
      );
      if (!known?.known) throw invalid('purposeKey', 'not a purpose of this workspace (GET /api/v1/purposes lists them)');
    }
    const now = new Date();
    const [current] = rowsOf<{ objected_at: string | Date }>(
      await tx.execute(sql`
      select objected_at from objections
      where tenant_id = ${ctx.tenantId}::uuid and subject_id = ${subjectId}::uuid and objected_at <= ${at(now)}
        and ${purposeKey === null ? sql`purpose_key is null` : sql`purpose_key = ${purposeKey}`}
      order by objected_at limit 1`),
    );
    const result = current ? { recorded: false, objectedAt: new Date(current.objected_at) } : { recorded: true, objectedAt: now };
    if (result.recorded) {
      await tx.execute(sql`
        insert into objections (tenant_id, id, subject_id, purpose_key, objected_at)
        values (${ctx.tenantId}::uuid, ${newId()}::uuid, ${subjectId}::uuid, ${purposeKey}, ${at(now)})`);
    }
    const detail: Record<string, string | boolean> = purposeKey === null ? { directMarketing: true } : { purposeKey };
    await audit(tx, ctx, 'subject.objected', kind, subjectId, { ...detail, recorded: result.recorded });
    return result;
  });
}

/**
 * Records that the subject is erased (Art. 17): from now on no purpose may process it,
 * and the record stays so nothing of it is processed again. Record it before deleting the
 * subject's data (its key and rows); a second call keeps the first time.
 */
export function recordErasure(executor: Executor, ctx: PurposeContext, subjectId: string, details: ErasureDetails = {}): Promise<ErasureResult> {
  return inTransaction(executor, async (tx) => {
    const standing = await prepare(tx, ctx, subjectId);
    if (!standing.kind && !standing.erasedAt) throw notFound('contact or visitor');
    const object = standing.kind ?? 'subject';
    if (standing.erasedAt) {
      await audit(tx, ctx, 'subject.erased', object, subjectId, { recorded: false });
      return { recorded: false, erasedAt: standing.erasedAt };
    }
    const now = new Date();
    noteSubjectErasure();
    const inserted = rowsOf<{ subject_id: string }>(
      await tx.execute(sql`
      insert into erasures (tenant_id, subject_id, erased_at, reason, request_id)
      values (${ctx.tenantId}::uuid, ${subjectId}::uuid, ${at(now)}, ${details.reason ?? null}, ${details.requestId ?? null}::uuid)
      on conflict do nothing returning subject_id`),
    );
    // The lock above serialises callers, so the row cannot have appeared since.
    if (inserted.length === 0) throw new DomainError('conflict', "The subject's erasure was recorded concurrently; retry.");
    await audit(tx, ctx, 'subject.erased', object, subjectId, { recorded: true, ...(details.reason ? { reason: details.reason } : {}) });
    return { recorded: true, erasedAt: now };
  });
}

/**
 * A merge's hand-over: the duplicate's consents, objections and restrictions become the
 * survivor's too (they are one person), so an objection or a restriction is never lost
 * with the deleted record. The consent ledger's events are appended to the survivor's
 * (consentRecords.ts); the duplicate's own rows stay as its history.
 */
export async function carrySubjectStates(tx: Executor, ctx: PurposeContext, fromId: string, toId: string): Promise<void> {
  const tenant = sql`${ctx.tenantId}::uuid`;
  await carryConsentEvents(tx, ctx.tenantId, fromId, toId);
  await tx.execute(sql`
    insert into objections (tenant_id, id, subject_id, purpose_key, objected_at)
    select tenant_id, gen_random_uuid(), ${toId}::uuid, purpose_key, objected_at
    from objections where tenant_id = ${tenant} and subject_id = ${fromId}::uuid`);
  await tx.execute(sql`
    insert into restrictions (tenant_id, subject_id, restricted_at, lifted_at)
    select tenant_id, ${toId}::uuid, restricted_at, lifted_at
    from restrictions where tenant_id = ${tenant} and subject_id = ${fromId}::uuid
    on conflict do nothing`);
}

/**
 * For an erasure: deletes what the policy held on the subject besides the erasure itself and
 * the consent ledger's events (kept as pseudonymous proof of what was agreed, their evidence
 * sealed under the shredded key): restrictions, objections, current consent states, pending
 * double opt-in requests, rows an unfinished import staged for it.
 */
export async function forgetSubjectStates(tx: Executor, tenantId: string, subjectId: string): Promise<void> {
  const subject = sql`tenant_id = ${tenantId}::uuid and subject_id = ${subjectId}::uuid`;
  await tx.execute(sql`delete from restrictions where ${subject}`);
  await tx.execute(sql`delete from objections where ${subject}`);
  await tx.execute(sql`delete from consent_states where ${subject}`);
  await tx.execute(sql`delete from consent_requests where ${subject}`);
  await tx.execute(sql`delete from import_staging where tenant_id = ${tenantId}::uuid and record_id = ${subjectId}::uuid`);
}
