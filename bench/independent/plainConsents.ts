import type { RawQuery } from '../rawSql.ts';
import { multiRowInsert } from '../rawSql.ts';
import type { BenchConsentEvent } from '../consent/histories.ts';

/*
 * The consent check's baseline, written with the driver alone: a plain current-state table
 * (one row per workspace, subject and purpose: the latest state and its expiry, folded here
 * from the same histories) and a table of the subject ids asked about, joined in one query.
 * Also the table of ids Candor's side asks about, so both read the same 100,000 ids.
 */

const chunkRows = 1_000;

export async function createPlainConsents(
  query: RawQuery,
  tenantId: string,
  purposeKey: string,
  subjectIds: readonly string[],
  events: readonly BenchConsentEvent[],
) {
  await query('create table bench_subject_ids (id uuid primary key)');
  await query(`create table bench_plain_consents (
    tenant_id uuid not null, subject_id uuid not null, purpose_key text not null, state text not null, expires_at timestamptz,
    primary key (tenant_id, subject_id, purpose_key))`);
  await multiRowInsert(
    query,
    'bench_subject_ids',
    ['id'],
    subjectIds.map((id) => [id]),
    chunkRows,
  );
  const latest = new Map<string, BenchConsentEvent>();
  for (const event of events) {
    const previous = latest.get(event.subjectId);
    if (!previous || previous.recordedAt.getTime() <= event.recordedAt.getTime()) latest.set(event.subjectId, event);
  }
  const rows = [...latest.values()].map((event) => [tenantId, event.subjectId, purposeKey, event.state, event.expiresAt?.toISOString() ?? null]);
  await multiRowInsert(query, 'bench_plain_consents', ['tenant_id', 'subject_id', 'purpose_key', 'state', 'expires_at'], rows, chunkRows);
}

/** How many of the ids have a live consent at `now`: one join of the ids with the plain table. */
export async function plainLiveCount(query: RawQuery, tenantId: string, purposeKey: string, now: Date): Promise<number> {
  const [row] = (await query(
    `select count(*)::int as n from bench_subject_ids i
     join bench_plain_consents c on c.tenant_id = $1 and c.subject_id = i.id and c.purpose_key = $2
     where c.state in ('given', 'renewed') and (c.expires_at is null or c.expires_at > $3)`,
    [tenantId, purposeKey, now.toISOString()],
  )) as Array<{ n: number }>;
  return row!.n;
}
