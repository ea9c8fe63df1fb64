import type { ConsentChannel, ConsentEventState } from '../../shared/consentVocabulary.ts';
import { contactCreatedAtMs } from './contacts.ts';
import { Stream } from './keys.ts';
import { entitySeed, Random } from './random.ts';
import { addDaysMs, instantAfterMs, type DemoTimeline } from './timeline.ts';

/*
 * A contact's consent history for the demo: what the person said about each consent purpose
 * of a new workspace (email_marketing, web_analytics, targeted_advertising,
 * third_party_sharing), and when. Keyed by (seed, contact) like every generator, so the same
 * contact always gets the same history. The shares are invented but plausible: about half
 * take the newsletter and a sixth of those leave again, analytics consent is the most common
 * and runs out after a year, few agree to partner advertising or sharing, and some browsers
 * send Global Privacy Control, which opts their person out of both — sometimes after they
 * had agreed, which the privacy officer's GPC conflict list then shows.
 */

export type DemoConsentEvent = {
  purposeKey: string;
  state: ConsentEventState;
  channel: ConsentChannel;
  recordedAt: Date;
  /** Set on given events whose consent runs out (web analytics). */
  expiresAt?: Date;
};

/** At most this many events per contact: the seeder numbers event ids contact × this + n. */
export const maxDemoConsentEvents = 12;

const YEAR_DAYS = 365;
const newsletterChannels: readonly ConsentChannel[] = ['form', 'form', 'form', 'import', 'staff'];

/** The events of one purpose's history: given (maybe expiring), then maybe withdrawn, or refused. */
function purposeHistory(
  rng: Random,
  timeline: DemoTimeline,
  fromMs: number,
  purposeKey: string,
  shares: { given: number; refused: number; withdrawn: number; channel: () => ConsentChannel; validityDays?: number },
): DemoConsentEvent[] {
  const roll = rng.next();
  const channel = shares.channel();
  const givenMs = instantAfterMs(rng, fromMs, timeline);
  if (roll >= shares.given) {
    return roll < shares.given + shares.refused ? [{ purposeKey, state: 'refused', channel, recordedAt: new Date(givenMs) }] : [];
  }
  const expiresMs = shares.validityDays === undefined ? null : addDaysMs(givenMs, shares.validityDays);
  const events: DemoConsentEvent[] = [
    { purposeKey, state: 'given', channel, recordedAt: new Date(givenMs), ...(expiresMs === null ? {} : { expiresAt: new Date(expiresMs) }) },
  ];
  const endMs = expiresMs === null ? timeline.end.getTime() : Math.min(expiresMs, timeline.end.getTime());
  if (rng.chance(shares.withdrawn) && endMs - givenMs > 60_000) {
    events.push({
      purposeKey,
      state: 'withdrawn',
      channel: purposeKey === 'email_marketing' ? 'email_link' : channel,
      recordedAt: new Date(instantAfterMs(rng, givenMs + 60_000, { ...timeline, end: new Date(endMs) })),
    });
  } else if (expiresMs !== null && expiresMs <= timeline.end.getTime()) {
    // What the expiry job writes (recordConsentExpiries), at the expiry time.
    events.push({ purposeKey, state: 'expired', channel, recordedAt: new Date(expiresMs) });
  }
  return events;
}

/** The consent history of contact `index`, oldest first within each purpose; often empty. */
export function demoConsentHistoryAt(seed: number, index: number, timeline: DemoTimeline): DemoConsentEvent[] {
  const rng = new Random(entitySeed(seed, Stream.consent, index));
  const createdMs = contactCreatedAtMs(seed, index, timeline);
  // Some people accept the site's analytics in the days before they sign up.
  const firstVisitMs = addDaysMs(createdMs, -rng.int(0, 7));
  const widget = () => 'widget' as const;
  const events = [
    ...purposeHistory(rng, timeline, createdMs, 'email_marketing', { given: 0.45, refused: 0.1, withdrawn: 0.16, channel: () => rng.pick(newsletterChannels) }),
    ...purposeHistory(rng, timeline, firstVisitMs, 'web_analytics', { given: 0.55, refused: 0.2, withdrawn: 0.1, channel: widget, validityDays: YEAR_DAYS }),
    ...purposeHistory(rng, timeline, firstVisitMs, 'targeted_advertising', { given: 0.15, refused: 0.3, withdrawn: 0.1, channel: widget }),
    ...purposeHistory(rng, timeline, createdMs, 'third_party_sharing', { given: 0.08, refused: 0.1, withdrawn: 0.1, channel: () => 'form' }),
  ];
  if (rng.chance(0.06)) {
    // A GPC browser: opts out of both after whatever the person said about them before.
    const latestMs = Math.max(
      firstVisitMs,
      ...events.filter((e) => e.purposeKey !== 'email_marketing' && e.purposeKey !== 'web_analytics').map((e) => e.recordedAt.getTime()),
    );
    const atMs = instantAfterMs(rng, latestMs + 60_000, timeline);
    if (atMs > latestMs && atMs <= timeline.end.getTime()) {
      for (const purposeKey of ['targeted_advertising', 'third_party_sharing'])
        events.push({ purposeKey, state: 'opted_out', channel: 'gpc', recordedAt: new Date(atMs) });
    }
  }
  return events;
}
