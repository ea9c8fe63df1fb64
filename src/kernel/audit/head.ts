import { sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Executor, Transaction } from '../../db/connection.ts';
import { genesisHash } from './canonical.ts';
import { selectRows } from '../../db/rows.ts';

export type ChainHead = { sequence: number; hash: string };

/**
 * Locks the workspace's chain head (SELECT … FOR UPDATE) for the rest of the transaction and
 * returns it; creates it at sequence 0 on the workspace's first entry. Appends to one
 * workspace therefore serialise here, which is what keeps sequences gapless.
 */
export async function lockChainHead(tx: Transaction, tenantId: string): Promise<ChainHead> {
  const select = () =>
    selectRows<{ sequence: number | string; hash: string }>(tx, sql`select sequence, hash from audit_heads where tenant_id = ${tenantId} for update`);
  let [head] = await select();
  if (!head) {
    await tx.execute(sql`insert into audit_heads (tenant_id, sequence, hash) values (${tenantId}, 0, ${genesisHash}) on conflict (tenant_id) do nothing`);
    [head] = await select();
  }
  return { sequence: Number(head.sequence), hash: head.hash };
}

/** Runs work in the caller's transaction, or in a new one when given the database itself. */
export function inTransaction<T>(executor: Executor, work: (tx: Transaction) => Promise<T>): Promise<T> {
  if (executor instanceof PgTransaction) return work(executor as Transaction);
  return executor.transaction(work);
}
