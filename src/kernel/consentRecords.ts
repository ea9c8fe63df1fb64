import { sql } from 'drizzle-orm';
import type { Executor, Transaction } from '../db/connection.ts';
import { newId } from '../db/ids.ts';
import { rowsOf } from '../db/rows.ts';
import {
  type ConsentChannel,
  type ConsentEventState,
  consentChannels,
  consentEventStates,
  dpvConsentStatus,
  liveConsentStates,
} from '../shared/consentVocabulary.ts';
import { DomainError, invalid, notFound } from '../shared/domainError.ts';
import { type PurposeContext, actorKey } from './accessContext.ts';
import { appendAudit } from './audit.ts';
import { inTransaction } from './audit/head.ts';
import { appendConsentEvents, type LedgerEvent, ledgerConsentStore } from './policy/consentLedger.ts';
import { appendStampedConsentEvent } from './policy/stampedConsentAppend.ts';
import { findPurposeGrant, requireGrantedPurpose } from './policy/purposeGrant.ts';
import { kernelKeyStore } from './runtime.ts';
import { prepareSubjectChange, subjectKindOf, type SubjectKind } from './subjectStanding.ts';
import { ensureSubjectKeys, openValue, sealValue, unwrapSubjectKeys, VaultDecryptError, type SubjectKeys } from './vault/index.ts';

/*
 * The kernel's face of the consent ledger (the policy's side is policy/consentLedger.ts).
 * recordConsent appends one event for a contact or visitor of the workspace — what the
 * person said about one purpose, through which channel, with which notice — sealing its
 * evidence under the subject's key, so erasing the subject (shredding its key) leaves the
 * facts the policy needs and makes the evidence unreadable. consentHistory reads a
 * subject's events back with the evidence opened; wasConsentLive answers "was consent to
 * this purpose live at that instant?". Every write and every history read leaves one audit
 * entry naming the subject by pseudonym, never an evidence value.
 */

/**
 * What a channel knows of how the person agreed: keyed hashes of address and agent, the
 * form's id, the link's id, a staff note… Flat values only; sealed, never logged or audited.
 */
export type ConsentEvidence = Readonly<Record<string, string | number | boolean | null>>;

export type NewConsentEvent = {
  subjectId: string;
  purposeKey: string;
  state: ConsentEventState;
  channel: ConsentChannel;
  evidence?: ConsentEvidence;
  /** given/renewed only; defaults to recordedAt plus the purpose's consent validity (none: no expiry). */
  expiresAt?: Date;
  /**
   * The notice version shown to the person, when the channel knows it (a published or retired
   * version of the purpose's notice); by default the version in force at recordedAt. The
   * event records that version's hash from the notice itself.
   */
  noticeVersion?: number;
  /** When the person said it (an import's date); defaults to now, never in the future. */
  recordedAt?: Date;
  /** Only a subject of this kind will do (a route under /contacts); 404 naming it otherwise. */
  subjectKind?: SubjectKind;
};

export type ConsentEvent = {
  id: string;
  subjectId: string;
  purposeKey: string;
  state: ConsentEventState;
  /** The W3C DPV consent-status class of the state. */
  dpvStatus: string;
  recordedAt: Date;
  expiresAt: Date | null;
  noticeVersion: number | null;
  noticeHash: string | null;
  channel: ConsentChannel;
  /** actorKey() of who recorded it: user:…, api_key:…, system:…. */
  actor: string;
  /** The evidence opened; null when none was recorded or (evidenceWithheld) it cannot be opened. */
  evidence: ConsentEvidence | null;
  /** Set when evidence was recorded but the subject's key is gone (erased). */
  evidenceWithheld?: 'erased';
};

// Bound into the seal's AAD with the event id, so evidence copied to another event fails to open.
const evidenceField = (eventId: string) => `consent_evidence:${eventId}`;
const dayMs = 86_400_000;
// A clock a little ahead of the database's is not a future time.
const clockSkewMs = 60_000;

/** Seals an event's evidence under the subject's key, bound to the event id. */
export function sealEvidence(keys: SubjectKeys, eventId: string, evidence: ConsentEvidence): string {
  return sealValue(keys, evidenceField(eventId), { ...evidence });
}

function openEvidence(keys: SubjectKeys | undefined, eventId: string, sealed: string | null): Pick<ConsentEvent, 'evidence' | 'evidenceWithheld'> {
  if (sealed === null) return { evidence: null };
  if (!keys) return { evidence: null, evidenceWithheld: 'erased' };
  try {
    return { evidence: openValue(keys, evidenceField(eventId), sealed) as ConsentEvidence };
  } catch (error) {
    // Moved to another event or altered: reported, never passed on (the id names no person).
    if (!(error instanceof VaultDecryptError || error instanceof SyntaxError)) throw error;
    throw new DomainError('integrity_error', `The evidence of consent event ${eventId} failed its integrity check and was not read.`, [
      { field: 'evidence', reason: 'sealed value does not open for this event' },
    ]);
  }
}

export type PurposeTerms = { legal_basis: string; consent_validity_days: number | null };

/** Checks one event against its purpose's terms and says when it was recorded and when it expires (422 naming the field). */
export function validateConsentEvent(
  input: Omit<NewConsentEvent, 'subjectId'>,
  purpose: PurposeTerms | undefined,
  now: Date,
): { recordedAt: Date; expiresAt: Date | null } {
  if (!purpose) throw invalid('purposeKey', 'not a purpose of this workspace (GET /api/v1/purposes lists them)');
  if (!consentEventStates.includes(input.state)) throw invalid('state', `one of ${consentEventStates.join(', ')}`);
  if (!consentChannels.includes(input.channel)) throw invalid('channel', `one of ${consentChannels.join(', ')}`);
  // An opt-out of sale or sharing stops the processing whatever its basis; the rest is consent's own vocabulary.
  if (purpose.legal_basis !== 'consent' && input.state !== 'opted_out') throw invalid('purposeKey', 'not a purpose on the consent basis');
  const recordedAt = input.recordedAt ?? now;
  if (Number.isNaN(recordedAt.getTime()) || recordedAt.getTime() > now.getTime() + clockSkewMs) throw invalid('recordedAt', 'must not be in the future');
  if (input.noticeVersion !== undefined && (!Number.isInteger(input.noticeVersion) || input.noticeVersion < 1)) {
    throw invalid('noticeVersion', 'a positive integer');
  }
  const live = (liveConsentStates as readonly string[]).includes(input.state);
  if (!live) {
    if (input.expiresAt !== undefined) throw invalid('expiresAt', 'only a given or renewed consent expires');
    return { recordedAt, expiresAt: null };
  }
  if (input.expiresAt !== undefined) {
    if (Number.isNaN(input.expiresAt.getTime()) || input.expiresAt.getTime() <= recordedAt.getTime()) throw invalid('expiresAt', 'must be after recordedAt');
    return { recordedAt, expiresAt: input.expiresAt };
  }
  const days = purpose.consent_validity_days;
  return { recordedAt, expiresAt: days === null ? null : new Date(recordedAt.getTime() + days * dayMs) };
}

const toEvent = (event: LedgerEvent, opened: Pick<ConsentEvent, 'evidence' | 'evidenceWithheld'>): ConsentEvent => ({
  id: event.id,
  subjectId: event.subjectId,
  purposeKey: event.purposeKey,
  state: event.state,
  dpvStatus: dpvConsentStatus(event.state),
  recordedAt: event.recordedAt,
  expiresAt: event.expiresAt,
  noticeVersion: event.noticeVersion,
  noticeHash: event.noticeHash,
  channel: event.channel,
  actor: event.actor,
  ...opened,
});

/**
 * Appends one event to the subject's consent ledger and moves its current state, in one
 * transaction: the context's purpose and the purpose consented to must be granted to the
 * actor's role (403), the subject must be
 * a contact or visitor of the workspace that is not erased (404), the purpose one of the
 * workspace's on the consent basis (422 purposeKey; an opt-out may name any purpose). The
 * event records the notice in force (or the version named) and its hash; `given` over a
 * consent recorded under an older notice becomes `renewed` (appendStampedConsentEvent). The audit entry is `consent.<state>` with the purpose key and channel, never the evidence.
 */
export function recordConsent(executor: Executor, ctx: PurposeContext, input: NewConsentEvent): Promise<ConsentEvent> {
  return inTransaction(executor, async (tx) => {
    const standing = await prepareSubjectChange(tx, ctx, input.subjectId);
    if (!standing.kind || standing.erasedAt || (input.subjectKind && standing.kind !== input.subjectKind)) {
      throw notFound(input.subjectKind ?? 'contact or visitor');
    }
    // The purpose's terms and the role's grant in one question, asked once per transaction.
    const purpose = await findPurposeGrant(tx, { ...ctx, purpose: input.purposeKey });
    const times = validateConsentEvent(input, purpose, new Date());
    // Saying what a person agreed to for a purpose is acting for it: the role needs its grant too.
    if (!purpose!.granted) {
      throw new DomainError('purpose_not_granted', `This workspace does not grant the ${ctx.actor.role} role the purpose it records consent to.`, [
        { field: 'purposeKey', reason: 'not granted to this role' },
      ]);
    }
    const id = newId();
    const keys = input.evidence ? (await ensureSubjectKeys(tx, kernelKeyStore(), ctx.tenantId, [input.subjectId])).get(input.subjectId)! : undefined;
    // Stamped with its notice, `given` over a consent under an older notice recorded as
    // `renewed`, appended and its state moved: one statement (stampedConsentAppend.ts).
    const event = await appendStampedConsentEvent(tx, ctx.tenantId, {
      id,
      subjectId: input.subjectId,
      purposeKey: input.purposeKey,
      state: input.state,
      ...times,
      noticeVersion: input.noticeVersion ?? null,
      noticeHash: null,
      channel: input.channel,
      evidence: keys && input.evidence ? sealEvidence(keys, id, input.evidence) : null,
      actor: actorKey(ctx.actor),
    });
    const detail: Record<string, string | number> = { purposeKey: input.purposeKey, channel: input.channel };
    if (event.noticeVersion !== null) detail.noticeVersion = event.noticeVersion;
    await appendAudit(tx, ctx, { action: `consent.${event.state}`, object: standing.kind, recordIds: [id], subjectIds: [input.subjectId], detail });
    return toEvent(event, { evidence: input.evidence ? { ...input.evidence } : null });
  });
}

/** A consent_events row as the driver returns it. */
export type EventRow = {
  id: string;
  subject_id: string;
  purpose_key: string;
  state: ConsentEventState;
  recorded_at: string | Date;
  expires_at: string | Date | null;
  notice_version: number | null;
  notice_hash: string | null;
  channel: ConsentChannel;
  evidence: string | null;
  actor: string;
};

export const fromRow = (row: EventRow): LedgerEvent => ({
  id: row.id,
  subjectId: row.subject_id,
  purposeKey: row.purpose_key,
  state: row.state,
  recordedAt: new Date(row.recorded_at),
  expiresAt: row.expires_at === null ? null : new Date(row.expires_at),
  noticeVersion: row.notice_version,
  noticeHash: row.notice_hash,
  channel: row.channel,
  evidence: row.evidence,
  actor: row.actor,
});

async function ledgerOf(tx: Executor, tenantId: string, subjectId: string): Promise<LedgerEvent[]> {
  const rows = rowsOf<EventRow>(
    await tx.execute(sql`
    select id, subject_id, purpose_key, state, recorded_at, expires_at, notice_version, notice_hash, channel, evidence, actor
    from consent_events where tenant_id = ${tenantId}::uuid and subject_id = ${subjectId}::uuid
    order by recorded_at, id`),
  );
  return rows.map(fromRow);
}

/**
 * The subject's consent ledger, oldest first, with the evidence opened (withheld as 'erased'
 * once the subject's key is shredded). The context's purpose must be granted (403); a
 * subject that is neither a contact, a visitor nor named by the ledger is 404 (as is one of
 * another kind than `subjectKind`), so the history of an erased person stays readable
 * without its evidence. One audit entry.
 */
export function consentHistory(executor: Executor, ctx: PurposeContext, subjectId: string, subjectKind?: SubjectKind): Promise<ConsentEvent[]> {
  return inTransaction(executor, async (tx: Transaction) => {
    await requireGrantedPurpose(tx, ctx);
    const events = await ledgerOf(tx, ctx.tenantId, subjectId);
    const kind = await subjectKindOf(tx, ctx.tenantId, subjectId);
    if ((!kind && events.length === 0) || (subjectKind && kind && kind !== subjectKind)) {
      throw notFound(subjectKind ?? 'contact or visitor');
    }
    const sealed = events.some((event) => event.evidence !== null);
    const keys = sealed ? (await unwrapSubjectKeys(tx, kernelKeyStore(), ctx.tenantId, [subjectId])).get(subjectId) : undefined;
    await appendAudit(tx, ctx, {
      action: 'consent.history_read',
      object: kind ?? 'subject',
      subjectIds: [subjectId],
      fields: sealed ? ['evidence'] : [],
      detail: { events: events.length },
    });
    return events.map((event) => toEvent(event, openEvidence(keys, event.id, event.evidence)));
  });
}

/**
 * Ledger rows of one subject, oldest first, with their evidence opened, for a caller inside
 * the kernel that read them and audits the read itself (the subject access read).
 */
export async function openLedgerRows(tx: Executor, tenantId: string, subjectId: string, rows: readonly EventRow[]): Promise<ConsentEvent[]> {
  const events = rows.map(fromRow);
  const sealed = events.some((event) => event.evidence !== null);
  const keys = sealed ? (await unwrapSubjectKeys(tx, kernelKeyStore(), tenantId, [subjectId])).get(subjectId) : undefined;
  return events.map((event) => toEvent(event, openEvidence(keys, event.id, event.evidence)));
}

/** Whether the subject's consent to the purpose was live at `at` (the ledger's rule; no personal data, no audit). */
export function wasConsentLive(executor: Executor, tenantId: string, subjectId: string, purposeKey: string, at: Date): Promise<boolean> {
  return ledgerConsentStore.isLive(executor, tenantId, subjectId, purposeKey, at);
}

/**
 * A merge's hand-over of the duplicate's consent ledger: each of its events is appended to
 * the survivor's with its own time, state, channel and actor, its evidence re-sealed under
 * the survivor's key (evidence that no longer opens is left out), and the survivor's state
 * is folded anew, so the latest word of either record decides. The duplicate's events stay.
 */
export async function carryConsentEvents(tx: Executor, tenantId: string, fromId: string, toId: string): Promise<void> {
  const events = await ledgerOf(tx, tenantId, fromId);
  if (events.length === 0) return;
  const sealed = events.some((event) => event.evidence !== null);
  const fromKeys = sealed ? (await unwrapSubjectKeys(tx, kernelKeyStore(), tenantId, [fromId])).get(fromId) : undefined;
  const toKeys = sealed ? (await ensureSubjectKeys(tx, kernelKeyStore(), tenantId, [toId])).get(toId) : undefined;
  const carried = events.map((event): LedgerEvent => {
    const id = newId();
    let evidence: string | null = null;
    if (event.evidence !== null && fromKeys && toKeys) {
      try {
        evidence = sealEvidence(toKeys, id, openEvidence(fromKeys, event.id, event.evidence).evidence!);
      } catch (error) {
        // Evidence that no longer opens is not carried; the duplicate's own event keeps it.
        if (!(error instanceof DomainError && error.code === 'integrity_error')) throw error;
      }
    }
    return { ...event, id, subjectId: toId, evidence };
  });
  await appendConsentEvents(tx, tenantId, carried);
}
