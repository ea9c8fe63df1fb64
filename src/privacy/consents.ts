import type { Database, Executor } from '../db/connection.ts';
import { isUuid } from '../db/ids.ts';
import {
  consentHistory,
  consentRenewalsDue,
  recordConsent,
  type ConsentEvent,
  type ConsentEvidence,
  type PurposeContext,
  type RenewalDue,
} from '../kernel/index.ts';
import { announceChanges } from '../platform/changes.ts';
import { runIdempotent, type IdempotencyRequest } from '../platform/idempotency.ts';
import type { ConsentChannel } from '../shared/consentVocabulary.ts';
import { notFound } from '../shared/domainError.ts';
import { listPurposes } from './purposes.ts';
import { recordTcfConsents, type TcfPurposeOutcome } from './tcf/tcfConsents.ts';
import { mapTcfPurposes } from './tcf/tcfPurposes.ts';
import { decodeTcString } from './tcf/tcfSignal.ts';

/*
 * Staff recording what a contact said about a purpose (on the phone, on a paper form, at the
 * desk) and reading a contact's consent history. The kernel appends the ledger event, seals
 * the note and audits it (src/kernel/consentRecords.ts); this flow keeps to a contact and
 * tells webhook subscribers, in the same transaction: `consent.given`, `consent.withdrawn`…,
 * naming the event and the contact, never the evidence.
 */

/** The states staff may record; expiry, renewal and opt-outs come from their own flows. */
export const staffConsentStates = ['given', 'refused', 'withdrawn'] as const;
export type StaffConsentState = (typeof staffConsentStates)[number];
/** The channels a consent recorded by staff may have come through. */
export const staffConsentChannels = ['staff', 'form', 'api', 'import'] as const satisfies readonly ConsentChannel[];

export type StaffConsent = {
  purposeKey: string;
  state: StaffConsentState;
  /** `portal`: the person themselves, signed in to the privacy portal (src/privacy/portal/portalConsents.ts). */
  channel?: (typeof staffConsentChannels)[number] | 'portal';
  /** How the person said it; sealed under their key. */
  note?: string;
  /** Keyed hashes of how it reached us (the client's address and browser), sealed with the note. */
  evidence?: ConsentEvidence;
  /** When the person said it, if not now. */
  recordedAt?: Date;
};

const contactId = (id: string) => {
  if (!isUuid(id)) throw notFound('contact');
  return id.toLowerCase();
};

/**
 * Records the contact's consent event and announces it; once per Idempotency-Key (the ledger
 * is append-only: a retried request must not say it twice). A replay reads the event back.
 */
export async function recordContactConsent(
  ctx: PurposeContext,
  database: Database,
  id: string,
  input: StaffConsent,
  idempotency: IdempotencyRequest | null,
): Promise<ConsentEvent> {
  const subjectId = contactId(id);
  let recorded: ConsentEvent | undefined;
  const outcome = await runIdempotent(database, idempotency, async (tx) => {
    recorded = await recordConsent(tx, ctx, {
      subjectId,
      subjectKind: 'contact',
      purposeKey: input.purposeKey,
      state: input.state,
      channel: input.channel ?? 'staff',
      ...(input.note === undefined && input.evidence === undefined
        ? {}
        : { evidence: { ...input.evidence, ...(input.note === undefined ? {} : { note: input.note }) } }),
      ...(input.recordedAt === undefined ? {} : { recordedAt: input.recordedAt }),
    });
    await announceChanges(tx, ctx.tenantId, [{ object: 'consent', recordId: recorded.id, kind: recorded.state, relatedIds: [subjectId] }]);
    return { statusCode: 201, recordId: recorded.id };
  });
  if (recorded) return recorded;
  const replayed = (await consentHistory(database.db, ctx, subjectId, 'contact')).find((event) => event.id === outcome.recordId);
  if (!replayed) throw notFound('consent event');
  return replayed;
}

/**
 * The contact's consent ledger, oldest first, with notes opened (withheld once erased), and
 * the purposes whose consent a material notice asks to renew: the contact is to be asked
 * again at their next visit or e-mail (a double opt-in request asks again for such a purpose).
 */
export async function contactConsentHistory(
  ctx: PurposeContext,
  executor: Executor,
  id: string,
): Promise<{ events: ConsentEvent[]; renewalDue: RenewalDue[] }> {
  const events = await consentHistory(executor, ctx, contactId(id), 'contact');
  return { events, renewalDue: await consentRenewalsDue(executor, ctx.tenantId, contactId(id), new Date()) };
}

export type ContactTcf = { tcString: string; note?: string };
export type ContactTcfOutcome = { events: ConsentEvent[]; purposes: TcfPurposeOutcome[]; unmappedPurposes: number[] };

/**
 * A TC string staff received for a contact (from the contact's CMP record, say): decoded
 * (422 tcString when it does not), mapped to the workspace's consent purposes and recorded
 * as the events it changes (tcf/tcfConsents.ts), once per Idempotency-Key; a replay reads
 * the events back.
 */
export async function recordContactTcf(
  ctx: PurposeContext,
  database: Database,
  id: string,
  input: ContactTcf,
  idempotency: IdempotencyRequest | null,
): Promise<ContactTcfOutcome> {
  const subjectId = contactId(id);
  const signal = decodeTcString(input.tcString, 'tcString');
  let recorded: ContactTcfOutcome | undefined;
  const outcome = await runIdempotent(database, idempotency, async (tx) => {
    const map = mapTcfPurposes(await listPurposes(tx, ctx.tenantId));
    const extra: ConsentEvidence = input.note === undefined ? {} : { note: input.note };
    const ingest = await recordTcfConsents(tx, ctx, () => ctx, { id: subjectId, kind: 'contact' }, signal, map, extra);
    recorded = { events: ingest.events, purposes: ingest.purposes, unmappedPurposes: ingest.unmappedPurposes };
    return { statusCode: 201, recordId: null, result: { purposes: ingest.purposes, unmappedPurposes: ingest.unmappedPurposes } };
  });
  if (recorded) return recorded;
  const stored = outcome.result as Omit<ContactTcfOutcome, 'events'>;
  const ids = new Set(stored.purposes.flatMap((purpose) => (purpose.eventId ? [purpose.eventId] : [])));
  const events = (await consentHistory(database.db, ctx, subjectId, 'contact')).filter((event) => ids.has(event.id));
  return { ...stored, events };
}
