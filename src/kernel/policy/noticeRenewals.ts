import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { rowsOf } from '../../db/rows.ts';
import { invalid } from '../../shared/domainError.ts';

/*
 * What the consent ledger needs of a purpose's notices (table purpose_notices, written by
 * src/privacy/notices/): plain non-personal columns, read here so the kernel depends on no
 * flow. Two rules:
 *
 * - Every ledger event records the notice in force when it was recorded: the latest version
 *   published at or before its time (the first one, for a time before any was published),
 *   with that version's content hash.
 * - A material version with a renewal deadline (renew_by: its publication plus the grace the
 *   privacy officer set) makes consents recorded under any older version stop counting once
 *   the deadline has passed. So at instant t a consent counts only when its notice version is
 *   at least the latest material version whose renew_by is at or before t. An event without a
 *   version (from before notices) counts as version 0.
 */

const at = (date: Date) => sql`${date.toISOString()}::timestamptz`;

/**
 * SQL for the lowest notice version a consent to the purpose must carry to count at `now`
 * (0 when no material renewal has fallen due). Uncorrelated: evaluated once per statement.
 */
export function minimumNoticeVersion(tenantId: string, purposeKey: string, now: Date): SQL {
  return sql`coalesce((
    select max(n.version) from purpose_notices n
    where n.tenant_id = ${tenantId}::uuid and n.purpose_key = ${purposeKey} and n.material and n.renew_by <= ${at(now)}), 0)`;
}

/** The lowest notice version a consent to the purpose must carry to count at `now` (0: any). */
export async function minimumLiveNoticeVersion(db: Executor, tenantId: string, purposeKey: string, now: Date): Promise<number> {
  const [row] = rowsOf<{ minimum: number }>(await db.execute(sql`select ${minimumNoticeVersion(tenantId, purposeKey, now)}::int as minimum`));
  return row!.minimum;
}

export type NoticeStamp = { noticeVersion: number; noticeHash: string };
type Stampable = { purposeKey: string; recordedAt: Date; noticeVersion: number | null; noticeHash: string | null };

/**
 * Gives each event without a notice version the notice in force at its time (one query for
 * all); an event whose purpose has no published notice keeps none. An event that names its
 * version (the widget says which words it showed) must name a published or retired version of
 * its purpose (422 noticeVersion), and gets that version's hash, never one the caller chose.
 */
export async function stampNotices<E extends Stampable>(tx: Executor, tenantId: string, events: readonly E[]): Promise<E[]> {
  if (events.length === 0) return [];
  const rows = rowsOf<{ ord: string | number; version: number; content_hash: string }>(
    await tx.execute(sql`
    select u.ord, n.version, n.content_hash
    from unnest(${sql.param(events.map((event) => event.purposeKey))}::text[], ${sql.param(events.map((event) => event.recordedAt.toISOString()))}::text[],
      ${sql.param(events.map((event) => event.noticeVersion))}::int[]) with ordinality as u(p, r, v, ord)
    cross join lateral ${noticeInForce(tenantId)} n`),
  );
  const found = new Map(rows.map((row) => [Number(row.ord) - 1, { noticeVersion: row.version, noticeHash: row.content_hash }]));
  return events.map((event, index) => {
    const stamp = found.get(index);
    if (event.noticeVersion !== null && !stamp) throw invalid('noticeVersion', 'not a published version of the purpose’s notice');
    return stamp ? { ...event, ...stamp } : { ...event, noticeVersion: null, noticeHash: null };
  });
}

/**
 * The notice an event at u.r (text) about purpose u.p is stamped with: the version it names
 * (u.v), or the one in force then. A lateral subquery (version, content_hash), no row when none.
 */
export const noticeInForce = (tenantId: string) => sql`(
      select n.version, n.content_hash from purpose_notices n
      where n.tenant_id = ${tenantId}::uuid and n.purpose_key = u.p and n.status <> 'draft' and (u.v is null or n.version = u.v)
      order by (n.published_at <= u.r::timestamptz) desc,
               case when n.published_at <= u.r::timestamptz then n.version else -n.version end desc
      limit 1)`;

/** The subject's (u.s) latest ledger event on the purpose at the event's time: a live consent under an older notice (n.version)? */
export const previousWord = (tenantId: string) => sql`
    left join lateral (
      select e.state in ('given', 'renewed') and (e.expires_at is null or e.expires_at > u.r::timestamptz)
             and coalesce(e.notice_version, 0) < n.version as older
      from consent_events e
      where e.tenant_id = ${tenantId}::uuid and e.subject_id = u.s and e.purpose_key = u.p and e.recorded_at <= u.r::timestamptz
      order by e.recorded_at desc, e.id desc limit 1) previous on true`;

export type RenewalDue = {
  purposeKey: string;
  /** The notice version the subject's consent was given under (null: before notices). */
  givenUnderVersion: number | null;
  /** The material version that asks for renewal, and when older consents stop (or stopped) counting. */
  materialVersion: number;
  renewBy: Date;
};

/**
 * The purposes for which the subject should be asked again at their next visit or e-mail:
 * their latest word is a consent (given or renewed, not past its expiry) recorded under a
 * notice version older than a material version published by `now`, whether its renewal
 * deadline is still ahead (the consent still counts) or has passed (it no longer does).
 * Plain columns only: no personal value, no audit.
 */
export async function consentRenewalsDue(tx: Executor, tenantId: string, subjectId: string, now: Date): Promise<RenewalDue[]> {
  const rows = rowsOf<{ purpose_key: string; notice_version: number | null; version: number; renew_by: string | Date }>(
    await tx.execute(sql`
    select s.purpose_key, s.notice_version, m.version, m.renew_by
    from consent_states s
    cross join lateral (
      select n.version, n.renew_by from purpose_notices n
      where n.tenant_id = s.tenant_id and n.purpose_key = s.purpose_key and n.material and n.published_at <= ${at(now)}
      order by n.version desc limit 1) m
    where s.tenant_id = ${tenantId}::uuid and s.subject_id = ${subjectId}::uuid and s.last_event_at <= ${at(now)}
      and s.state in ('given', 'renewed') and (s.expires_at is null or s.expires_at > ${at(now)})
      and coalesce(s.notice_version, 0) < m.version
    order by s.purpose_key`),
  );
  return rows.map((row) => ({
    purposeKey: row.purpose_key,
    givenUnderVersion: row.notice_version,
    materialVersion: row.version,
    renewBy: new Date(row.renew_by),
  }));
}
