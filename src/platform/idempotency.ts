import { and, eq, lt } from 'drizzle-orm';
import type { Database, Executor, Transaction } from '../db/connection.ts';
import { idempotencyKeys } from '../db/schema/index.ts';
import { auditedTransaction, requestFingerprint } from '../kernel/index.ts';
import { DomainError } from '../shared/domainError.ts';

export type IdempotentOutcome = {
  statusCode: number;
  recordId: string | null;
  /** What a batch request answers (ids, statuses, problems — never personal values), replayed as stored. */
  result?: unknown;
};
/**
 * The work's own outcome (with anything else it returned, such as the record it made) the
 * first time; on a replay only what was stored: the status, the record id and a batch's result.
 */
export type IdempotentResult<Outcome extends IdempotentOutcome = IdempotentOutcome> =
  | (Outcome & { replayed: false })
  | (IdempotentOutcome & { replayed: true });

export type IdempotencyRequest = {
  tenantId: string;
  key: string;
  actor: string;
  method: string;
  route: string;
  /** The request body; only its keyed fingerprint is stored. */
  body: unknown;
};

/** What an Idempotency-Key may be: 1–200 visible ASCII characters. */
export const idempotencyKeyPattern = /^[\x21-\x7e]{1,200}$/;

/** 409: the first request with this key has not finished; a retry later gets its answer. */
export const idempotencyInProgress = () =>
  new DomainError('idempotency_in_progress', 'A request with this Idempotency-Key is still being processed; retry shortly.');

/** 422: the key was used for another request (a different body, route or caller). */
export const idempotencyConflict = () =>
  new DomainError('idempotency_conflict', 'This Idempotency-Key was used for a different request.', [
    { field: 'Idempotency-Key', reason: 'reused with a different request' },
  ]);

/**
 * How long a key is remembered: a retry within this window replays the first answer; after
 * it the record is pruned (src/jobs/maintenanceJobs.ts) and the key may be used afresh.
 */
export const idempotencyWindowMs = 24 * 60 * 60 * 1000;

/** What is compared on a retry: method, route and body, under the workspace's key (never a plain hash). */
function fingerprintOf(request: IdempotencyRequest): Promise<string> {
  return requestFingerprint(request.tenantId, `${request.method} ${request.route}\n${JSON.stringify(request.body ?? null)}`);
}

/** Deletes the records created before `createdBefore`, in every workspace. */
export async function pruneIdempotencyKeys(db: Executor, createdBefore: Date): Promise<void> {
  await db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, createdBefore));
}

/**
 * Runs `work` once per idempotency key. The key row is inserted in the same transaction as
 * the work, so a crash leaves neither; a concurrent retry blocks on the key's primary key
 * until the first commits, then finds the stored outcome and replays it. Only the status
 * and record id are stored: a replay re-reads the record, so no personal value is copied.
 */
export async function runIdempotent<Outcome extends IdempotentOutcome>(
  database: Database,
  request: IdempotencyRequest | null,
  work: (tx: Transaction) => Promise<Outcome>,
): Promise<IdempotentResult<Outcome>> {
  if (!request) {
    const outcome = await auditedTransaction(database.db, work);
    return { ...outcome, replayed: false as const };
  }
  if (!idempotencyKeyPattern.test(request.key)) {
    throw new DomainError('validation_failed', 'Idempotency-Key must be 1–200 visible ASCII characters.', [{ field: 'Idempotency-Key', reason: 'malformed' }]);
  }
  const fingerprint = await fingerprintOf(request);
  return auditedTransaction(database.db, async (tx) => {
    const inserted = await tx
      .insert(idempotencyKeys)
      .values({
        tenantId: request.tenantId,
        key: request.key,
        actor: request.actor,
        method: request.method,
        route: request.route,
        requestFingerprint: fingerprint,
      })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (inserted.length === 0) {
      const [existing] = await tx
        .select()
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.tenantId, request.tenantId), eq(idempotencyKeys.key, request.key)));
      if (!existing) {
        throw idempotencyInProgress();
      }
      if (existing.requestFingerprint !== fingerprint || existing.actor !== request.actor) {
        throw idempotencyConflict();
      }
      if (existing.state !== 'done' || existing.statusCode === null) {
        throw idempotencyInProgress();
      }
      return { statusCode: existing.statusCode, recordId: existing.recordId, result: existing.result ?? undefined, replayed: true as const };
    }
    const outcome = await work(tx);
    await tx
      .update(idempotencyKeys)
      .set({ state: 'done', statusCode: outcome.statusCode, recordId: outcome.recordId, result: outcome.result ?? null, completedAt: new Date() })
      .where(and(eq(idempotencyKeys.tenantId, request.tenantId), eq(idempotencyKeys.key, request.key)));
    return { ...outcome, replayed: false as const };
  });
}
