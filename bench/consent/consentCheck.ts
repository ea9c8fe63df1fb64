import { sql } from 'drizzle-orm';
import { rowsOf } from '../../src/db/rows.ts';
import { appendConsentEvents, ledgerConsentStore, type LedgerEvent } from '../../src/kernel/policy/index.ts';
import type { BenchEnvironment } from '../benchEnvironment.ts';
import { createPlainConsents, plainLiveCount } from '../independent/plainConsents.ts';
import { interleave, median, quotients, spreadOf, timed } from '../measure.ts';
import type { RawQuery } from '../rawSql.ts';
import { roundsFigure, type Figure } from '../report.ts';
import { consentHistories, liveAt } from './histories.ts';

/*
 * The consent check, set-wise: how many of 100,000 subject ids have a live consent to one
 * purpose, in one query. Candor's side is the kernel's liveCondition (the SQL every list,
 * read and export composes) over a table of the ids, against (a) a raw join of the same ids
 * with a plain current-state table (bench/independent/plainConsents.ts), for now; and (b)
 * the same condition for an instant before every subject's latest event, which Candor
 * answers from the ledger itself, against its own check for now. Each sample is the median
 * of three runs of the query; rounds interleave the three queries.
 */

export const consentSubjects = 100_000;
const purposeKey = 'web_analytics';
const day = 86_400_000;
const runsPerSample = 3;
const seedChunk = 5_000;

export async function seedLedger(env: BenchEnvironment, events: ReturnType<typeof consentHistories>['events']): Promise<void> {
  for (let start = 0; start < events.length; start += seedChunk) {
    const chunk = events.slice(start, start + seedChunk).map(
      (event): LedgerEvent => ({
        ...event,
        purposeKey,
        noticeVersion: 1,
        noticeHash: null,
        channel: 'widget',
        evidence: null,
        actor: 'system:bench',
      }),
    );
    await env.database.db.transaction((tx) => appendConsentEvents(tx, env.tenantId, chunk));
  }
}

export async function measureConsentCheck(env: BenchEnvironment, rounds: number, progress: (line: string) => void): Promise<Figure[]> {
  const now = new Date();
  const base = new Date(now.getTime() - 3 * day);
  const pointInTime = new Date(base.getTime() + day);
  const { subjectIds, events } = consentHistories(consentSubjects, base);
  progress(`consent: writing ${events.length.toLocaleString('en')} ledger events for ${consentSubjects.toLocaleString('en')} subjects`);
  await seedLedger(env, events);
  const raw: RawQuery = (text, params) => env.database.query(text, params);
  await createPlainConsents(raw, env.tenantId, purposeKey, subjectIds, events);

  const candorCount = async (instant: Date) => {
    const live = ledgerConsentStore.liveCondition(env.tenantId, purposeKey, instant, sql`i.id`);
    const [row] = rowsOf<{ n: number }>(await env.database.db.execute(sql`select count(*)::int as n from bench_subject_ids i where ${live}`));
    return row!.n;
  };
  // Both sides must find the same people, and the point in time the replayed answer.
  const expected = { now: liveAt(events, now), past: liveAt(events, pointInTime) };
  const found = { now: await candorCount(now), baseline: await plainLiveCount(raw, env.tenantId, purposeKey, now), past: await candorCount(pointInTime) };
  if (found.now !== expected.now || found.baseline !== expected.now || found.past !== expected.past) {
    throw new Error(`consent check found ${JSON.stringify(found)}, expected ${JSON.stringify(expected)}`);
  }
  const sample = (work: () => Promise<unknown>) => async () => {
    const runs: number[] = [];
    for (let run = 0; run < runsPerSample; run += 1) runs.push(await timed(work));
    return median(runs);
  };
  const [candorNow, baselineNow, candorThen] = await interleave(rounds, [
    sample(() => candorCount(now)),
    sample(() => plainLiveCount(raw, env.tenantId, purposeKey, now)),
    sample(() => candorCount(pointInTime)),
  ]);
  const subjects = consentSubjects.toLocaleString('en');
  const perRound = `median of ${runsPerSample} runs per round, ${rounds} interleaved rounds`;
  return [
    roundsFigure(
      {
        name: `consent check, ${subjects} subjects in one set-wise query`,
        candor: spreadOf(candorNow).median,
        baseline: spreadOf(baselineNow).median,
        unit: 'ms',
        target: '<= 2',
        transport: 'in-process',
        baselineIs: `raw SELECT count(*) joining a table of the same ${subjects} ids with a plain current-state table (state, expiry; primary key tenant, subject, purpose), own code; ${perRound}`,
      },
      spreadOf(quotients(candorNow, baselineNow)),
    ),
    roundsFigure(
      {
        name: `point-in-time consent check, ${subjects} subjects, from the ledger`,
        candor: spreadOf(candorThen).median,
        baseline: spreadOf(candorNow).median,
        unit: 'ms',
        target: '<= 2',
        transport: 'in-process',
        baselineIs: `Candor's own check for now over the same ids (current-state table), same run, interleaved; the instant precedes every subject's latest event; ${perRound}`,
      },
      spreadOf(quotients(candorThen, candorNow)),
    ),
  ];
}
