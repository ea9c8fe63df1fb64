import type { Executor } from '../db/connection.ts';
import { newId } from '../db/ids.ts';
import { pendingConsents } from '../db/schema/index.ts';

/*
 * E-mail marketing consent given on a public form is not live: anyone can type anyone's
 * address, so it waits for the person to confirm from their mailbox (double opt-in). Until
 * then it is a pending request outside the ledger, counting for nothing. The double opt-in
 * flow (src/privacy/doubleOptIn.ts, to come) sends the link and, on confirmation, records
 * the ledger event; this is the one place collection hands such a consent over.
 */

export type PendingMarketingConsent = { tenantId: string; subjectId: string; purposeKey: string; formKeyId: string };

/** Stores the pending request in the caller's transaction; returns its id. */
export async function pendingMarketingConsent(tx: Executor, request: PendingMarketingConsent): Promise<string> {
  const id = newId();
  await tx.insert(pendingConsents).values({ ...request, id, requestedAt: new Date() });
  return id;
}

/** E-mail marketing: the consent purposes whose data use is marketing by e-mail (fideslang marketing.communications.email). */
export const isEmailMarketing = (dataUse: string) => dataUse === 'marketing.communications.email' || dataUse.startsWith('marketing.communications.email.');
