import type { Transaction } from '../db/connection.ts';
import { recordConsent, systemContext, wasConsentLive, type ConsentEvidence } from '../kernel/index.ts';
import { announceChanges } from '../platform/changes.ts';
import { DomainError, type DomainErrorCode, type FieldIssue } from '../shared/domainError.ts';
import { requestDoubleOptIn, type DoubleOptInSettings, type PendingDoubleOptIn } from './doubleOptIn.ts';
import type { FormKey } from './formKeys.ts';

/*
 * The consent choices of a /collect submission. E-mail marketing consent given on a public
 * form is never live at once: anyone can type anyone's address, so it goes to double opt-in
 * (doubleOptIn.ts), a pending request plus a link mailed to the address once the
 * submission's transaction has committed; only the person's confirmation through that link
 * records `given`. Whatever the asking finds out about the contact (a consent already live,
 * today's mail limit reached, a contact Candor may not write to) stays here: the answer says
 * 'pending' as it does for a new address, so the form tells nobody who is a contact.
 */

/** The notice a choice was made under: the version the person read (the kernel stamps its hash). */
export type ChoiceNotice = { version: number };
export type ConsentChoice = { purposeKey: string; given: boolean; notice?: ChoiceNotice | null };
export type ConsentPurpose = { key: string; dataUse: string };
export type ConsentOutcome = { purposeKey: string; state: 'given' | 'refused' | 'withdrawn' | 'pending' };
/** The channels a public collection request records choices through: a form, or the consent widget. */
export type CollectionChannel = 'form' | 'widget';
export type RecordedChoices = { states: ConsentOutcome[]; confirmations: PendingDoubleOptIn[] };

/** The actor of everything a form key's submissions record. */
export const formActor = (key: Pick<FormKey, 'id'>) => `form-key:${key.id}`;

/** E-mail marketing: the consent purposes whose data use is marketing by e-mail (fideslang marketing.communications.email). */
export const isEmailMarketing = (dataUse: string) => dataUse === 'marketing.communications.email' || dataUse.startsWith('marketing.communications.email.');

/**
 * E-mail marketing given without an address to confirm it at (an anonymous visitor): it could
 * only be recorded as given on the submitter's word, and would follow the visitor into the
 * contact they later become. Refused, naming each such choice.
 */
export function unconfirmableMarketing(choices: readonly { purposeKey: string; given: boolean }[], byKey: ReadonlyMap<string, ConsentPurpose>): FieldIssue[] {
  return choices.flatMap((choice, position) =>
    choice.given && isEmailMarketing(byKey.get(choice.purposeKey)?.dataUse ?? '')
      ? [{ field: `consents.${position}.given`, reason: 'e-mail marketing is confirmed by a link sent to the address: send the e-mail field with it' }]
      : [],
  );
}

// Refusals of requestDoubleOptIn that describe the known contact, not the submission.
const untold: ReadonlySet<DomainErrorCode> = new Set(['rate_limited', 'not_found']);

/**
 * Asks the contact to confirm by e-mail; the confirmation to mail after commit, or null when
 * none is to be sent. Runs in a savepoint, so a refusal leaves neither the request nor its
 * mail-limit hit behind and the submission's transaction goes on.
 */
async function askToConfirm(
  tx: Transaction,
  key: FormKey & { tenantId: string },
  request: { contactId: string; purposeKey: string; evidence: ConsentEvidence },
  settings: DoubleOptInSettings,
): Promise<PendingDoubleOptIn | null> {
  const ctx = systemContext(key.tenantId, formActor(key), request.purposeKey);
  try {
    const outcome = await tx.transaction((savepoint) => requestDoubleOptIn(savepoint, ctx, { ...request, channel: 'form' }, settings));
    return outcome.status === 'pending' ? outcome : null;
  } catch (error) {
    if (error instanceof DomainError && untold.has(error.code)) return null;
    throw error;
  }
}

/**
 * Records the choices for the subject, in the caller's transaction: e-mail marketing given
 * for a contact goes to double opt-in; other choices go to the ledger through the request's
 * channel with the notice they were made under, but only for a subject this submission
 * created or an anonymous visitor (see below). A "no" to a consent that is live now is its
 * withdrawal; otherwise a refusal.
 */
export async function recordConsentChoices(
  tx: Transaction,
  key: FormKey & { tenantId: string },
  choices: readonly ConsentChoice[],
  byKey: ReadonlyMap<string, ConsentPurpose>,
  subject: { id: string; isContact: boolean; known: boolean },
  evidence: ConsentEvidence,
  settings: DoubleOptInSettings,
  channel: CollectionChannel = 'form',
): Promise<RecordedChoices> {
  const recorded: RecordedChoices = { states: [], confirmations: [] };
  for (const choice of choices) {
    const purpose = byKey.get(choice.purposeKey)!;
    if (choice.given && subject.isContact && isEmailMarketing(purpose.dataUse)) {
      const confirmation = await askToConfirm(tx, key, { contactId: subject.id, purposeKey: purpose.key, evidence }, settings);
      if (confirmation) recorded.confirmations.push(confirmation);
      recorded.states.push({ purposeKey: purpose.key, state: 'pending' });
      continue;
    }
    const withdrawn = !choice.given && !subject.known && (await wasConsentLive(tx, key.tenantId, subject.id, purpose.key, new Date()));
    const state = choice.given ? 'given' : withdrawn ? 'withdrawn' : 'refused';
    // Anyone can type a known address into a public form: what it says of an existing
    // contact's consent is not that person's word, so it is not recorded (a refusal there
    // would let a stranger cancel someone's consent). The answer still echoes the choice,
    // as it would for a new address, so the form tells nobody who is a contact.
    recorded.states.push({ purposeKey: purpose.key, state });
    if (subject.known) continue;
    const ctx = systemContext(key.tenantId, formActor(key), purpose.key);
    const notice = choice.notice ? { noticeVersion: choice.notice.version } : {};
    const event = await recordConsent(tx, ctx, { subjectId: subject.id, purposeKey: purpose.key, state, channel, evidence, ...notice });
    await announceChanges(tx, key.tenantId, [{ object: 'consent', recordId: event.id, kind: event.state, relatedIds: [subject.id] }]);
  }
  return recorded;
}
