import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { contacts } from '../../db/schema/index.ts';

/**
 * Which of `ids` are contacts of this workspace, in one query. Reads only tenant_id and id
 * (non-personal), so it needs no kernel call; another workspace's contact is simply absent.
 */
export async function existingContactIds(executor: Executor, tenantId: string, ids: readonly string[]): Promise<Set<string>> {
  const distinct = [...new Set(ids)];
  if (distinct.length === 0) return new Set();
  const rows = await executor
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(eq(contacts.tenantId, tenantId), sql`${contacts.id} = any(${sql.param(distinct)}::uuid[])`));
  return new Set(rows.map((row) => row.id));
}
