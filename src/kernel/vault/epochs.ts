import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { selectRows } from '../../db/rows.ts';
import { DomainError } from '../../shared/domainError.ts';
import type { KeyStore } from './keyStore.ts';

/*
 * Concurrency between writers and an epoch advance, per workspace, by one advisory lock:
 * every transaction that wraps new subject keys holds it SHARED until it commits; an
 * advance takes it EXCLUSIVE to switch the current epoch and again to destroy retired
 * epoch keys. So no key can be wrapped under an epoch after that epoch was retired, and
 * no epoch key is destroyed while an uncommitted row still needs it.
 */
const lockKey = (tenantId: string) => sql`hashtextextended(${`vault-epoch:${tenantId}`}, 0)`;

export async function lockEpochsShared(tx: Executor, tenantId: string): Promise<void> {
  await tx.execute(sql`select ${epochsSharedLockCall(tenantId)}`);
}

/** The call taking the shared epoch lock, for a statement that takes other locks with it. */
export const epochsSharedLockCall = (tenantId: string) => sql`pg_advisory_xact_lock_shared(${lockKey(tenantId)})`;

/** The current epoch number (null before the first), as a scalar subquery: read it in a statement after the one that took the shared lock. */
export const currentEpochColumn = (tenantId: string) => sql`(select epoch from vault_epochs where tenant_id = ${tenantId} and state = 'current')`;

export async function lockEpochsExclusive(tx: Executor, tenantId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${lockKey(tenantId)})`);
}

export async function currentEpochNumber(tx: Executor, tenantId: string): Promise<number | null> {
  const [row] = await selectRows<{ epoch: number | null }>(tx, sql`select ${currentEpochColumn(tenantId)} as epoch`);
  return row?.epoch ?? null;
}

/**
 * The workspace's current epoch number, creating epoch keys on first use, and holds the
 * shared epoch lock for the rest of the caller's transaction. Two first users racing both
 * create a key; the unique "one current epoch" index lets one row in, and the loser's key,
 * never used, is destroyed. (If the caller's transaction rolls back after creating the
 * first epoch, its unused key stays in the key store: harmless, a later epoch takes over.)
 */
export async function ensureCurrentEpoch(tx: Executor, keyStore: KeyStore, tenantId: string): Promise<number> {
  await lockEpochsShared(tx, tenantId);
  const existing = await currentEpochNumber(tx, tenantId);
  if (existing !== null) return existing;
  const created = await keyStore.createEpochKey(tenantId);
  const inserted = await selectRows<{ epoch: number }>(
    tx,
    sql`insert into vault_epochs (tenant_id, epoch, state) values (${tenantId}, ${created.epoch}, 'current')
        on conflict (tenant_id) where state = 'current' do nothing returning epoch`,
  );
  if (inserted.length > 0) return created.epoch;
  await keyStore.destroyEpochKey(tenantId, created.epoch);
  const winner = await currentEpochNumber(tx, tenantId);
  if (winner === null) throw new Error('Vault: no current epoch after a concurrent creation.');
  return winner;
}

/** Raised when rows need an epoch key the key store no longer (or never) had. */
export class EpochKeyUnavailableError extends DomainError {
  constructor(
    readonly epoch: number,
    keyStore: KeyStore,
  ) {
    super(
      'configuration_error',
      `The ${keyStore.description} has no key for vault epoch ${epoch} of this workspace: Candor may be pointed at ` +
        'the wrong key store (check CANDOR_KEYSTORE), or the key store was lost or restored from an older copy.',
      [],
      { epoch },
    );
  }
}

export async function requireEpochKey(keyStore: KeyStore, tenantId: string, epoch: number): Promise<Buffer> {
  const key = await keyStore.getEpochKey(tenantId, epoch);
  if (!key) throw new EpochKeyUnavailableError(epoch, keyStore);
  return key;
}
