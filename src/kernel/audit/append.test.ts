import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../../test/support/testDatabase.ts';
import { selectRows } from '../../db/rows.ts';
import { newId } from '../../db/ids.ts';
import { systemContext } from '../accessContext.ts';
import { appendAudit, auditedTransaction, recordAudit } from './append.ts';
import { verifyAuditChain } from './verify.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database.close());

const actionsOf = async (tenantId: string) =>
  (await selectRows<{ action: string }>(database.db, sql`select action from audit_entries where tenant_id = ${tenantId} order by sequence`)).map(
    (row) => row.action,
  );

describe('entries recorded in an audited transaction', () => {
  it('wait until the work is done, then go to the chain in the order recorded, on an intact chain', async () => {
    const tenantId = newId();
    const ctx = systemContext(tenantId, 'audit-test', 'sales');
    await auditedTransaction(database.db, async (tx) => {
      await recordAudit(tx, ctx, { action: 'deal.created', object: 'deal', recordIds: [newId()] });
      await recordAudit(tx, ctx, { action: 'deal.read', object: 'deal' });
      // Nothing appended yet, not even inside the transaction: the chain head is not taken.
      expect(await selectRows(tx, sql`select 1 from audit_entries where tenant_id = ${tenantId}`)).toEqual([]);
      expect(await selectRows(tx, sql`select 1 from audit_heads where tenant_id = ${tenantId}`)).toEqual([]);
    });
    expect(await actionsOf(tenantId)).toEqual(['deal.created', 'deal.read']);
    expect(await verifyAuditChain(database.db, tenantId)).toMatchObject({ ok: true, entries: 2 });
  });

  it('go before an entry appended at once in the same transaction, keeping the order they were recorded in', async () => {
    const tenantId = newId();
    const ctx = systemContext(tenantId, 'audit-test', 'sales');
    await auditedTransaction(database.db, async (tx) => {
      await recordAudit(tx, ctx, { action: 'first' });
      expect(await appendAudit(tx, ctx, { action: 'second' })).toBe(2);
      await recordAudit(tx, ctx, { action: 'third' });
    });
    expect(await actionsOf(tenantId)).toEqual(['first', 'second', 'third']);
    expect(await verifyAuditChain(database.db, tenantId)).toMatchObject({ ok: true, entries: 3 });
  });

  it('are not appended when the work fails', async () => {
    const tenantId = newId();
    const ctx = systemContext(tenantId, 'audit-test', 'sales');
    await expect(
      auditedTransaction(database.db, async (tx) => {
        await recordAudit(tx, ctx, { action: 'contact.created' });
        throw new Error('the write failed');
      }),
    ).rejects.toThrow('the write failed');
    expect(await actionsOf(tenantId)).toEqual([]);
  });

  it('are appended at once outside an audited transaction', async () => {
    const tenantId = newId();
    const ctx = systemContext(tenantId, 'audit-test', 'sales');
    await database.db.transaction(async (tx) => {
      await recordAudit(tx, ctx, { action: 'now' });
      expect(await selectRows(tx, sql`select 1 from audit_entries where tenant_id = ${tenantId}`)).toHaveLength(1);
    });
  });
});
