import type { Executor } from '../db/connection.ts';
import { isUuid } from '../db/ids.ts';
import { consentReceipt, verifyConsentReceipt, type PurposeContext, type ReceiptVerification, type SignedConsentReceipt } from '../kernel/index.ts';
import { hit, rateLimitKey, rateLimited } from '../platform/rateLimit.ts';
import { notFound } from '../shared/domainError.ts';

/*
 * Receipts of a contact's consent events for staff, and the public side: the keys that
 * verify receipts and the verification itself, which anyone holding a receipt may ask for
 * (the person, a regulator, a processor) and which is therefore limited per client.
 */

/** Verifications one client address may ask for per window: enough for a person or an auditor's script, not for probing. */
export const receiptVerificationLimit = { scope: 'consent_receipt.verify', limit: 60, windowMs: 60_000 } as const;

/** The signed receipt of one of the contact's consent events (404 when the event is not that contact's). */
export function contactConsentReceipt(
  ctx: PurposeContext,
  executor: Executor,
  contactId: string,
  eventId: string,
  publicUrl: string,
): Promise<SignedConsentReceipt> {
  if (!isUuid(contactId)) throw notFound('contact');
  return consentReceipt(executor, ctx, contactId.toLowerCase(), eventId, { subjectKind: 'contact', controllerUrl: publicUrl.replace(/\/+$/, '') });
}

/** Counts the client's verification (429 past the limit), then verifies. The client address is hashed in the bucket key. */
export async function verifyReceiptFor(executor: Executor, clientAddress: string, jws: string): Promise<ReceiptVerification> {
  const rule = receiptVerificationLimit;
  const result = await hit(executor, rateLimitKey(rule.scope, clientAddress), rule.limit, rule.windowMs);
  if (!result.allowed) throw rateLimited(result, 'Too many receipt verifications from this address; wait before trying again.');
  return verifyConsentReceipt(executor, jws);
}
