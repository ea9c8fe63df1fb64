import { sql } from 'drizzle-orm';
import type { Database } from '../../db/connection.ts';
import { selectRows } from '../../db/rows.ts';
import { consentReceipt, evidenceHash } from '../../kernel/index.ts';
import { DomainError, invalid } from '../../shared/domainError.ts';
import { recordContactConsent } from '../consents.ts';
import { portalConsentContext } from './portalContext.ts';
import type { PortalPerson } from './portalPerson.ts';
import { unknownPerson } from './portalRefusals.ts';

/*
 * A person's own consent choice, made in the privacy portal: a ledger event with channel
 * `portal`, recorded and announced (consent.* webhooks) by the same code as every other
 * channel (src/privacy/consents.ts), with keyed hashes of the client's address and browser
 * as evidence. The session proved the person holds the address, so e-mail marketing given
 * here is live at once (no double opt-in). The kernel's next decision for the purpose
 * follows it. Only purposes based on consent are the person's to give or withdraw here;
 * processing on another basis is stopped by an objection request.
 */

export type PortalChoice = 'given' | 'withdrawn';
export type SenderEvidence = { ip: string; userAgent: string | null };
export type PortalConsentOutcome = { purposeKey: string; state: string; receipt: string };

const notOnConsent = (legalBasis: string) =>
  new DomainError(
    'validation_failed',
    `purposeKey: this purpose is based on ${legalBasis.replaceAll('_', ' ')}, not on your consent. To stop it, make an objection request for it.`,
    [{ field: 'purposeKey', reason: 'not based on consent: make an objection request (kind objection) for this purpose instead' }],
  );

export async function setPortalConsent(
  database: Database,
  tenantId: string,
  person: PortalPerson,
  input: { purposeKey: string; choice: PortalChoice; sender: SenderEvidence; controllerUrl: string },
): Promise<PortalConsentOutcome> {
  const [purpose] = await selectRows<{ key: string; legal_basis: string }>(
    database.db,
    sql`select key, legal_basis from purposes where tenant_id = ${tenantId} and key = ${input.purposeKey}`,
  );
  if (!purpose) throw invalid('purposeKey', 'not a purpose of this workspace');
  if (purpose.legal_basis !== 'consent') throw notOnConsent(purpose.legal_basis);
  if (person.contactId === null) throw unknownPerson('purposeKey');
  const ctx = portalConsentContext(tenantId, purpose.key);
  const evidence = {
    ipHash: await evidenceHash(tenantId, 'ip', input.sender.ip),
    userAgentHash: input.sender.userAgent === null ? null : await evidenceHash(tenantId, 'user_agent', input.sender.userAgent),
  };
  const event = await recordContactConsent(
    ctx,
    database,
    person.contactId,
    { purposeKey: purpose.key, state: input.choice, channel: 'portal', evidence },
    null,
  );
  const receipt = await consentReceipt(database.db, ctx, person.contactId, event.id, { subjectKind: 'contact', controllerUrl: input.controllerUrl });
  return { purposeKey: purpose.key, state: event.state, receipt: receipt.jws };
}
