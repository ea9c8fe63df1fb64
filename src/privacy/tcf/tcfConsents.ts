import type { Transaction } from '../../db/connection.ts';
import { lockedConsentStates, recordConsent, type ConsentEvent, type ConsentEvidence, type CurrentConsent, type PurposeContext } from '../../kernel/index.ts';
import { announceChanges } from '../../platform/changes.ts';
import { consentedPurposes, type TcfPurposeMap } from './tcfPurposes.ts';
import type { TcfSignal } from './tcfSignal.ts';

/*
 * A decoded TC string as consent evidence: ledger events, channel `tcf`, for the Candor
 * purposes the TCF purposes bear on (tcfPurposes.ts). A CMP sends the same string with
 * every page, naming every purpose each time, so only what changes the subject's ledger
 * becomes an event:
 *
 * - a purpose the string does not consent to ends a live consent (`withdrawn`) whenever it
 *   comes: saying no only narrows what Candor may do, so it needs no proof of being recent;
 *   with no word on record at all it is recorded as `refused`;
 * - a purpose the string consents to is recorded `given` only when the string was last
 *   updated after the ledger's latest word for it: an old cookie must not revive a consent
 *   the person withdrew since, by phone or by link. TCF v2.2 keeps that time to the day,
 *   so a consent changed back and forth within one day waits for the next day's string:
 *   the safe side.
 *
 * Each event's evidence (sealed under the subject's key) holds the string itself and what
 * identifies it: CMP id and version, created and last-updated times, policy and vendor-list
 * versions, the TCF purposes that bore on the purpose.
 */

export type TcfPurposeOutcome = {
  purposeKey: string;
  /** What the string says of the purpose: every TCF purpose bearing on it consented. */
  consented: boolean;
  /** The event recorded, or null when the ledger already said as much (or said it later). */
  recorded: 'given' | 'refused' | 'withdrawn' | null;
  eventId: string | null;
};

export type TcfIngest = { purposes: TcfPurposeOutcome[]; unmappedPurposes: number[]; events: ConsentEvent[] };

function decide(consented: boolean, current: CurrentConsent | undefined, signal: TcfSignal): TcfPurposeOutcome['recorded'] {
  if (!consented) {
    if (!current) return 'refused';
    return current.live ? 'withdrawn' : null;
  }
  return !current || signal.lastUpdated.getTime() > current.lastEventAt.getTime() ? 'given' : null;
}

export function tcfEvidence(signal: TcfSignal, tcfPurposes: readonly number[]): ConsentEvidence {
  return {
    tcString: signal.tcString,
    cmpId: signal.cmpId,
    cmpVersion: signal.cmpVersion,
    tcfCreated: signal.created.toISOString(),
    tcfLastUpdated: signal.lastUpdated.toISOString(),
    tcfPolicyVersion: signal.policyVersion,
    vendorListVersion: signal.vendorListVersion,
    tcfPurposes: tcfPurposes.join(','),
  };
}

/**
 * Records what the string changes for the subject, in the caller's transaction, and raises
 * one `consent.<state>` webhook per event. `ctx` takes the subject's lock (its purpose must
 * be granted); `contextFor` gives the context each purpose's event is recorded under (its
 * grant is checked as for any consent); `extra` is evidence the channel adds (a staff note,
 * a form's keyed hashes). 404 for a subject that is not a live contact or visitor (of
 * `subjectKind`, if given).
 */
export async function recordTcfConsents(
  tx: Transaction,
  ctx: PurposeContext,
  contextFor: (purposeKey: string) => PurposeContext,
  subject: { id: string; kind?: 'contact' | 'visitor' },
  signal: TcfSignal,
  map: TcfPurposeMap,
  extra: ConsentEvidence = {},
): Promise<TcfIngest> {
  const consented = consentedPurposes(map, signal.purposeConsents);
  const keys = [...consented.keys()].sort();
  const current = await lockedConsentStates(tx, ctx, subject.id, keys, subject.kind);
  const purposes: TcfPurposeOutcome[] = [];
  const events: ConsentEvent[] = [];
  for (const purposeKey of keys) {
    const says = consented.get(purposeKey)!;
    const state = decide(says, current.get(purposeKey), signal);
    if (state === null) {
      purposes.push({ purposeKey, consented: says, recorded: null, eventId: null });
      continue;
    }
    const evidence = { ...tcfEvidence(signal, map.byPurpose.get(purposeKey)!), ...extra };
    const event = await recordConsent(tx, contextFor(purposeKey), { subjectId: subject.id, purposeKey, state, channel: 'tcf', evidence });
    events.push(event);
    purposes.push({ purposeKey, consented: says, recorded: state, eventId: event.id });
  }
  await announceChanges(
    tx,
    ctx.tenantId,
    events.map((event) => ({ object: 'consent', recordId: event.id, kind: event.state, relatedIds: [subject.id] })),
  );
  return { purposes, unmappedPurposes: map.unmapped, events };
}
