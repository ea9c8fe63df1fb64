import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { contacts } from '../../db/schema/index.ts';

/**
 * Which of `ids` are contacts of this workspace, in one query. Reads only tenant_id and id
 * (non-personal), so it needs no kernel call; another workspace's contact is simply absent.
 * In a transaction the rows stay KEY SHARE locked until it ends: a merge or deletion of one
 * of them waits for the events written for it, so none is left pointing at a deleted contact.
 */
export async function existingContactIds(executor: Executor, tenantId: string, ids: readonly string[]): Promise<Set<string>> {
  const distinct = [...new Set(ids)];
  if (distinct.length === 0) return new Set();
  const rows = await executor
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(eq(contacts.tenantId, tenantId), sql`${contacts.id} = any(${sql.param(distinct)}::uuid[])`))
    // In id order, as merges lock them, so the two cannot deadlock.
    .orderBy(contacts.id)
    .for('key share');
  return new Set(rows.map((row) => row.id));
}
