import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { selectRows } from '../../db/rows.ts';
import { epochAdvanceCheckIntervalMs, epochAdvancePolicy, type EpochAdvancePolicy } from './shred.ts';

/**
 * Where a workspace stands between its erasures and the epoch advance that makes them hold
 * against old database copies (shred.ts). Counts and times only: which subjects were
 * erased is not kept anywhere to be shown.
 */
export type EpochStatus = {
  /** The epoch new subject keys are wrapped under; null before the workspace's first key. */
  currentEpoch: number | null;
  /** When the current epoch began (the last advance, or the first key). */
  epochStartedAt: Date | null;
  /** Erasures no completed advance covers yet: their keys are gone from the live database, not yet from old copies. */
  pendingErasures: number;
  firstPendingErasureAt: Date | null;
  /** An advance began and has not yet re-wrapped every key (a retired epoch still holds some). */
  advanceInProgress: boolean;
  /** When the next advance is due under the policy; null when nothing waits for one. */
  nextAdvanceDueAt: Date | null;
  /**
   * By when the scheduled job will have started that advance (it checks every minute): from
   * then, plus the advance's own run, no database copy holds an openable key of the
   * erasures pending now. Null when none is pending.
   */
  pendingErasuresHoldBy: Date | null;
  retiredEpochs: number;
  destroyedEpochs: number;
  policy: EpochAdvancePolicy & { checkIntervalMs: number };
};

type EpochRow = {
  epoch: number;
  state: 'current' | 'retired' | 'destroyed';
  pending_erasures: number;
  first_pending_erasure_at: Date | string | null;
  created_at: Date | string;
};

const dateOf = (value: Date | string | null): Date | null => (value === null ? null : new Date(value));

/** The workspace's epoch status, read in one statement; `now` decides whether an overdue advance is due "now". */
export async function epochStatus(db: Executor, tenantId: string, options: { now?: Date; policy?: EpochAdvancePolicy } = {}): Promise<EpochStatus> {
  const now = options.now ?? new Date();
  const policy = options.policy ?? epochAdvancePolicy;
  const rows = await selectRows<EpochRow>(
    db,
    sql`select epoch, state, pending_erasures, first_pending_erasure_at, created_at from vault_epochs where tenant_id = ${tenantId}`,
  );
  const current = rows.find((row) => row.state === 'current');
  // A retired epoch's key still exists until its advance completes: its erasures are pending too.
  const waiting = rows.filter((row) => row.state !== 'destroyed' && row.pending_erasures > 0);
  const retired = rows.filter((row) => row.state === 'retired').length;
  const pending = waiting.reduce((sum, row) => sum + row.pending_erasures, 0);
  const firstPending = waiting.reduce<Date | null>((first, row) => {
    const at = dateOf(row.first_pending_erasure_at);
    return at && (!first || at < first) ? at : first;
  }, null);
  // An unfinished advance or a full count is due at once; otherwise the oldest erasure sets the time.
  const dueAt =
    retired > 0 || pending >= policy.maxPendingErasures
      ? now
      : pending > 0 && firstPending
        ? new Date(Math.max(now.getTime(), firstPending.getTime() + policy.maxDelayMs))
        : null;
  return {
    currentEpoch: current?.epoch ?? null,
    epochStartedAt: dateOf(current?.created_at ?? null),
    pendingErasures: pending,
    firstPendingErasureAt: firstPending,
    advanceInProgress: retired > 0,
    nextAdvanceDueAt: dueAt,
    pendingErasuresHoldBy: dueAt && pending > 0 ? new Date(dueAt.getTime() + epochAdvanceCheckIntervalMs) : null,
    retiredEpochs: retired,
    destroyedEpochs: rows.filter((row) => row.state === 'destroyed').length,
    policy: { ...policy, checkIntervalMs: epochAdvanceCheckIntervalMs },
  };
}
