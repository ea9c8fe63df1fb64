import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../src/db/ids.ts';
import { resolveAnonymousIds, systemContext, wasConsentLive } from '../src/kernel/index.ts';
import { insertContacts } from '../src/kernel/contactRecords.ts';
import { appendConsentEvents, type LedgerEvent } from '../src/kernel/policy/consentLedger.ts';
import type { ConsentChannel, ConsentEventState } from '../src/shared/consentVocabulary.ts';
import { createTestApp, errorFields, type TestApp, type TestWorkspace } from './support/testApp.ts';

/*
 * GET /api/v1/consents/statistics over a ledger written here, event by event, at known
 * times in 2025: every count per month and week is worked out by hand below, the
 * point-in-time live counts are checked against wasConsentLive for each subject, and the
 * renewals due against a material notice published through the API.
 */

let t: TestApp;
let workspace: TestWorkspace;
const ids: Record<string, string> = {};
const day = 86_400_000;
const now = Date.now();

type Word = [
  subject: string,
  purposeKey: string,
  state: ConsentEventState,
  recordedAt: string | Date,
  extra?: { expiresAt?: string | Date; channel?: ConsentChannel; noticeVersion?: number },
];

const date = (value: string | Date) => (typeof value === 'string' ? new Date(value) : value);

/** Appends the words in order (ids ascend, so of two at the same time the later one counts), with the channel and notice given. */
async function writeLedger(words: Word[]): Promise<void> {
  const events = words.map(
    ([subject, purposeKey, state, recordedAt, extra = {}]): LedgerEvent => ({
      id: newId(),
      subjectId: ids[subject]!,
      purposeKey,
      state,
      recordedAt: date(recordedAt),
      expiresAt: extra.expiresAt ? date(extra.expiresAt) : null,
      noticeVersion: extra.noticeVersion ?? null,
      noticeHash: null,
      channel: extra.channel ?? 'form',
      evidence: null,
      actor: 'system:test',
    }),
  );
  await appendConsentEvents(t.database.db, workspace.id, events);
}

// E-mail marketing, month by month (events before a month's end count at its end):
//   A given in Dec 2024, withdrawn 10 Feb.         B given 5 Jan, expiring 20 Feb (no expired event).
//   C refused 20 Jan, given 3 Mar.                 D given 10 Jan expiring 25 Jan (the job's expired event too), renewed 1 Feb 00:00.
//   E given and withdrawn at the same instant, 15 Feb: the later word counts.
//   Gone (never a contact) and F (erased) gave consent in January: neither is counted.
//   G (expiring in ten days) and H (under notice version 2) gave consent a minute ago: after every 2025 period.
// Targeted advertising: the visitor V gave consent 8 Jan, GPC opted out 10 Mar; A opted out by API 12 Mar.
const history: Word[] = [
  ['A', 'email_marketing', 'given', '2024-12-15T09:00:00Z'],
  ['B', 'email_marketing', 'given', '2025-01-05T09:00:00Z', { expiresAt: '2025-02-20T12:00:00Z' }],
  ['Gone', 'email_marketing', 'given', '2025-01-05T09:00:00Z'],
  ['F', 'email_marketing', 'given', '2025-01-05T10:00:00Z'],
  ['V', 'targeted_advertising', 'given', '2025-01-08T09:00:00Z', { channel: 'widget' }],
  ['D', 'email_marketing', 'given', '2025-01-10T09:00:00Z', { expiresAt: '2025-01-25T09:00:00Z' }],
  ['C', 'email_marketing', 'refused', '2025-01-20T09:00:00Z'],
  ['D', 'email_marketing', 'expired', '2025-01-25T09:00:00Z'],
  ['D', 'email_marketing', 'renewed', '2025-02-01T00:00:00Z'],
  ['A', 'email_marketing', 'withdrawn', '2025-02-10T08:00:00Z', { channel: 'email_link' }],
  ['E', 'email_marketing', 'given', '2025-02-15T10:00:00Z'],
  ['E', 'email_marketing', 'withdrawn', '2025-02-15T10:00:00Z'],
  ['C', 'email_marketing', 'given', '2025-03-03T09:00:00Z'],
  ['V', 'targeted_advertising', 'opted_out', '2025-03-10T09:00:00Z', { channel: 'gpc' }],
  ['A', 'targeted_advertising', 'opted_out', '2025-03-12T09:00:00Z', { channel: 'api' }],
  ['G', 'email_marketing', 'given', new Date(now - 60_000), { expiresAt: new Date(now + 10 * day) }],
  ['H', 'email_marketing', 'given', new Date(now - 60_000), { noticeVersion: 2 }],
];

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
  const ctx = systemContext(workspace.id, 'test:consent-statistics', 'sales');
  const contacts = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];
  for (const name of [...contacts, 'Gone']) ids[name] = newId();
  await t.database.db.transaction((tx) =>
    insertContacts(
      tx,
      ctx,
      contacts.map((name) => ({ id: ids[name]!, ownerId: null, companyId: null, lifecycleStage: 'lead', source: 'import', personal: { first_name: name } })),
    ),
  );
  const { subjects } = await t.database.db.transaction((tx) =>
    resolveAnonymousIds(tx, { ...ctx, purpose: 'web_analytics' }, [
      { anonymousId: 'anon-v', firstSeenAt: '2025-01-08T08:00:00Z', lastSeenAt: '2025-01-08T08:00:00Z' },
    ]),
  );
  ids.V = subjects.get('anon-v')!.visitorId!;
  await writeLedger(history);
  await t.database.db.execute(sql`insert into erasures (tenant_id, subject_id, erased_at) values (${workspace.id}::uuid, ${ids.F}::uuid, now())`);
  // A material notice version 2 for e-mail marketing: consents under version 1 or none are due for renewal.
  const draft = await t.request(workspace.keys.privacy_officer, {
    method: 'PUT',
    url: '/api/v1/purposes/email_marketing/notices/draft',
    payload: { title: 'E-mail news', bodyMarkdown: 'We send you news by e-mail, now also about partner offers.' },
  });
  expect(draft.statusCode).toBe(200);
  const published = await t.request(workspace.keys.privacy_officer, {
    method: 'POST',
    url: '/api/v1/purposes/email_marketing/notices/draft/publish',
    payload: { material: true, renewalGraceDays: 30 },
  });
  expect(published.statusCode).toBe(200);
});
afterAll(() => t?.close());

type Period = { start: string; end: string; measuredAt: string } & Record<string, number | null | string>;
type Purpose = {
  purposeKey: string;
  legalBasis: string;
  periods: Period[];
  current: Record<string, number | null>;
  materialNotice: { version: number; renewBy: string } | null;
};
type Statistics = { interval: string; asOf: string; renewalWindowDays: number; periods: Array<{ start: string; end: string }>; purposes: Purpose[] };

async function statistics(query: string, key = workspace.keys.privacy_officer): Promise<Statistics> {
  const response = await t.request(key, { method: 'GET', url: `/api/v1/consents/statistics?${query}` });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

const purposeOf = (body: Statistics, key: string) => body.purposes.find((purpose) => purpose.purposeKey === key)!;
const counts = ['given', 'refused', 'withdrawn', 'renewed', 'expired', 'optedOut', 'gpcOptOuts', 'onRecord', 'live', 'consentRate'] as const;
const row = (period: Period) => counts.map((name) => period[name]);

describe('consent statistics per month', () => {
  it('counts each month’s words and, at its end, the subjects on record and those with live consent', async () => {
    const body = await statistics('from=2025-01-01&to=2025-03-31&interval=month');
    expect(body.periods).toEqual([
      { start: '2025-01-01', end: '2025-02-01' },
      { start: '2025-02-01', end: '2025-03-01' },
      { start: '2025-03-01', end: '2025-04-01' },
    ]);
    const email = purposeOf(body, 'email_marketing');
    expect(email.legalBasis).toBe('consent');
    expect(email.periods.map((period) => period.measuredAt)).toEqual(['2025-02-01T00:00:00.000Z', '2025-03-01T00:00:00.000Z', '2025-04-01T00:00:00.000Z']);
    //                                   given refused withdrawn renewed expired optedOut gpc onRecord live rate
    expect(email.periods.map(row)).toEqual([
      [2, 1, 0, 0, 1, 0, 0, 4, 2, 0.5],
      [1, 0, 2, 1, 1, 0, 0, 5, 1, 0.2],
      [1, 0, 0, 0, 0, 0, 0, 5, 2, 0.4],
    ]);
    expect(purposeOf(body, 'targeted_advertising').periods.map(row)).toEqual([
      [1, 0, 0, 0, 0, 0, 0, 1, 1, 1],
      [0, 0, 0, 0, 0, 0, 0, 1, 1, 1],
      [0, 0, 0, 0, 0, 2, 1, 2, 0, 0],
    ]);
    // A consent purpose nobody has spoken about is listed with zeros and no rate.
    expect(purposeOf(body, 'web_analytics').periods.map(row)).toEqual(Array(3).fill([0, 0, 0, 0, 0, 0, 0, 0, 0, null]));
  });

  it('agrees with wasConsentLive, subject by subject, just before each measuring instant', async () => {
    const body = await statistics('from=2025-01-01&to=2025-03-31&interval=month');
    for (const purposeKey of ['email_marketing', 'targeted_advertising']) {
      for (const period of purposeOf(body, purposeKey).periods) {
        const justBefore = new Date(Date.parse(period.measuredAt) - 1);
        const counted = ['A', 'B', 'C', 'D', 'E', 'G', 'H', 'V'];
        const live = await Promise.all(counted.map((name) => wasConsentLive(t.database.db, workspace.id, ids[name]!, purposeKey, justBefore)));
        expect({ purposeKey, start: period.start, live: period.live }).toEqual({ purposeKey, start: period.start, live: live.filter(Boolean).length });
      }
    }
  });

  it('gives the totals now and the renewals due: expiring within the window, and given under a notice older than the material one', async () => {
    const body = await statistics('from=2025-01-01&to=2025-03-31&renewalWindowDays=30');
    const email = purposeOf(body, 'email_marketing');
    expect(email.current).toEqual({
      onRecord: 7,
      live: 4,
      consentRate: 0.5714,
      refused: 0,
      withdrawn: 2,
      expired: 1,
      optedOut: 0,
      expiringSoon: 1,
      olderNotice: 3,
      renewalsDue: 3,
    });
    expect(email.materialNotice?.version).toBe(2);
    expect(Date.parse(email.materialNotice!.renewBy) - Date.parse(body.asOf)).toBeGreaterThan(29 * day);
    expect(purposeOf(body, 'targeted_advertising').current).toMatchObject({ onRecord: 2, live: 0, optedOut: 2, expiringSoon: 0, olderNotice: 0 });
    expect(purposeOf(body, 'targeted_advertising').materialNotice).toBeNull();
    // A window of five days holds no expiry.
    expect(purposeOf(await statistics('renewalWindowDays=5'), 'email_marketing').current.expiringSoon).toBe(0);
  });
});

describe('consent statistics per week', () => {
  it('covers whole weeks from Monday and places each word in its week', async () => {
    const body = await statistics('from=2025-02-05&to=2025-02-16&interval=week');
    expect(body.periods).toEqual([
      { start: '2025-02-03', end: '2025-02-10' },
      { start: '2025-02-10', end: '2025-02-17' },
    ]);
    expect(purposeOf(body, 'email_marketing').periods.map(row)).toEqual([
      [0, 0, 0, 0, 0, 0, 0, 4, 3, 0.75],
      [1, 0, 2, 0, 0, 0, 0, 5, 2, 0.4],
    ]);
  });

  it('defaults to the last twelve months, the one under way measured now', async () => {
    const body = await statistics('');
    expect(body.interval).toBe('month');
    expect(body.periods).toHaveLength(12);
    const last = purposeOf(body, 'email_marketing').periods.at(-1)!;
    expect(last.measuredAt).toBe(body.asOf);
    expect(last).toMatchObject({ given: 2, onRecord: 7, live: 4 });
  });
});

describe('who may read them, and bad queries', () => {
  it('is for privacy officers and admins only', async () => {
    expect((await statistics('', workspace.keys.admin)).purposes.length).toBeGreaterThan(0);
    for (const role of ['sales', 'marketing', 'support', 'analyst'] as const) {
      const response = await t.request(workspace.keys[role], { method: 'GET', url: '/api/v1/consents/statistics' });
      expect(response.statusCode, role).toBe(403);
    }
  });

  it.each([
    ['interval=day', 'interval'],
    ['from=2025-13-01', 'from'],
    ['to=yesterday', 'to'],
    ['from=2025-03-01&to=2025-02-01', 'from'],
    ['from=2016-01-01&interval=week', 'from'],
    ['to=2999-01-01', 'to'],
    ['renewalWindowDays=0', 'renewalWindowDays'],
  ])('refuses %s with a problem naming %s', async (query, field) => {
    const response = await t.request(workspace.keys.privacy_officer, { method: 'GET', url: `/api/v1/consents/statistics?${query}` });
    expect(response.statusCode).toBe(422);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    // Named once or more (a malformed date also fails calendarDate's range check), and nothing else.
    expect([...new Set(errorFields(response.json()))]).toEqual([`querystring.${field}`]);
  });
});
