import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { contacts } from '../../db/schema/index.ts';

/**
 * Moves each contact's last_activity_at (a non-personal column) forward to `occurredAt`
 * when that is later; GREATEST ignores NULL, so a contact's first activity sets it. It never
 * moves back: a backdated note does not make a contact look less recently active.
 */
export async function advanceLastActivity(tx: Executor, tenantId: string, contactIds: string[], occurredAt: Date): Promise<void> {
  if (contactIds.length === 0) return;
  await tx
    .update(contacts)
    .set({ lastActivityAt: sql`greatest(${contacts.lastActivityAt}, ${occurredAt.toISOString()}::timestamptz)` })
    .where(and(eq(contacts.tenantId, tenantId), inArray(contacts.id, contactIds)));
}
