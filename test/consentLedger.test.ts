import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../src/db/ids.ts';
import { rowsOf } from '../src/db/rows.ts';
import { insertSubjectStates, ledgerConsentStore, subjectDenyReasons, type PolicyPurpose, type SubjectState } from '../src/kernel/policy/index.ts';
import {
  consentEventsArbitrary,
  foldConsentLedger,
  giveConsent,
  insertNoticeHistory,
  noticeHistoryArbitrary,
  replayedLiveAt,
  type NoticeHistory,
} from './support/consentLedger.ts';
import { openTestDatabase, type TestDatabase } from './support/testDatabase.ts';

/*
 * The consent ledger as the policy reads it (src/kernel/policy/consentLedger.ts): for random
 * histories and random instants, the SQL condition every list read uses — the current-state
 * table for "now", the ledger for an instant before a subject's latest event — agrees with
 * the ledger replayed in memory and with decide.ts's consent rule; and the state table is
 * the fold of the events.
 */

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database.close());

// Histories in the past (a point-in-time question: the ledger alone answers) and around now
// (the state table answers, the ledger only for subjects whose latest event is later).
const pastBase = new Date('2026-03-01T12:00:00.000Z');
const nearNow = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 30 * 60_000);
// Few distinct minutes, so events share times (ties), expiries fall on instants, and
// instants fall both after every event and before some.
const minutesFrom = (base: Date) => (minutes: number) => new Date(base.getTime() + minutes * 60_000);
const purposeKeys = ['p0', 'p1'];
const purpose = (key: string, notices?: NoticeHistory): PolicyPurpose => ({
  key,
  legalBasis: 'consent',
  dataUse: 'analytics.reporting',
  noticeRenewals: notices?.renewals ?? [],
});

async function createTenant(): Promise<string> {
  const tenantId = newId();
  await database.db.execute(sql`insert into workspaces (id, slug, name) values (${tenantId}, ${`ledger-${tenantId}`}, 'Ledger')`);
  return tenantId;
}

/** The subjects among `ids` whose consent the SQL condition finds live at `instant`: one set-wise statement. */
async function liveInSql(tenantId: string, purposeKey: string, instant: Date, ids: readonly string[]): Promise<string[]> {
  const condition = ledgerConsentStore.liveCondition(tenantId, purposeKey, instant, sql`u.id`);
  const rows = rowsOf<{ id: string }>(await database.db.execute(sql`select u.id from unnest(${sql.param(ids)}::uuid[]) as u(id) where ${condition}`));
  return rows.map((row) => row.id).sort();
}

type StateRow = {
  subject_id: string;
  purpose_key: string;
  state: string;
  given_at: Date | string | null;
  expires_at: Date | string | null;
  notice_version: number | null;
  last_event_at: Date | string;
};
const time_ = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

describe('the consent ledger agrees with its oracles', () => {
  it.each([
    ['in the past', pastBase],
    ['around now', nearNow],
  ])(
    'answers liveness at random instants %s, under random material notice renewals, as the replayed ledger and decide.ts do, and keeps the state table equal to the fold',
    async (_, base) => {
      const at = minutesFrom(base);
      const time = fc.integer({ min: -4, max: 4 }).map(at);
      await fc.assert(
        fc.asyncProperty(
          fc.array(consentEventsArbitrary(purposeKeys, time, 6), { minLength: 1, maxLength: 5 }),
          fc.array(fc.integer({ min: -5, max: 5 }).map(at), { minLength: 1, maxLength: 4 }),
          fc.tuple(noticeHistoryArbitrary(time), noticeHistoryArbitrary(time)),
          async (histories, instants, noticeHistories) => {
            const tenantId = await createTenant();
            const notices = new Map(purposeKeys.map((key, index) => [key, noticeHistories[index]!]));
            for (const [key, history] of notices) await insertNoticeHistory(database.db, tenantId, key, history, at(-5));
            const states: SubjectState[] = histories.map((consents) => ({ subjectId: newId(), consents, objections: [], restrictions: [], erasures: [] }));
            // Appended in two statements, each subject's later half second (its times are random,
            // so often earlier than the first half's): the state table moves incrementally.
            const half = (state: SubjectState) => Math.ceil(state.consents.length / 2);
            await insertSubjectStates(
              database.db,
              tenantId,
              states.map((state) => ({ ...state, consents: state.consents.slice(0, half(state)) })),
            );
            const rest = states.map((state) => ({
              subjectId: state.subjectId,
              consents: state.consents.slice(half(state)),
              objections: [],
              restrictions: [],
              erasures: [],
            }));
            await insertSubjectStates(database.db, tenantId, rest);
            const ids = states.map((state) => state.subjectId);

            for (const instant of instants) {
              for (const key of purposeKeys) {
                const renewals = notices.get(key)!.renewals;
                const replayed = states.filter((state) => replayedLiveAt(state.consents, key, instant, renewals)).map((state) => state.subjectId);
                const decided = states
                  .filter((state) => !subjectDenyReasons(purpose(key, notices.get(key)), state, instant).includes('no_live_consent'))
                  .map((state) => state.subjectId);
                expect(decided.sort()).toEqual([...replayed].sort());
                expect(await liveInSql(tenantId, key, instant, ids)).toEqual([...replayed].sort());
              }
            }
            const first = states[0]!;
            expect(await ledgerConsentStore.isLive(database.db, tenantId, first.subjectId, 'p0', instants[0]!)).toBe(
              replayedLiveAt(first.consents, 'p0', instants[0]!, notices.get('p0')!.renewals),
            );

            const rows = rowsOf<StateRow>(
              await database.db.execute(sql`
            select subject_id, purpose_key, state, given_at, expires_at, notice_version, last_event_at from consent_states where tenant_id = ${tenantId}::uuid`),
            );
            const stored = rows.map((row) => ({
              key: `${row.subject_id}:${row.purpose_key}`,
              state: row.state,
              givenAt: time_(row.given_at),
              expiresAt: time_(row.expires_at),
              noticeVersion: row.notice_version,
              lastEventAt: time_(row.last_event_at),
            }));
            const folded = states.flatMap((state) =>
              [...foldConsentLedger(state.consents)].map(([key, fold]) => ({
                key: `${state.subjectId}:${key}`,
                state: fold.state,
                givenAt: time_(fold.givenAt),
                expiresAt: time_(fold.expiresAt),
                noticeVersion: fold.noticeVersion,
                lastEventAt: time_(fold.lastEventAt),
              })),
            );
            const byKey = (a: { key: string }, b: { key: string }) => a.key.localeCompare(b.key);
            expect(stored.sort(byKey)).toEqual(folded.sort(byKey));
          },
        ),
        { numRuns: 60 },
      );
    },
  );

  it('answers a point-in-time question: was marketing consent live on 2026-03-01?', async () => {
    const tenantId = await createTenant();
    const subjectId = newId();
    await insertSubjectStates(database.db, tenantId, [
      {
        subjectId,
        consents: [
          { purposeKey: 'email_marketing', state: 'given', recordedAt: new Date('2026-01-10T09:00:00Z'), expiresAt: new Date('2027-01-10T09:00:00Z') },
          { purposeKey: 'email_marketing', state: 'withdrawn', recordedAt: new Date('2026-04-02T16:30:00Z'), expiresAt: null },
        ],
        objections: [],
        restrictions: [],
        erasures: [],
      },
    ]);
    const live = (iso: string) => ledgerConsentStore.isLive(database.db, tenantId, subjectId, 'email_marketing', new Date(iso));
    expect(await live('2026-03-01T00:00:00Z')).toBe(true);
    expect(await live('2026-01-10T08:59:59Z')).toBe(false);
    expect(await live('2026-04-02T16:30:00Z')).toBe(false);
    expect(await live('2026-12-01T00:00:00Z')).toBe(false);
  });
});

describe('the consent ledger is append-only', () => {
  it('refuses UPDATE, DELETE and TRUNCATE of its events, and keeps them', async () => {
    const tenantId = await createTenant();
    const subjectId = newId();
    await giveConsent(database.db, tenantId, subjectId, 'web_analytics');
    await expect(database.query("update consent_events set state = 'refused' where tenant_id = $1", [tenantId])).rejects.toThrow(/append-only/);
    await expect(database.query('delete from consent_events where tenant_id = $1', [tenantId])).rejects.toThrow(/append-only/);
    await expect(database.query('truncate consent_events')).rejects.toThrow(/append-only/);
    const [row] = await database.query<{ n: number }>('select count(*)::int as n from consent_events where tenant_id = $1', [tenantId]);
    expect(row!.n).toBe(1);
  });

  it('refuses a state, channel or expiry outside the ledger vocabulary', async () => {
    const insert = (state: string, channel: string, expiresAt: string | null) =>
      database.query(
        `insert into consent_events (tenant_id, id, subject_id, purpose_key, state, recorded_at, expires_at, channel, actor)
         values ($1, $2, $3, 'p0', $4, now(), $6, $5, 'system:test')`,
        [newId(), newId(), newId(), state, channel, expiresAt],
      );
    await expect(insert('maybe', 'form', null)).rejects.toThrow(/consent_events_state_check/);
    await expect(insert('given', 'carrier_pigeon', null)).rejects.toThrow(/consent_events_channel_check/);
    await expect(insert('withdrawn', 'form', new Date().toISOString())).rejects.toThrow(/consent_events_expiry_check/);
  });
});
