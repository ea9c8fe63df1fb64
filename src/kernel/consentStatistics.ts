import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import { rowsOf } from '../db/rows.ts';
import type { PurposeContext } from './accessContext.ts';
import { inTransaction } from './audit/head.ts';
import { requireGrantedPurpose } from './policy/purposeGrant.ts';

/*
 * Counts over the consent ledger for the privacy officer's dashboard: per purpose and
 * period, what people said (given, refused, withdrawn, renewed, opted out — GPC apart), how
 * many consents ran out, and at each period's measuring instant how many subjects were on
 * record and how many of them had live consent, by the ledger's own rule
 * (policy/consentLedger.ts). Counts only: no subject id leaves this module.
 *
 * Set-wise, in two statements whatever the number of people or periods: one pass over the
 * ledger with window functions, each event placed in its period by width_bucket, and the
 * point-in-time figures summed from where each live stretch starts and stops; then one over
 * consent_states for now. Only subjects that are today a contact or a visitor profile of the
 * workspace and not erased are counted: a contact merge appends the duplicate's events to
 * the survivor's ledger and deletes the duplicate, which would otherwise count twice, and an
 * erased person is processed no further, statistics included.
 *
 * Like the activities' weekly counts, an aggregate read is not audited; the context's
 * purpose must be granted to the role.
 */

export type ConsentPeriodCounts = {
  given: number;
  refused: number;
  withdrawn: number;
  renewed: number;
  /** Given or renewed consents whose expiry fell in the period with no newer word before it. */
  expired: number;
  /** Opt-outs of sale, sharing or targeted advertising through any channel, GPC included. */
  optedOut: number;
  gpcOptOuts: number;
  /** Subjects with any ledger event for the purpose before the period's measuring instant. */
  onRecord: number;
  /** Of those, the ones whose consent was live just before that instant. */
  live: number;
};

export type ConsentCurrentCounts = {
  onRecord: number;
  live: number;
  /** Subjects whose latest word is this state (expired: also a given or renewed consent past its expiry). */
  refused: number;
  withdrawn: number;
  expired: number;
  optedOut: number;
  /** Live consents whose expiry falls within the renewal window. */
  expiringSoon: number;
  /** Live consents given under a notice version older than the purpose's latest material one (or under no recorded version). */
  olderNotice: number;
  /** Live consents that are either (each counted once). */
  renewalsDue: number;
};

export type PurposeConsentStatistics = { purposeKey: string; periods: ConsentPeriodCounts[]; current: ConsentCurrentCounts };

export type ConsentStatisticsQuery = {
  /** The periods' starts, ascending; each period ends where the next starts, the last at `end`. */
  starts: readonly Date[];
  end: Date;
  /** The instant each period's onRecord and live are taken at (its end, or now for the period under way), ascending. */
  measuredAt: readonly Date[];
  now: Date;
  /** Consents expiring within this many days of now are due for renewal. */
  renewalWindowDays: number;
  /** Per purpose, the latest material notice version: consents given under older ones must be renewed. */
  materialNotices: ReadonlyArray<{ purposeKey: string; version: number }>;
};

const at = (date: Date) => sql`${date.toISOString()}::timestamptz`;
const instants = (dates: readonly Date[]) => sql`${sql.param(dates.map((date) => date.toISOString()))}::timestamptz[]`;
const liveStates = sql`('given', 'renewed')`;

// A subject counts while it is a contact or a visitor profile of the workspace and not erased.
const countedSubject = (tenantId: string, subject: SQL) => sql`(
    (exists (select 1 from contacts c where c.tenant_id = ${tenantId}::uuid and c.id = ${subject})
      or exists (select 1 from visitors v where v.tenant_id = ${tenantId}::uuid and v.id = ${subject}))
    and not exists (select 1 from erasures x where x.tenant_id = ${tenantId}::uuid and x.subject_id = ${subject}))`;

type MeasureRow = { purpose_key: string; measure: string; gpc: boolean; idx: number; n: number };

/*
 * Indices are 1-based. width_bucket(x, thresholds) is the number of thresholds <= x, so an
 * event recorded at x falls in period width_bucket(x, starts), and the first measuring
 * instant after x is width_bucket(x, measuredAt) + 1 (count + 1 when x is at or after the
 * last). A figure taken at instant t counts the events recorded before t: a live stretch
 * [recorded_at, least(next event, expiry)) counts at the instants after its start up to
 * and including its end, and a subject is on record at the instants after its first word.
 */
function ledgerMeasures(tenantId: string, query: ConsentStatisticsQuery): SQL {
  const starts = instants(query.starts);
  const points = instants(query.measuredAt);
  const first = at(query.starts[0]!);
  const firstAfter = (time: SQL) => sql`width_bucket(${time}, ${points}) + 1`;
  return sql`
    with ledger as (
      select e.purpose_key, e.state, e.channel = 'gpc' as gpc, e.recorded_at, e.expires_at,
             lead(e.recorded_at) over w as next_at, row_number() over w = 1 as first_word
      from consent_events e
      where e.tenant_id = ${tenantId}::uuid and ${countedSubject(tenantId, sql`e.subject_id`)}
      window w as (partition by e.subject_id, e.purpose_key order by e.recorded_at, e.id)
    ), stretches as (
      select purpose_key, recorded_at as from_at, least(next_at, expires_at) as until_at
      from ledger
      where state in ${liveStates} and (next_at is null or next_at > recorded_at) and (expires_at is null or expires_at > recorded_at)
    )
    select purpose_key, state as measure, gpc, width_bucket(recorded_at, ${starts}) as idx, count(*)::int as n
      from ledger where recorded_at >= ${first} and recorded_at < ${at(query.end)} and state <> 'expired'
      group by 1, 2, 3, 4
    union all
    select purpose_key, 'lapsed', false, width_bucket(expires_at, ${starts}), count(*)::int
      from ledger
      where state in ${liveStates} and expires_at >= ${first} and expires_at < ${at(query.end)} and expires_at < ${at(query.now)}
        and (next_at is null or next_at >= expires_at)
      group by 1, 2, 3, 4
    union all
    select purpose_key, 'first_word', false, ${firstAfter(sql`recorded_at`)}, count(*)::int
      from ledger where first_word group by 1, 2, 3, 4
    union all
    select purpose_key, 'live_from', false, ${firstAfter(sql`from_at`)}, count(*)::int
      from stretches group by 1, 2, 3, 4
    union all
    select purpose_key, 'live_until', false, ${firstAfter(sql`until_at`)}, count(*)::int
      from stretches where until_at is not null group by 1, 2, 3, 4`;
}

type CurrentRow = {
  purpose_key: string;
  on_record: number;
  live: number;
  refused: number;
  withdrawn: number;
  expired: number;
  opted_out: number;
  expiring_soon: number;
  older_notice: number;
  renewals_due: number;
};

function currentMeasures(tenantId: string, query: ConsentStatisticsQuery): SQL {
  const now = at(query.now);
  const live = sql`(s.state in ${liveStates} and (s.expires_at is null or s.expires_at > ${now}))`;
  const material = query.materialNotices;
  const expiringSoon = sql`s.expires_at <= ${now} + make_interval(days => ${query.renewalWindowDays}::int)`;
  // No recorded version counts as older: the person was not shown the material one.
  const olderNotice = sql`coalesce(e.notice_version, 0) < m.version`;
  return sql`
    select s.purpose_key,
           count(*)::int as on_record,
           (count(*) filter (where ${live}))::int as live,
           (count(*) filter (where s.state = 'refused'))::int as refused,
           (count(*) filter (where s.state = 'withdrawn'))::int as withdrawn,
           (count(*) filter (where s.state = 'expired' or (s.state in ${liveStates} and s.expires_at <= ${now})))::int as expired,
           (count(*) filter (where s.state = 'opted_out'))::int as opted_out,
           (count(*) filter (where ${live} and ${expiringSoon}))::int as expiring_soon,
           (count(*) filter (where ${live} and ${olderNotice}))::int as older_notice,
           (count(*) filter (where ${live} and (${expiringSoon} or ${olderNotice})))::int as renewals_due
    from consent_states s
    join consent_events e on e.tenant_id = s.tenant_id and e.id = s.last_event_id
    left join unnest(${sql.param(material.map((notice) => notice.purposeKey))}::text[], ${sql.param(material.map((notice) => notice.version))}::int[])
      as m(purpose_key, version) on m.purpose_key = s.purpose_key
    where s.tenant_id = ${tenantId}::uuid and ${countedSubject(tenantId, sql`s.subject_id`)}
    group by s.purpose_key`;
}

/** A period in which the ledger said nothing about the purpose. */
export const emptyConsentPeriod = (): ConsentPeriodCounts => ({
  given: 0,
  refused: 0,
  withdrawn: 0,
  renewed: 0,
  expired: 0,
  optedOut: 0,
  gpcOptOuts: 0,
  onRecord: 0,
  live: 0,
});

/** A purpose nobody is on record for. */
export const emptyConsentCurrent = (): ConsentCurrentCounts => ({
  onRecord: 0,
  live: 0,
  refused: 0,
  withdrawn: 0,
  expired: 0,
  optedOut: 0,
  expiringSoon: 0,
  olderNotice: 0,
  renewalsDue: 0,
});

/** Folds the measure rows into periods: event counts by period, point-in-time counts as running sums. */
function foldPeriods(rows: readonly MeasureRow[], periodCount: number): ConsentPeriodCounts[] {
  const periods = Array.from({ length: periodCount }, emptyConsentPeriod);
  // Changes to onRecord and live at each measuring instant, summed below.
  const onRecordSteps = new Array<number>(periodCount + 2).fill(0);
  const liveSteps = new Array<number>(periodCount + 2).fill(0);
  for (const { measure, gpc, idx, n } of rows) {
    if (measure === 'first_word') onRecordSteps[idx]! += n;
    else if (measure === 'live_from') liveSteps[idx]! += n;
    else if (measure === 'live_until') liveSteps[idx]! -= n;
    else {
      const period = periods[idx - 1];
      if (!period) continue;
      if (measure === 'lapsed') period.expired += n;
      else if (measure === 'opted_out') {
        period.optedOut += n;
        if (gpc) period.gpcOptOuts += n;
      } else if (measure === 'given' || measure === 'refused' || measure === 'withdrawn' || measure === 'renewed') period[measure] += n;
    }
  }
  let onRecord = 0;
  let live = 0;
  periods.forEach((period, index) => {
    onRecord += onRecordSteps[index + 1]!;
    live += liveSteps[index + 1]!;
    period.onRecord = onRecord;
    period.live = live;
  });
  return periods;
}

/**
 * The ledger's counts per purpose (the purposes the ledger names for counted subjects) over
 * the periods asked, and now. `starts` must be ascending and non-empty, and `measuredAt`
 * as long. The context's purpose must be granted (403).
 */
export function consentStatistics(executor: Executor, ctx: PurposeContext, query: ConsentStatisticsQuery): Promise<PurposeConsentStatistics[]> {
  if (query.starts.length === 0 || query.measuredAt.length !== query.starts.length) throw new Error('consentStatistics needs one measuring instant per period');
  return inTransaction(executor, async (tx) => {
    await requireGrantedPurpose(tx, ctx);
    const measures = rowsOf<MeasureRow>(await tx.execute(ledgerMeasures(ctx.tenantId, query)));
    const current = rowsOf<CurrentRow>(await tx.execute(currentMeasures(ctx.tenantId, query)));
    const keys = [...new Set([...measures.map((row) => row.purpose_key), ...current.map((row) => row.purpose_key)])].sort();
    return keys.map((purposeKey): PurposeConsentStatistics => {
      const now = current.find((row) => row.purpose_key === purposeKey);
      return {
        purposeKey,
        periods: foldPeriods(
          measures.filter((row) => row.purpose_key === purposeKey),
          query.starts.length,
        ),
        current: now
          ? {
              onRecord: now.on_record,
              live: now.live,
              refused: now.refused,
              withdrawn: now.withdrawn,
              expired: now.expired,
              optedOut: now.opted_out,
              expiringSoon: now.expiring_soon,
              olderNotice: now.older_notice,
              renewalsDue: now.renewals_due,
            }
          : emptyConsentCurrent(),
      };
    });
  });
}
