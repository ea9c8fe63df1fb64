import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { newId } from '../../db/ids.ts';
import { appendConsentEvents, type LedgerEvent } from './consentLedger.ts';
import { noteSubjectErasure } from '../freshSubjects.ts';
import type { SubjectState } from './subjectState.ts';

/*
 * Records subject states in the policy's tables, set-wise (one INSERT per table; consents
 * as events of the consent ledger, channel import, no evidence), at any times given: for
 * tests that seed random or past states and for bulk loads. It checks no grant and writes no audit entry; a person's consent, restriction, objection or
 * erasure is recorded through the kernel's writers (src/kernel/consentRecords.ts,
 * src/kernel/subjectStateWriters.ts).
 */

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export async function insertSubjectStates(tx: Executor, tenantId: string, states: readonly SubjectState[]): Promise<void> {
  // Ids drawn in list order are ascending (UUIDv7), so a later event of the same time counts.
  const consentEvents: LedgerEvent[] = states.flatMap((state) =>
    state.consents.map((fact) => ({
      id: newId(),
      subjectId: state.subjectId,
      purposeKey: fact.purposeKey,
      state: fact.state,
      recordedAt: fact.recordedAt,
      expiresAt: fact.expiresAt,
      // A fact's notice version as given (tests of renewals); its hash is not the policy's concern.
      noticeVersion: fact.noticeVersion ?? null,
      noticeHash: null,
      channel: 'import' as const,
      evidence: null,
      actor: 'system:subject-state-store',
    })),
  );
  await appendConsentEvents(tx, tenantId, consentEvents);
  const objections = states.flatMap((state) => state.objections.map((fact) => ({ subjectId: state.subjectId, ...fact })));
  if (objections.length > 0) {
    await tx.execute(sql`
      insert into objections (tenant_id, id, subject_id, purpose_key, objected_at)
      select ${tenantId}::uuid, i::uuid, s::uuid, p, o::timestamptz
      from unnest(${sql.param(objections.map(() => newId()))}::text[], ${sql.param(objections.map((o) => o.subjectId))}::text[],
        ${sql.param(objections.map((o) => o.purposeKey))}::text[], ${sql.param(objections.map((o) => iso(o.objectedAt)))}::text[]) as u(i, s, p, o)`);
  }
  const restrictions = states.flatMap((state) => state.restrictions.map((fact) => ({ subjectId: state.subjectId, ...fact })));
  if (restrictions.length > 0) {
    await tx.execute(sql`
      insert into restrictions (tenant_id, subject_id, restricted_at, lifted_at)
      select ${tenantId}::uuid, s::uuid, r::timestamptz, l::timestamptz
      from unnest(${sql.param(restrictions.map((r) => r.subjectId))}::text[], ${sql.param(restrictions.map((r) => iso(r.restrictedAt)))}::text[],
        ${sql.param(restrictions.map((r) => iso(r.liftedAt)))}::text[]) as u(s, r, l)
      on conflict do nothing`);
  }
  // A subject is erased once: the earliest erasure counts.
  const erasures = states.flatMap((state) => {
    const times = state.erasures.map((erasure) => erasure.erasedAt.getTime());
    return times.length > 0 ? [{ subjectId: state.subjectId, erasedAt: new Date(Math.min(...times)) }] : [];
  });
  if (erasures.length > 0) {
    noteSubjectErasure();
    await tx.execute(sql`
      insert into erasures (tenant_id, subject_id, erased_at)
      select ${tenantId}::uuid, s::uuid, e::timestamptz
      from unnest(${sql.param(erasures.map((e) => e.subjectId))}::text[], ${sql.param(erasures.map((e) => iso(e.erasedAt)))}::text[]) as u(s, e)
      on conflict do nothing`);
  }
}
