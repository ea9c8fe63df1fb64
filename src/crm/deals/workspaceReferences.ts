import { and, eq, inArray, ne } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { companies, contacts, deals, users } from '../../db/schema/index.ts';
import { invalid } from '../../shared/domainError.ts';

/*
 * Checks that ids a client links to exist in the acting workspace. Only non-personal
 * columns (tenant_id, id, status) are read. A missing id — including another workspace's —
 * is a 422 naming the field (with its array index), never a foreign-key 500.
 */

export type ReferencedObject = 'contact' | 'company' | 'deal';

async function existingIds(tx: Executor, tenantId: string, object: ReferencedObject, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows =
    object === 'contact'
      ? await tx
          .select({ id: contacts.id })
          .from(contacts)
          .where(and(eq(contacts.tenantId, tenantId), inArray(contacts.id, ids)))
      : object === 'company'
        ? await tx
            .select({ id: companies.id })
            .from(companies)
            .where(and(eq(companies.tenantId, tenantId), inArray(companies.id, ids)))
        : await tx
            .select({ id: deals.id })
            .from(deals)
            .where(and(eq(deals.tenantId, tenantId), inArray(deals.id, ids)));
  return new Set(rows.map((row) => row.id));
}

/** Refuses the first id of `ids` that is not a record of this workspace; field is e.g. "contactIds". */
export async function assertRecordsInWorkspace(tx: Executor, tenantId: string, object: ReferencedObject, field: string, ids: readonly string[]): Promise<void> {
  const found = await existingIds(tx, tenantId, object, [...new Set(ids)]);
  const missing = ids.findIndex((id) => !found.has(id));
  if (missing >= 0) throw invalid(`${field}.${missing}`, `no ${object} with this id in this workspace`);
}

export async function assertRecordInWorkspace(tx: Executor, tenantId: string, object: ReferencedObject, field: string, id: string): Promise<void> {
  const found = await existingIds(tx, tenantId, object, [id]);
  if (!found.has(id)) throw invalid(field, `no ${object} with this id in this workspace`);
}

/** Owners and assignees must be users of the workspace who have not been deactivated. */
export async function assertActiveUser(tx: Executor, tenantId: string, field: string, userId: string): Promise<void> {
  const [user] = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), eq(users.id, userId), ne(users.status, 'deactivated')))
    .limit(1);
  if (!user) throw invalid(field, 'no active user with this id in this workspace');
}

/** Keeps the first occurrence of each id, so links are stored once and reported in order. */
export const distinctIds = (ids: readonly string[]): string[] => [...new Set(ids)];
