import { and, eq } from 'drizzle-orm';
import type { Database, Executor } from '../db/connection.ts';
import { isUuid, newId } from '../db/ids.ts';
import { purposes, workspaces } from '../db/schema/index.ts';
import {
  confirmConsentRequest,
  consentRenewalsDue,
  readPermittedContact,
  recordConsentRequest,
  systemContext,
  wasConsentLive,
  type ConsentEvent,
  type ConsentEvidence,
  type PurposeContext,
} from '../kernel/index.ts';
import { announceChanges } from '../platform/changes.ts';
import { hit, rateLimitKey, rateLimited } from '../platform/rateLimit.ts';
import type { ConsentChannel } from '../shared/consentVocabulary.ts';
import { invalid, notFound } from '../shared/domainError.ts';
import { issueOneTimeToken, parseOneTimeToken } from '../shared/oneTimeTokens.ts';
import { verifySecret } from '../shared/secrets.ts';

/*
 * Double opt-in. A consent to e-mail marketing given where Candor cannot know who gave it (a
 * public form, a colleague's note) is stored as a pending request (the kernel's
 * consent_requests, never a ledger event) and the person gets an e-mail with a one-time link.
 * Only their confirmation through that link appends `given`, channel email_link, so nobody
 * can consent on someone else's behalf. The link holds a 256-bit secret of which only the
 * SHA-256 is stored (src/shared/oneTimeTokens.ts): unguessable, expiring, single-use, and
 * revocable with its row, which a signature alone would not be.
 *
 * Mail is sent by the caller after its transaction commits (deliverDoubleOptIn in
 * src/http/doubleOptInDelivery.ts): a rolled-back request must not mail a link that fails.
 */

export const defaultDoubleOptInLifetimeMs = 48 * 60 * 60 * 1000;

export type DoubleOptInInput = {
  contactId: string;
  purposeKey: string;
  /** How the consent reached Candor: form, staff, api… (the confirmation's own channel is email_link). */
  channel: ConsentChannel;
  /** What the channel knows (form id, keyed hashes of address and agent); sealed, carried into the `given` event. */
  evidence?: ConsentEvidence;
};

export type DoubleOptInSettings = { lifetimeMs?: number };

/** What the confirmation e-mail needs; `token` and `recipient` belong in that e-mail only, never in logs. */
export type PendingDoubleOptIn = {
  status: 'pending';
  requestId: string;
  contactId: string;
  purposeKey: string;
  expiresAt: Date;
  recipient: string;
  token: string;
  workspaceName: string;
  purposeDescription: string;
};

export type DoubleOptInOutcome = PendingDoubleOptIn | { status: 'already_live'; contactId: string; purposeKey: string };

// A form can be filled in with anyone's address: at most this many confirmation mails per
// person and purpose a day, so Candor cannot be used to flood a mailbox.
export const doubleOptInMailLimit = { scope: 'double_opt_in.subject', limit: 5, windowMs: 24 * 60 * 60 * 1000 } as const;

// Sending the confirmation is how Candor obtains the proof of consent GDPR Art. 7(1) requires,
// not marketing: the address is read for legal_compliance by Candor itself, audited as such.
const recipientReader = 'double-opt-in';
const recipientPurpose = 'legal_compliance';

async function recipientOf(tx: Executor, tenantId: string, contactId: string): Promise<string> {
  const contact = await readPermittedContact(tx, systemContext(tenantId, recipientReader, recipientPurpose), contactId);
  if (!contact) throw notFound('contact');
  const email = contact.record.personal.email;
  if (typeof email !== 'string' || email === '') throw invalid('email', 'the contact has no e-mail address Candor may write to');
  return email;
}

async function termsOf(tx: Executor, tenantId: string, purposeKey: string) {
  const [row] = await tx
    .select({ description: purposes.description, workspaceName: workspaces.name })
    .from(purposes)
    .innerJoin(workspaces, eq(workspaces.id, purposes.tenantId))
    .where(and(eq(purposes.tenantId, tenantId), eq(purposes.key, purposeKey)));
  if (!row) throw invalid('purposeKey', 'not a purpose of this workspace (GET /api/v1/purposes lists them)');
  return row;
}

/** A consent that is live and not given under a notice a material change has since replaced: nobody need be asked. */
async function liveWithoutRenewalDue(tx: Executor, tenantId: string, contactId: string, purposeKey: string): Promise<boolean> {
  const now = new Date();
  if (!(await wasConsentLive(tx, tenantId, contactId, purposeKey, now))) return false;
  return !(await consentRenewalsDue(tx, tenantId, contactId, now)).some((renewal) => renewal.purposeKey === purposeKey);
}

/**
 * Asks the contact to confirm consent to the purpose: stores the pending request (grant,
 * contact and consent basis checked by the kernel) and returns what the confirmation e-mail
 * needs; send it after the transaction commits. A consent already live needs no asking
 * (`already_live`, nothing stored), unless a material notice change asks to renew it: the
 * confirmation then records `renewed`. Nothing becomes live here.
 */
export async function requestDoubleOptIn(
  tx: Executor,
  ctx: PurposeContext,
  input: DoubleOptInInput,
  settings: DoubleOptInSettings = {},
): Promise<DoubleOptInOutcome> {
  if (!isUuid(input.contactId)) throw notFound('contact');
  const contactId = input.contactId.toLowerCase();
  const { purposeKey } = input;
  const terms = await termsOf(tx, ctx.tenantId, purposeKey);
  if (await liveWithoutRenewalDue(tx, ctx.tenantId, contactId, purposeKey)) return { status: 'already_live', contactId, purposeKey };
  const id = newId();
  const { token, tokenHash } = issueOneTimeToken(ctx.tenantId, id);
  const lifetimeMs = settings.lifetimeMs ?? defaultDoubleOptInLifetimeMs;
  const { expiresAt } = await recordConsentRequest(tx, ctx, {
    id,
    subjectId: contactId,
    purposeKey,
    channel: input.channel,
    tokenHash,
    lifetimeMs,
    evidence: input.evidence,
  });
  const recipient = await recipientOf(tx, ctx.tenantId, contactId);
  const sent = await hit(
    tx,
    rateLimitKey(doubleOptInMailLimit.scope, ctx.tenantId, contactId, purposeKey),
    doubleOptInMailLimit.limit,
    doubleOptInMailLimit.windowMs,
  );
  if (!sent.allowed) throw rateLimited(sent, 'This person was asked to confirm often enough today; wait before asking again.');
  return {
    status: 'pending',
    requestId: id,
    contactId,
    purposeKey,
    expiresAt,
    recipient,
    token,
    workspaceName: terms.workspaceName,
    purposeDescription: terms.description,
  };
}

/**
 * The person's confirmation through the link: appends `given` (channel email_link) and
 * raises consent.given; 422 naming `token` for an altered, used or expired link.
 */
export async function confirmDoubleOptIn(database: Database, token: string): Promise<ConsentEvent> {
  const parsed = parseOneTimeToken(token.trim());
  if (!parsed) throw invalid('token', 'not a confirmation link Candor sent: it may be incomplete or altered');
  return database.db.transaction(async (tx) => {
    const event = await confirmConsentRequest(tx, {
      tenantId: parsed.tenantId,
      requestId: parsed.id,
      verify: (tokenHash) => verifySecret(parsed.secret, tokenHash),
    });
    await announceChanges(tx, parsed.tenantId, [{ object: 'consent', recordId: event.id, kind: event.state, relatedIds: [event.subjectId] }]);
    return event;
  });
}
