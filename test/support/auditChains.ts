import { newId } from '../../src/db/ids.ts';
import { systemContext, type AccessContext } from '../../src/kernel/accessContext.ts';
import { appendAuditBatch, listAuditEntries } from '../../src/kernel/audit.ts';
import type { TestDatabase } from './testDatabase.ts';

/** Audit chains of fresh workspaces in a test file's database (a getter, as it opens in beforeAll). */
export function auditChains(database: () => TestDatabase) {
  /** A fresh workspace chain of `length` entries about non-subject records. */
  async function chainOf(length: number): Promise<{ tenantId: string; ctx: AccessContext }> {
    const tenantId = newId();
    const ctx = systemContext(tenantId, 'audit-test', 'sales');
    await appendAuditBatch(
      database().db,
      ctx,
      Array.from({ length }, (_, index) => ({ action: 'deal.updated', object: 'deal', recordIds: [newId()], fields: ['amount', 'stage'], detail: { index } })),
    );
    return { tenantId, ctx };
  }

  const entriesOf = (tenantId: string) => listAuditEntries(database().db, tenantId, { limit: 1000 });

  return { chainOf, entriesOf };
}
