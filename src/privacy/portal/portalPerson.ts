import type { Database } from '../../db/connection.ts';
import { matchPortalContact, openPortalEmail } from '../../kernel/index.ts';
import { notAuthenticatedInPortal } from './portalRefusals.ts';
import { portalSelfContext } from './portalContext.ts';
import type { PortalSession } from './portalSessions.ts';

/*
 * Who a portal session is: the address it proved, opened from the sign-in, and the contact
 * that holds it now, found by the address's blind index on every use (the oldest when
 * several share it), never stored. An erased person's contact is gone: their session finds
 * no one (known: false) and reads nothing of them.
 */

export type PortalPerson = { email: string; contactId: string | null };

export async function portalPerson(database: Database, session: PortalSession): Promise<PortalPerson> {
  const ctx = portalSelfContext(session.tenantId);
  return database.db.transaction(async (tx) => {
    const email = await openPortalEmail(tx, ctx, session.signInId);
    if (email === null) throw notAuthenticatedInPortal();
    return { email, contactId: await matchPortalContact(tx, ctx, email) };
  });
}
