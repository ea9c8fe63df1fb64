import { sql } from 'drizzle-orm';
import type { Executor, Transaction } from '../db/connection.ts';
import { rowsOf } from '../db/rows.ts';
import type { ConsentChannel, ConsentEventState } from '../shared/consentVocabulary.ts';
import { DomainError } from '../shared/domainError.ts';
import { type PurposeContext, actorKey } from './accessContext.ts';
import { appendAudit } from './audit.ts';
import { type ConsentEvidence, type PurposeTerms, sealEvidence, validateConsentEvent } from './consentRecords.ts';
import { kernelKeyStore } from './runtime.ts';
import { ensureSubjectKeys } from './vault/index.ts';
import { appendConsentEvents, type LedgerEvent } from './policy/consentLedger.ts';
import { stampNotices } from './policy/noticeRenewals.ts';
import { loadPurposeGrant, requireGrantedPurpose } from './policy/purposeGrant.ts';

/*
 * Many consent events in one go: a history that already happened (the demo's, an import's),
 * written set-wise where recordConsent (consentRecords.ts) writes one event per call. Each
 * event passes the same checks as recordConsent's (state, channel, basis, times, the actor's
 * grant of every purpose named); the subjects are checked in one query; the events go in
 * with one INSERT and one refresh of the current state, and the call leaves one audit entry
 * naming the subjects by pseudonym. An event may carry evidence (an import's source), sealed
 * under its subject's key and bound to its id as recordConsent seals it. Unlike recordConsent it does not serialise each subject's changes, so it is for
 * loads nobody else is writing the same subjects' consents during.
 */

export type ConsentHistoryEvent = {
  /** The caller's id for the event (a seed derives it, so a re-run can tell what it wrote). */
  id: string;
  subjectId: string;
  purposeKey: string;
  state: ConsentEventState;
  channel: ConsentChannel;
  recordedAt: Date;
  /** given/renewed only; undefined: the purpose's consent validity decides. */
  expiresAt?: Date;
  /** How the person said it (an import's source); sealed under the subject's key. */
  evidence?: ConsentEvidence;
};

/** Events appended, and how many of them were given already expired (a date older than the purpose's consent validity). */
export type AppendedHistory = { appended: number; expired: number };

/** Subjects among `ids` that are not a contact or visitor of the workspace, or are erased. */
async function unknownSubjects(tx: Transaction, tenantId: string, ids: readonly string[]): Promise<string[]> {
  const rows = rowsOf<{ id: string }>(
    await tx.execute(sql`
    select u.id from unnest(${sql.param([...ids])}::uuid[]) as u(id)
    where not (exists (select 1 from contacts c where c.tenant_id = ${tenantId}::uuid and c.id = u.id)
               or exists (select 1 from visitors v where v.tenant_id = ${tenantId}::uuid and v.id = u.id))
       or exists (select 1 from erasures e where e.tenant_id = ${tenantId}::uuid and e.subject_id = u.id)`),
  );
  return rows.map((row) => row.id);
}

/** Which of these event ids the workspace's ledger holds already (ids only, no audit). */
export async function existingConsentEventIds(executor: Executor, tenantId: string, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = rowsOf<{ id: string }>(
    await executor.execute(sql`select id from consent_events where tenant_id = ${tenantId}::uuid and id = any(${sql.param([...ids])}::uuid[])`),
  );
  return new Set(rows.map((row) => row.id));
}

/**
 * Appends a consent history, every event or none: 403 when the context's purpose or a purpose
 * named is not granted to the actor's role, 404 when a subject is not a live contact or
 * visitor, 422 naming the field of the first invalid event.
 */
export async function appendConsentHistory(tx: Transaction, ctx: PurposeContext, events: readonly ConsentHistoryEvent[]): Promise<AppendedHistory> {
  await requireGrantedPurpose(tx, ctx);
  if (events.length === 0) return { appended: 0, expired: 0 };
  const purposeKeys = [...new Set(events.map((event) => event.purposeKey))].sort();
  const terms = new Map(
    rowsOf<PurposeTerms & { key: string }>(
      await tx.execute(sql`
      select key, legal_basis, consent_validity_days from purposes
      where tenant_id = ${ctx.tenantId}::uuid and key = any(${sql.param(purposeKeys)}::text[])`),
    ).map((row) => [row.key, row]),
  );
  for (const key of purposeKeys) {
    if (terms.has(key) && !(await loadPurposeGrant(tx, { ...ctx, purpose: key })).granted) {
      throw new DomainError('purpose_not_granted', `This workspace does not grant the ${ctx.actor.role} role a purpose it records consent to.`, [
        { field: 'purposeKey', reason: 'not granted to this role' },
      ]);
    }
  }
  const now = new Date();
  const actor = actorKey(ctx.actor);
  const ledger = events.map(
    (event): LedgerEvent => ({
      id: event.id,
      subjectId: event.subjectId,
      purposeKey: event.purposeKey,
      state: event.state,
      ...validateConsentEvent(event, terms.get(event.purposeKey), now),
      noticeVersion: null,
      noticeHash: null,
      channel: event.channel,
      evidence: null,
      actor,
    }),
  );
  const subjectIds = [...new Set(events.map((event) => event.subjectId))];
  if ((await unknownSubjects(tx, ctx.tenantId, subjectIds)).length > 0) {
    throw new DomainError('not_found', 'A subject of the history is not a contact or visitor of this workspace, or is erased.', [
      { field: 'subjectId', reason: 'no live contact or visitor with this id' },
    ]);
  }
  const withEvidence = [...new Set(events.flatMap((event) => (event.evidence ? [event.subjectId] : [])))];
  if (withEvidence.length > 0) {
    const keys = await ensureSubjectKeys(tx, kernelKeyStore(), ctx.tenantId, withEvidence);
    events.forEach((event, index) => {
      if (event.evidence) ledger[index].evidence = sealEvidence(keys.get(event.subjectId)!, event.id, event.evidence);
    });
  }
  // Each event names the notice in force at its time, as recordConsent's do.
  await appendConsentEvents(tx, ctx.tenantId, await stampNotices(tx, ctx.tenantId, ledger));
  const states = [...new Set(events.map((event) => event.state))].sort();
  await appendAudit(tx, ctx, {
    action: 'consent.history_appended',
    object: 'subject',
    subjectIds,
    detail: { events: events.length, purposeKeys, states },
  });
  const expired = ledger.filter((event) => event.expiresAt !== null && event.expiresAt.getTime() <= now.getTime()).length;
  return { appended: events.length, expired };
}
