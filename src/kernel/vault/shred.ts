import { sql } from 'drizzle-orm';
import type { Database, Executor } from '../../db/connection.ts';
import { advanceEpoch, completeEpochAdvance, type EpochAdvanceOptions, type EpochAdvanceReport } from './epochAdvance.ts';
import { selectRows } from '../../db/rows.ts';
import type { KeyStore } from './keyStore.ts';
import { defaultSubjectKeyCache, type SubjectKeyCache } from './subjectKeyCache.ts';
import { forgetTransactionKeys } from './subjectKeys.ts';

/*
 * Crypto-shredding in two steps.
 * 1. shredSubject (in the erasure's own transaction): the subject's wrapped keys are
 *    deleted and the erasure is counted on the current epoch. From then on the LIVE
 *    database cannot decrypt the subject.
 * 2. The epoch advance (advanceEpoch): every other subject key is re-wrapped under a new
 *    epoch key and the old epoch key is destroyed. From then on no COPY of the database
 *    taken before the erasure can decrypt the subject either, whatever key store remains.
 *
 * The window between the two is bounded by epochAdvancePolicy: the advance is due
 * 15 minutes after the first erasure it covers, or as soon as 100 erasures are pending,
 * whichever comes first. A job runs advanceDueEpochs every minute, so an erasure holds
 * against old copies within about 16 minutes plus the advance's own run time (seconds for
 * 100,000 subjects). `candor keys advance-epoch` forces it at once.
 */
export type EpochAdvancePolicy = { maxDelayMs: number; maxPendingErasures: number };
export const epochAdvancePolicy: EpochAdvancePolicy = { maxDelayMs: 15 * 60_000, maxPendingErasures: 100 };
/** How often the scheduled job looks for a due advance (its cron schedule, src/jobs/maintenanceJobs.ts, says the same). */
export const epochAdvanceCheckIntervalMs = 60_000;

export type ShredResult = { deletedKeys: number };

/** Deletes the subjects' keys (set-wise) and forgets them in the transaction and the caches; the ids whose key was deleted. */
export async function deleteSubjectKeys(
  tx: Executor,
  tenantId: string,
  subjectIds: readonly string[],
  cache: SubjectKeyCache | null = defaultSubjectKeyCache,
): Promise<string[]> {
  if (subjectIds.length === 0) return [];
  const deleted = await selectRows<{ subject_id: string }>(
    tx,
    sql`delete from subject_keys where tenant_id = ${tenantId} and subject_id = any(${sql.param([...subjectIds])}::uuid[]) returning subject_id`,
  );
  forgetTransactionKeys(tx, tenantId, subjectIds);
  for (const subjectId of subjectIds) {
    cache?.dropSubject(tenantId, subjectId);
    if (cache !== defaultSubjectKeyCache) defaultSubjectKeyCache.dropSubject(tenantId, subjectId);
  }
  return deleted.map((row) => row.subject_id);
}

/** Deletes the subjects' keys (deleteSubjectKeys) and records the pending epoch advance. */
export async function shredSubjects(
  tx: Executor,
  tenantId: string,
  subjectIds: readonly string[],
  cache: SubjectKeyCache | null = defaultSubjectKeyCache,
): Promise<ShredResult> {
  const deleted = await deleteSubjectKeys(tx, tenantId, subjectIds, cache);
  if (deleted.length > 0) {
    const erased = new Set(deleted).size;
    await tx.execute(sql`
      update vault_epochs set pending_erasures = pending_erasures + ${erased},
             first_pending_erasure_at = coalesce(first_pending_erasure_at, now())
      where tenant_id = ${tenantId} and state = 'current'`);
  }
  return { deletedKeys: deleted.length };
}

export function shredSubject(tx: Executor, tenantId: string, subjectId: string, cache?: SubjectKeyCache | null): Promise<ShredResult> {
  return shredSubjects(tx, tenantId, [subjectId], cache);
}

/**
 * Workspaces whose epoch advance is due under the policy, plus any with an advance left
 * unfinished (a retired epoch still present).
 */
export async function workspacesDueForEpochAdvance(
  executor: Executor,
  policy = epochAdvancePolicy,
  now = new Date(),
): Promise<{ tenantId: string; unfinished: boolean }[]> {
  const deadline = new Date(now.getTime() - policy.maxDelayMs);
  const rows = await selectRows<{ tenant_id: string; unfinished: boolean }>(
    executor,
    sql`select tenant_id, bool_or(state = 'retired') as unfinished from vault_epochs
        where state = 'retired'
           or (state = 'current' and pending_erasures > 0
               and (pending_erasures >= ${policy.maxPendingErasures} or first_pending_erasure_at <= ${deadline.toISOString()}::timestamptz))
        group by tenant_id order by tenant_id`,
  );
  return rows.map((row) => ({ tenantId: row.tenant_id, unfinished: row.unfinished }));
}

/** What the scheduled job runs: advances (or finishes advancing) every workspace that is due. */
export async function advanceDueEpochs(
  database: Database,
  keyStore: KeyStore,
  policy = epochAdvancePolicy,
  options: EpochAdvanceOptions = {},
): Promise<EpochAdvanceReport[]> {
  const reports: EpochAdvanceReport[] = [];
  for (const due of await workspacesDueForEpochAdvance(database.db, policy)) {
    // An unfinished advance is completed first; it covers every erasure made before it began.
    if (due.unfinished) {
      const finished = await completeEpochAdvance(database, keyStore, due.tenantId, options);
      reports.push({ ...finished, previousEpoch: null });
    }
    const stillDue = (await workspacesDueForEpochAdvance(database.db, policy)).some((row) => row.tenantId === due.tenantId && !row.unfinished);
    if (stillDue) reports.push(await advanceEpoch(database, keyStore, due.tenantId, options));
  }
  return reports;
}

/** Workspaces with any erasure not yet covered by an epoch advance (what `candor keys advance-epoch` acts on). */
export async function workspacesWithPendingErasures(executor: Executor): Promise<string[]> {
  const rows = await selectRows<{ tenant_id: string }>(
    executor,
    sql`select tenant_id from vault_epochs where state = 'retired' or (state = 'current' and pending_erasures > 0) group by tenant_id order by tenant_id`,
  );
  return rows.map((row) => row.tenant_id);
}
