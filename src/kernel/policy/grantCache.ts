import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Executor } from '../../db/connection.ts';

/*
 * A transaction's purpose grants, by tenant, role and purpose: one request asks the same one
 * several times (a public form checks a consent purpose for the choice, the ledger and the
 * field it unlocks). Kept only for the transaction's life (a WeakMap on it), never for a bare
 * connection, so never stale across requests; the writers of grants and purposes forget them.
 */

export type GrantRow = { key: string; legal_basis: string; data_use: string; consent_validity_days: number | null; granted: boolean };

const grantsOfTransactions = new WeakMap<object, Map<string, GrantRow>>();

const cacheKey = (tenantId: string, role: string, purposeKey: string) => JSON.stringify([tenantId, role, purposeKey]);

export function rememberedGrant(tx: Executor, tenantId: string, role: string, purposeKey: string): GrantRow | undefined {
  return grantsOfTransactions.get(tx)?.get(cacheKey(tenantId, role, purposeKey));
}

export function rememberGrant(tx: Executor, tenantId: string, role: string, row: GrantRow): void {
  if (!(tx instanceof PgTransaction)) return;
  const grants = grantsOfTransactions.get(tx) ?? new Map<string, GrantRow>();
  grantsOfTransactions.set(tx, grants.set(cacheKey(tenantId, role, row.key), row));
}

/** Called by whatever changes a grant or a purpose inside a transaction that may ask again. */
export function forgetPurposeGrants(tx: Executor): void {
  grantsOfTransactions.delete(tx);
}
