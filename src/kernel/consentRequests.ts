import { sql } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import { rowsOf } from '../db/rows.ts';
import { type ConsentChannel, consentChannels } from '../shared/consentVocabulary.ts';
import { DomainError, invalid, notFound } from '../shared/domainError.ts';
import { type PurposeContext, actorKey, systemContext } from './accessContext.ts';
import { appendAudit } from './audit.ts';
import { inTransaction } from './audit/head.ts';
import { type ConsentEvent, type ConsentEvidence, recordConsent } from './consentRecords.ts';
import { loadPurposeGrant } from './policy/purposeGrant.ts';
import { kernelKeyStore } from './runtime.ts';
import { prepareSubjectChange } from './subjectStanding.ts';
import { ensureSubjectKeys, openValue, sealValue, unwrapSubjectKeys } from './vault/index.ts';

/*
 * Double opt-in's store (table consent_requests, migration 0019): a consent asked for —
 * on a form, by staff — that the person has not yet confirmed through the link mailed to
 * them. It is deliberately NOT a ledger event: the ledger says what the person said, and
 * until the link is used nobody knows that the person said anything (anyone can type
 * someone else's address into a form). A `refused` event would be false too, and would end
 * a consent the person gave earlier. So nothing is live until confirmConsentRequest appends
 * the `given` event, channel email_link, carrying the request's evidence. The link's secret
 * is never stored (only its SHA-256, checked by the caller's `verify`); the request's
 * evidence is sealed under the subject's key like a ledger event's.
 */

export type NewConsentRequest = {
  /** The request's id, named by the link (src/shared/oneTimeTokens.ts). */
  id: string;
  subjectId: string;
  purposeKey: string;
  /** How the request reached Candor: form, staff, api… */
  channel: ConsentChannel;
  evidence?: ConsentEvidence;
  /** SHA-256 of the link's secret. */
  tokenHash: string;
  /** How long the link works, from now. */
  lifetimeMs: number;
};

export type ConsentRequest = { id: string; subjectId: string; purposeKey: string; channel: ConsentChannel; requestedAt: Date; expiresAt: Date };

/** The actor of the ledger events the person records through an e-mail link (confirmation, unsubscribe). */
export const emailLinkActor = 'email-link';

const evidenceField = (requestId: string) => `consent_request_evidence:${requestId}`;
const at = (date: Date) => sql`${date.toISOString()}::timestamptz`;

/**
 * Stores a pending double opt-in for a contact of the workspace (404 otherwise, or when
 * erased) and a purpose on the consent basis (422 purposeKey) that the context's role is
 * granted (403). One audit entry `consent.requested` by pseudonym; no ledger event.
 */
export function recordConsentRequest(executor: Executor, ctx: PurposeContext, input: NewConsentRequest): Promise<ConsentRequest> {
  return inTransaction(executor, async (tx) => {
    const standing = await prepareSubjectChange(tx, ctx, input.subjectId);
    if (standing.kind !== 'contact' || standing.erasedAt) throw notFound('contact');
    const [purpose] = rowsOf<{ legal_basis: string }>(
      await tx.execute(sql`select legal_basis from purposes where tenant_id = ${ctx.tenantId}::uuid and key = ${input.purposeKey}`),
    );
    if (!purpose) throw invalid('purposeKey', 'not a purpose of this workspace (GET /api/v1/purposes lists them)');
    if (purpose.legal_basis !== 'consent') throw invalid('purposeKey', 'not a purpose on the consent basis');
    if (!consentChannels.includes(input.channel)) throw invalid('channel', `one of ${consentChannels.join(', ')}`);
    if (!(await loadPurposeGrant(tx, { ...ctx, purpose: input.purposeKey })).granted) {
      throw new DomainError('purpose_not_granted', `This workspace does not grant the ${ctx.actor.role} role the purpose it asks consent to.`, [
        { field: 'purposeKey', reason: 'not granted to this role' },
      ]);
    }
    if (!Number.isSafeInteger(input.lifetimeMs) || input.lifetimeMs < 1) throw invalid('lifetimeMs', 'a positive whole number of milliseconds');
    const requestedAt = new Date();
    const expiresAt = new Date(requestedAt.getTime() + input.lifetimeMs);
    const keys = input.evidence ? (await ensureSubjectKeys(tx, kernelKeyStore(), ctx.tenantId, [input.subjectId])).get(input.subjectId)! : undefined;
    const sealed = keys && input.evidence ? sealValue(keys, evidenceField(input.id), { ...input.evidence }) : null;
    await tx.execute(sql`
      insert into consent_requests (tenant_id, id, subject_id, purpose_key, channel, evidence, token_hash, requested_at, expires_at, actor)
      values (${ctx.tenantId}::uuid, ${input.id}::uuid, ${input.subjectId}::uuid, ${input.purposeKey}, ${input.channel}, ${sealed},
        ${input.tokenHash}, ${at(requestedAt)}, ${at(expiresAt)}, ${actorKey(ctx.actor)})`);
    await appendAudit(tx, ctx, {
      action: 'consent.requested',
      object: 'contact',
      recordIds: [input.id],
      subjectIds: [input.subjectId],
      detail: { purposeKey: input.purposeKey, channel: input.channel },
    });
    const { id, subjectId, purposeKey, channel } = input;
    return { id, subjectId, purposeKey, channel, requestedAt, expiresAt };
  });
}

type RequestRow = {
  subject_id: string;
  purpose_key: string;
  channel: ConsentChannel;
  evidence: string | null;
  token_hash: string;
  requested_at: string | Date;
  expires_at: string | Date;
  confirmed_at: string | Date | null;
};

export type ConsentConfirmation = {
  tenantId: string;
  requestId: string;
  /** Whether the link's secret matches the stored hash (constant time; src/shared/secrets.ts). */
  verify: (tokenHash: string) => boolean;
};

const linkProblem = (reason: string) => invalid('token', reason);
const minute = (date: Date) => `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/**
 * The person confirms through the link: appends `given` (channel email_link, actor
 * system:email-link) with the request's evidence and the request's id, and marks the
 * request used, in one transaction that locks it, so a link works exactly once. An altered
 * or unknown link, a used one and an expired one fail with 422 naming `token`, each with its
 * own reason (only the link's holder can learn that it expired or was used).
 */
export function confirmConsentRequest(executor: Executor, confirmation: ConsentConfirmation): Promise<ConsentEvent> {
  return inTransaction(executor, async (tx) => {
    const now = new Date();
    const [row] = rowsOf<RequestRow>(
      await tx.execute(sql`
      select subject_id, purpose_key, channel, evidence, token_hash, requested_at, expires_at, confirmed_at
      from consent_requests where tenant_id = ${confirmation.tenantId}::uuid and id = ${confirmation.requestId}::uuid
      for update`),
    );
    if (!row || !confirmation.verify(row.token_hash)) throw linkProblem('not a confirmation link Candor sent: it may be incomplete or altered');
    if (row.confirmed_at !== null) throw linkProblem(`already used: this consent was confirmed at ${minute(new Date(row.confirmed_at))}`);
    const expiresAt = new Date(row.expires_at);
    if (expiresAt.getTime() <= now.getTime()) throw linkProblem(`expired at ${minute(expiresAt)}: ask for a new confirmation e-mail`);
    let requestEvidence: ConsentEvidence = {};
    if (row.evidence !== null) {
      const keys = (await unwrapSubjectKeys(tx, kernelKeyStore(), confirmation.tenantId, [row.subject_id])).get(row.subject_id);
      // No key: the person was erased since; recordConsent below refuses them anyway.
      if (keys) requestEvidence = openValue(keys, evidenceField(confirmation.requestId), row.evidence) as ConsentEvidence;
    }
    const ctx = systemContext(confirmation.tenantId, emailLinkActor, row.purpose_key);
    const event = await recordConsent(tx, ctx, {
      subjectId: row.subject_id,
      subjectKind: 'contact',
      purposeKey: row.purpose_key,
      state: 'given',
      channel: 'email_link',
      evidence: {
        ...requestEvidence,
        doubleOptInRequestId: confirmation.requestId,
        requestedVia: row.channel,
        requestedAt: new Date(row.requested_at).toISOString(),
      },
      recordedAt: now,
    });
    await tx.execute(sql`
      update consent_requests set confirmed_at = ${at(now)}, consent_event_id = ${event.id}::uuid
      where tenant_id = ${confirmation.tenantId}::uuid and id = ${confirmation.requestId}::uuid`);
    return event;
  });
}
