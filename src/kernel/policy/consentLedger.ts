import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { newId } from '../../db/ids.ts';
import { rowsOf } from '../../db/rows.ts';
import type { ConsentChannel, ConsentEventState } from '../../shared/consentVocabulary.ts';
import type { ConsentStore } from './consentStore.ts';
import { minimumNoticeVersion, stampNotices } from './noticeRenewals.ts';

/*
 * The consent ledger (tables consent_events and consent_states, migration 0018): the
 * policy's side of it, holding no personal value. Each event says what a subject said about
 * one purpose at `recorded_at`; the ledger is append-only (a trigger refuses UPDATE and
 * DELETE). The rule, which decide.ts states for one subject:
 *
 *   at instant t, the latest event recorded at or before t decides (of two at the same time,
 *   the larger id: the one appended later); consent is live when that event is `given` or
 *   `renewed`, its expires_at is null or after t, and its notice version is not older than a
 *   material renewal due by t requires (noticeRenewals.ts). No event, or any other state, is
 *   no consent.
 *
 * So liveness comes from the expiry time itself: no job has to run for an expired consent to
 * stop counting (recordDueExpiries only writes the fact into the ledger).
 *
 * consent_states holds the latest event of each subject and purpose, moved by the statement
 * that appends (appendConsentEvents), so a question about now is one row per subject. A question about an instant before a subject's latest event (a
 * point-in-time question, or an event recorded ahead of time) reads the ledger instead.
 * Writers outside tests go through the kernel's recordConsent (src/kernel/consentRecords.ts),
 * which seals evidence, checks grants and audits; appendConsentEvents does none of that.
 */

const at = (date: Date) => sql`${date.toISOString()}::timestamptz`;
const liveStates = sql`('given', 'renewed')`;
// Instants older than this are answered from the ledger alone (either shape gives the same
// answer: the state table is the ledger's fold); nearer ones, from the state table.
const pastInstantMs = 10 * 60_000;

/** The ConsentStore over the consent ledger; Candor's default everywhere the policy asks. */
export const ledgerConsentStore: ConsentStore = {
  liveCondition(tenantId, purposeKey, now, subjectId) {
    // The notice version a material renewal requires: one uncorrelated subquery, run once.
    const minimum = minimumNoticeVersion(tenantId, purposeKey, now);
    const liveEvent = (e: string) =>
      sql`${sql.raw(e)}.state in ${liveStates} and (${sql.raw(e)}.expires_at is null or ${sql.raw(e)}.expires_at > ${at(now)}) and coalesce(${sql.raw(e)}.notice_version, 0) >= ${minimum}`;
    const fromLedger = sql`coalesce((
            select ${liveEvent('e')}
            from consent_events e
            where e.tenant_id = ${tenantId}::uuid and e.subject_id = ${subjectId} and e.purpose_key = ${purposeKey} and e.recorded_at <= ${at(now)}
            order by e.recorded_at desc, e.id desc limit 1), false)`;
    // An instant well in the past (a point-in-time question): the ledger alone, as the
    // subjects whose latest event at or before it is live — DISTINCT ON over the purpose's
    // part of consent_events_purpose_idx (migration 0027), read in its order, no sort; an
    // uncorrelated IN, so many subjects are one hash join and an equality on one subject is
    // pushed into it.
    if (now.getTime() < Date.now() - pastInstantMs) {
      return sql`${subjectId} in (
        select l.subject_id from (
          select distinct on (e.subject_id) e.subject_id, ${liveEvent('e')} as live
          from consent_events e
          where e.tenant_id = ${tenantId}::uuid and e.purpose_key = ${purposeKey} and e.recorded_at <= ${at(now)}
          order by e.subject_id, e.recorded_at desc, e.id desc) l
        where l.live)`;
    }
    // Now: one correlated EXISTS over the state table (a hash semi/anti join in list reads);
    // the ledger is consulted only for subjects whose latest event lies after `now`.
    return sql`exists (
      select 1 from consent_states s
      where s.tenant_id = ${tenantId}::uuid and s.subject_id = ${subjectId} and s.purpose_key = ${purposeKey}
        and case when s.last_event_at <= ${at(now)} then ${liveEvent('s')} else ${fromLedger} end)`;
  },
  async isLive(tx, tenantId, subjectId, purposeKey, now) {
    // Over a one-row FROM, so a point-in-time condition's IN becomes a join on this one subject.
    const live = this.liveCondition(tenantId, purposeKey, now, sql`one.id`);
    const result = await tx.execute(sql`select exists (select 1 from (select ${subjectId}::uuid as id) one where ${live}) as live`);
    const [row] = rowsOf<{ live: boolean }>(result);
    return row?.live === true;
  },
};

/** An event as the ledger stores it; `evidence` is already sealed (or null). */
export type LedgerEvent = {
  id: string;
  subjectId: string;
  purposeKey: string;
  state: ConsentEventState;
  recordedAt: Date;
  expiresAt: Date | null;
  noticeVersion: number | null;
  noticeHash: string | null;
  channel: ConsentChannel;
  evidence: string | null;
  actor: string;
};

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/**
 * Appends events to the ledger in the order given and moves their subjects' states, in one
 * statement: the state row takes the batch's latest event of its subject and purpose when it
 * is later than the row's (recorded_at, then id), and given_at the later of the two given
 * times: the fold of the ledger, kept incrementally.
 */
export async function appendConsentEvents(tx: Executor, tenantId: string, events: readonly LedgerEvent[]): Promise<void> {
  if (events.length === 0) return;
  const column = <T>(pick: (event: LedgerEvent) => T) => sql.param(events.map(pick));
  await tx.execute(sql`
    with u as (
      select ${tenantId}::uuid as tenant_id, i::uuid as id, s::uuid as subject_id, p as purpose_key, st as state, r::timestamptz as recorded_at,
             x::timestamptz as expires_at, nv as notice_version, nh as notice_hash, ch as channel, ev as evidence, ac as actor, ord
      from unnest(${column((e) => e.id)}::text[], ${column((e) => e.subjectId)}::text[], ${column((e) => e.purposeKey)}::text[],
        ${column((e) => e.state)}::text[], ${column((e) => iso(e.recordedAt))}::text[], ${column((e) => iso(e.expiresAt))}::text[],
        ${column((e) => e.noticeVersion)}::int[], ${column((e) => e.noticeHash)}::text[], ${column((e) => e.channel)}::text[],
        ${column((e) => e.evidence)}::text[], ${column((e) => e.actor)}::text[]) with ordinality as u(i, s, p, st, r, x, nv, nh, ch, ev, ac, ord)),
    appended as (
      insert into consent_events (tenant_id, id, subject_id, purpose_key, state, recorded_at, expires_at, notice_version, notice_hash, channel, evidence, actor)
      select tenant_id, id, subject_id, purpose_key, state, recorded_at, expires_at, notice_version, notice_hash, channel, evidence, actor from u order by ord)
    ${consentStateMove(sql`u`)}`);
}

/**
 * The INSERT … ON CONFLICT that moves consent_states by the events of `source` (a CTE with
 * the ledger's columns): each subject and purpose takes its latest event there when it is
 * later than the row's (recorded_at, then id), and given_at the later of the two given times.
 */
export function consentStateMove(source: SQL): SQL {
  const newer = sql`(excluded.last_event_at, excluded.last_event_id) > (consent_states.last_event_at, consent_states.last_event_id)`;
  const latest = (name: string) => sql`${sql.raw(name)} = case when ${newer} then excluded.${sql.raw(name)} else consent_states.${sql.raw(name)} end`;
  return sql`
    insert into consent_states (tenant_id, subject_id, purpose_key, state, given_at, expires_at, notice_version, last_event_at, last_event_id)
    select distinct on (subject_id, purpose_key)
           tenant_id, subject_id, purpose_key, state,
           max(recorded_at) filter (where state in ${liveStates}) over (partition by subject_id, purpose_key),
           expires_at, notice_version, recorded_at, id
    from ${source}
    order by subject_id, purpose_key, recorded_at desc, id desc
    on conflict (tenant_id, subject_id, purpose_key) do update set
      ${latest('state')}, given_at = greatest(consent_states.given_at, excluded.given_at), ${latest('expires_at')},
      ${latest('notice_version')}, ${latest('last_event_at')}, ${latest('last_event_id')}`;
}

export type ExpiryReport = { recorded: number; byTenant: Map<string, LedgerEvent[]> };

/**
 * Writes an `expired` event, at the expiry time, for every consent whose state is still given
 * or renewed past its expiry (all workspaces, or one). Liveness never waits for this: it only
 * makes the ledger say what happened. Idempotent: the event moves the state to expired.
 */
export async function recordDueExpiries(tx: Executor, now: Date, tenantId?: string): Promise<ExpiryReport> {
  // At the expiry time, or at the last event when a consent was recorded already past its
  // expiry, so the expired event is always the latest and the next run finds nothing.
  const due = rowsOf<{ tenant_id: string; subject_id: string; purpose_key: string; expired_at: string | Date; channel: ConsentChannel }>(
    await tx.execute(sql`
    select s.tenant_id, s.subject_id, s.purpose_key, greatest(s.expires_at, s.last_event_at) as expired_at, e.channel
    from consent_states s join consent_events e on e.tenant_id = s.tenant_id and e.id = s.last_event_id
    where s.state in ${liveStates} and s.expires_at is not null and s.expires_at <= ${at(now)}
      ${tenantId ? sql`and s.tenant_id = ${tenantId}::uuid` : sql``}
    order by s.tenant_id, s.subject_id, s.purpose_key
    for update of s skip locked`),
  );
  const byTenant = new Map<string, LedgerEvent[]>();
  for (const row of due) {
    const events = byTenant.get(row.tenant_id) ?? [];
    events.push({
      id: newId(),
      subjectId: row.subject_id,
      purposeKey: row.purpose_key,
      state: 'expired',
      recordedAt: new Date(row.expired_at),
      expiresAt: null,
      noticeVersion: null,
      noticeHash: null,
      // The channel the consent that expired came through.
      channel: row.channel,
      evidence: null,
      actor: 'system:consent-expiry',
    });
    byTenant.set(row.tenant_id, events);
  }
  for (const [tenant, events] of byTenant) {
    // Each expiry names the notice in force at its time, as every event does.
    const stamped = await stampNotices(tx, tenant, events);
    byTenant.set(tenant, stamped);
    await appendConsentEvents(tx, tenant, stamped);
  }
  return { recorded: due.length, byTenant };
}
