import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/connection.ts';
import { purposes } from '../db/schema/index.ts';
import { emailLinkActor, recordConsent, recordObjection, systemContext, wasConsentLive } from '../kernel/index.ts';
import { announceChanges } from '../platform/changes.ts';
import { DomainError } from '../shared/domainError.ts';
import type { UnsubscribeLink } from './unsubscribeLinks.ts';

/*
 * What one click on an unsubscribe link does, for the purpose the link names: on the
 * consent basis it withdraws the consent (a `withdrawn` ledger event, channel email_link,
 * raising consent.withdrawn); on any other basis (the soft opt-in of legitimate interests)
 * it records the person's objection (Art. 21(2): absolute for direct marketing). Either
 * takes effect at the next decision of the kernel: the next list, read, export or send for
 * the purpose leaves the person out. Idempotent: a consent no longer live gets no second
 * event, an objection on record is kept, and a person since deleted or erased needs nothing.
 * The actor is system:email-link — the person, acting through the link.
 */

/** How the person clicked: the mail client's RFC 8058 POST, or the button of the link's page. */
export type UnsubscribeVia = 'one_click' | 'page';
export type UnsubscribeOutcome = { recorded: 'withdrawn' | 'objection' | 'nothing' };

export async function unsubscribe(database: Database, link: UnsubscribeLink, via: UnsubscribeVia): Promise<UnsubscribeOutcome> {
  const ctx = systemContext(link.tenantId, emailLinkActor, link.purposeKey);
  return database.db.transaction(async (tx) => {
    const [purpose] = await tx
      .select({ legalBasis: purposes.legalBasis })
      .from(purposes)
      .where(and(eq(purposes.tenantId, link.tenantId), eq(purposes.key, link.purposeKey)));
    if (!purpose) return { recorded: 'nothing' };
    try {
      if (purpose.legalBasis !== 'consent') {
        const objection = await recordObjection(tx, ctx, link.contactId, { purposeKey: link.purposeKey });
        return { recorded: objection.recorded ? 'objection' : 'nothing' };
      }
      if (!(await wasConsentLive(tx, link.tenantId, link.contactId, link.purposeKey, new Date()))) return { recorded: 'nothing' };
      const event = await recordConsent(tx, ctx, {
        subjectId: link.contactId,
        subjectKind: 'contact',
        purposeKey: link.purposeKey,
        state: 'withdrawn',
        channel: 'email_link',
        evidence: { unsubscribe: via },
      });
      await announceChanges(tx, link.tenantId, [{ object: 'consent', recordId: event.id, kind: event.state, relatedIds: [event.subjectId] }]);
      return { recorded: 'withdrawn' };
    } catch (error) {
      // Deleted or erased since the e-mail was sent: nothing is sent to them any more.
      if (error instanceof DomainError && error.code === 'not_found') return { recorded: 'nothing' };
      throw error;
    }
  });
}
