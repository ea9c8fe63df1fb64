import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { dealContacts } from '../../db/schema/index.ts';

/** The contacts linked to each deal, in id order (the link table keeps no order). */
export async function contactIdsByDeal(db: Executor, tenantId: string, dealIds: string[]): Promise<Map<string, string[]>> {
  const byDeal = new Map<string, string[]>(dealIds.map((id) => [id, []]));
  if (dealIds.length === 0) return byDeal;
  const rows = await db
    .select({ dealId: dealContacts.dealId, contactId: dealContacts.contactId })
    .from(dealContacts)
    .where(and(eq(dealContacts.tenantId, tenantId), inArray(dealContacts.dealId, dealIds)))
    .orderBy(asc(dealContacts.dealId), asc(dealContacts.contactId));
  for (const row of rows) byDeal.get(row.dealId)?.push(row.contactId);
  return byDeal;
}

/** Makes the deal's contact links exactly `contactIds` (already checked to be in the workspace). */
export async function replaceDealContacts(tx: Executor, tenantId: string, dealId: string, contactIds: string[]): Promise<void> {
  await tx.delete(dealContacts).where(and(eq(dealContacts.tenantId, tenantId), eq(dealContacts.dealId, dealId)));
  if (contactIds.length > 0) {
    await tx.insert(dealContacts).values(contactIds.map((contactId) => ({ tenantId, dealId, contactId })));
  }
}
