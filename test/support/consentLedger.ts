import fc from 'fast-check';
import type { Executor } from '../../src/db/connection.ts';
import { insertSubjectStates, type ConsentEventFact } from '../../src/kernel/policy/index.ts';
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

/** Random ledger events over these purposes and times; an expiry only where the state can have one. */
export function consentEventsArbitrary(purposeKeys: readonly string[], time: fc.Arbitrary<Date>, maxLength = 6): fc.Arbitrary<ConsentEventFact[]> {
  const event = fc
    .record({
      purposeKey: fc.constantFrom(...purposeKeys),
      state: fc.constantFrom(...consentEventStates),
      recordedAt: time,
      expiry: fc.option(time, { nil: null }),
    })
    .map(({ expiry, ...fact }): ConsentEventFact => ({ ...fact, expiresAt: isLiveState(fact.state) ? expiry : null }));
  return fc.array(event, { maxLength });
}

export type FoldedConsent = { state: ConsentEventState; givenAt: Date | null; expiresAt: Date | null; lastEventAt: Date };

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
      lastEventAt: event.recordedAt,
    });
  }
  return folded;
}

/** The oracle: consent is live at `at` when the fold up to `at` ends given or renewed, and not past its expiry. */
export function replayedLiveAt(events: readonly ConsentEventFact[], purposeKey: string, at: Date): boolean {
  const state = foldConsentLedger(events, at).get(purposeKey);
  return state !== undefined && isLiveState(state.state) && (state.expiresAt === null || state.expiresAt.getTime() > at.getTime());
}
