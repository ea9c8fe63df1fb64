import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import type { Database, Executor } from '../../src/db/connection.ts';
import { insertSubjectStates, type ConsentEventFact, type NoticeRenewal } from '../../src/kernel/policy/index.ts';
import { consentEventStates, liveConsentStates, type ConsentEventState } from '../../src/shared/consentVocabulary.ts';

/*
 * Consent ledgers for tests: a writer of simple histories, random histories, and the ledger's
 * semantics written a second way — replaying events in the order they take effect — as the
 * oracle the SQL store (consent_states, the ledger fallback) and decide.ts are held to.
 */

const hourAgo = () => new Date(Date.now() - 3_600_000);

/**
 * Gives the subject's consent to the purpose (an hour ago unless `givenAt`), withdrawn at
 * `withdrawnAt` when set: ledger events without audit or evidence (subjectStateStore.ts).
 */
export async function giveConsent(
  db: Executor,
  tenantId: string,
  subjectId: string,
  purposeKey: string,
  times: { givenAt?: Date; withdrawnAt?: Date | null } = {},
): Promise<void> {
  const consents: ConsentEventFact[] = [{ purposeKey, state: 'given', recordedAt: times.givenAt ?? hourAgo(), expiresAt: null }];
  if (times.withdrawnAt) consents.push({ purposeKey, state: 'withdrawn', recordedAt: times.withdrawnAt, expiresAt: null });
  await insertSubjectStates(db, tenantId, [{ subjectId, consents, objections: [], restrictions: [], erasures: [] }]);
}

const isLiveState = (state: ConsentEventState) => (liveConsentStates as readonly string[]).includes(state);

/**
 * Random ledger events over these purposes and times; an expiry only where the state can have
 * one; a notice version from 1 to `maxNoticeVersion`, or none (an event from before notices).
 */
export function consentEventsArbitrary(
  purposeKeys: readonly string[],
  time: fc.Arbitrary<Date>,
  maxLength = 6,
  maxNoticeVersion = 3,
): fc.Arbitrary<ConsentEventFact[]> {
  const event = fc
    .record({
      purposeKey: fc.constantFrom(...purposeKeys),
      state: fc.constantFrom(...consentEventStates),
      recordedAt: time,
      expiry: fc.option(time, { nil: null }),
      noticeVersion: fc.option(fc.integer({ min: 1, max: maxNoticeVersion }), { nil: null }),
    })
    .map(({ expiry, ...fact }): ConsentEventFact => ({ ...fact, expiresAt: isLiveState(fact.state) ? expiry : null }));
  return fc.array(event, { maxLength });
}

export type FoldedConsent = { state: ConsentEventState; givenAt: Date | null; expiresAt: Date | null; noticeVersion: number | null; lastEventAt: Date };

/**
 * Replays the events in the order they take effect (time, then the order recorded) up to
 * `until`, keeping per purpose what consent_states keeps: the state, expiry and time of the
 * latest event, and the latest time consent was given or renewed.
 */
export function foldConsentLedger(events: readonly ConsentEventFact[], until?: Date): Map<string, FoldedConsent> {
  const ordered = events
    .map((event, order) => ({ event, order }))
    .filter(({ event }) => until === undefined || event.recordedAt.getTime() <= until.getTime())
    .sort((a, b) => a.event.recordedAt.getTime() - b.event.recordedAt.getTime() || a.order - b.order);
  const folded = new Map<string, FoldedConsent>();
  for (const { event } of ordered) {
    const previous = folded.get(event.purposeKey);
    folded.set(event.purposeKey, {
      state: event.state,
      givenAt: isLiveState(event.state) ? event.recordedAt : (previous?.givenAt ?? null),
      expiresAt: event.expiresAt,
      noticeVersion: event.noticeVersion ?? null,
      lastEventAt: event.recordedAt,
    });
  }
  return folded;
}

/**
 * The oracle: consent is live at `at` when the fold up to `at` ends given or renewed, not past
 * its expiry, under a notice version at least the newest material version due by `at`.
 */
export function replayedLiveAt(events: readonly ConsentEventFact[], purposeKey: string, at: Date, renewals: readonly NoticeRenewal[] = []): boolean {
  const state = foldConsentLedger(events, at).get(purposeKey);
  const required = Math.max(0, ...renewals.filter((renewal) => renewal.renewBy.getTime() <= at.getTime()).map((renewal) => renewal.version));
  return (
    state !== undefined &&
    isLiveState(state.state) &&
    (state.expiresAt === null || state.expiresAt.getTime() > at.getTime()) &&
    (state.noticeVersion ?? 0) >= required
  );
}

export type NoticeHistory = { versions: number; renewals: NoticeRenewal[] };

/**
 * A random notice history of one purpose: versions 1…3, each material or not; a material one
 * has its renewal deadline at one of the times given (the oracle's renewals).
 */
export function noticeHistoryArbitrary(time: fc.Arbitrary<Date>): fc.Arbitrary<NoticeHistory> {
  return fc.array(fc.option(time, { nil: null }), { minLength: 1, maxLength: 3 }).map((deadlines) => ({
    versions: deadlines.length,
    renewals: deadlines.flatMap((renewBy, index) => (renewBy === null ? [] : [{ version: index + 1, renewBy }])),
  }));
}

/**
 * Writes a purpose on the consent basis and its notice history straight into the tables (the
 * last version published, the others retired, all published a day before `publishedAt`'s day).
 */
export async function insertNoticeHistory(db: Executor, tenantId: string, purposeKey: string, history: NoticeHistory, publishedAt: Date): Promise<void> {
  await db.execute(sql`
    insert into purposes (tenant_id, key, description, legal_basis, data_use, retention_days)
    values (${tenantId}::uuid, ${purposeKey}, 'Test purpose', 'consent', 'analytics.reporting', 30)`);
  for (let version = 1; version <= history.versions; version += 1) {
    const renewBy = history.renewals.find((renewal) => renewal.version === version)?.renewBy ?? null;
    await db.execute(sql`
      insert into purpose_notices (tenant_id, purpose_key, version, status, title, body_markdown, content_hash, material, renewal_grace_days, published_at, published_by, renew_by)
      values (${tenantId}::uuid, ${purposeKey}, ${version}, ${version === history.versions ? 'published' : 'retired'}, 'Test', ${`Notice ${version}`},
        ${`hash-${version}`}, ${renewBy !== null}, ${renewBy === null ? null : 0}, ${new Date(publishedAt.getTime() - 86_400_000).toISOString()}::timestamptz,
        'system:test', ${renewBy === null ? null : renewBy.toISOString()}::timestamptz)`);
  }
}

/**
 * The workspace's consent events that a flow recorded (not this file's test writer) and how
 * many of them (of one subject, if named) do not name a notice version of their purpose with that version's own hash.
 */
export async function eventsWithoutTheirNotice(database: Database, tenantId: string, subjectId?: string): Promise<{ recorded: number; unstamped: number }> {
  const [row] = await database.query<{ recorded: number; unstamped: number }>(
    `select count(*)::int as recorded, count(*) filter (where n.version is null)::int as unstamped
     from consent_events e
     left join purpose_notices n on n.tenant_id = e.tenant_id and n.purpose_key = e.purpose_key and n.version = e.notice_version
       and n.content_hash = e.notice_hash and n.status <> 'draft'
     where e.tenant_id = $1 and e.actor <> 'system:subject-state-store' and ($2::uuid is null or e.subject_id = $2::uuid)`,
    [tenantId, subjectId ?? null],
  );
  return row!;
}
