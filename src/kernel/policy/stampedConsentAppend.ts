import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { rowsOf } from '../../db/rows.ts';
import { invalid } from '../../shared/domainError.ts';
import { consentStateMove, type LedgerEvent } from './consentLedger.ts';
import { noticeInForce, previousWord } from './noticeRenewals.ts';

/*
 * One event of the kernel's recordConsent, appended in one statement with what
 * stampNoticeAndRenewal and appendConsentEvents did in three: the notice in force at its
 * time (or the version it names, which must be a published or retired one: 422
 * noticeVersion, and nothing is written), `given` over a live consent recorded under an
 * older notice version recorded as `renewed`, the ledger row, and the subject's state moved.
 */

type Appended = { state: LedgerEvent['state']; notice_version: number | null; notice_hash: string | null };

/** Appends the event (its noticeVersion: the version named, or null; its noticeHash ignored) and returns it as recorded. */
export async function appendStampedConsentEvent(tx: Executor, tenantId: string, event: LedgerEvent): Promise<LedgerEvent> {
  const iso = (date: Date | null) => (date ? date.toISOString() : null);
  const [row] = rowsOf<Appended>(
    await tx.execute(sql`
    with u as (
      select ${event.id}::uuid as id, ${event.subjectId}::uuid as s, ${event.purposeKey}::text as p, ${event.state}::text as st,
             ${iso(event.recordedAt)}::text as r, ${iso(event.expiresAt)}::timestamptz as x, ${event.noticeVersion}::int as v,
             ${event.channel}::text as ch, ${event.evidence}::text as ev, ${event.actor}::text as ac),
    stamped as (
      select ${tenantId}::uuid as tenant_id, u.id, u.s as subject_id, u.p as purpose_key,
             case when u.st = 'given' and coalesce(previous.older, false) then 'renewed' else u.st end as state,
             u.r::timestamptz as recorded_at, u.x as expires_at, n.version as notice_version, n.content_hash as notice_hash,
             u.ch as channel, u.ev as evidence, u.ac as actor, 1 as ord
      from u left join lateral ${noticeInForce(tenantId)} n on true
      ${previousWord(tenantId)}
      where u.v is null or n.version is not null),
    appended as (
      insert into consent_events (tenant_id, id, subject_id, purpose_key, state, recorded_at, expires_at, notice_version, notice_hash, channel, evidence, actor)
      select tenant_id, id, subject_id, purpose_key, state, recorded_at, expires_at, notice_version, notice_hash, channel, evidence, actor from stamped
      returning state, notice_version, notice_hash),
    moved as (${consentStateMove(sql`stamped`)})
    select state, notice_version, notice_hash from appended`),
  );
  if (!row) throw invalid('noticeVersion', 'not a published version of the purpose’s notice');
  return { ...event, state: row.state, noticeVersion: row.notice_version, noticeHash: row.notice_hash };
}
