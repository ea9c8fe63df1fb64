import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Database, Transaction } from '../db/connection.ts';
import { idempotencyKeys } from '../db/schema/index.ts';
import { DomainError } from '../shared/domainError.ts';

export type IdempotentOutcome = { statusCode: number; recordId: string | null };
export type IdempotentResult = IdempotentOutcome & { replayed: boolean };

export type IdempotencyRequest = {
  tenantId: string;
  key: string;
  actor: string;
  method: string;
  route: string;
  /** The request body; only its hash is stored. */
  body: unknown;
};

const keyPattern = /^[\x21-\x7e]{1,200}$/;

export function requestHash(request: Pick<IdempotencyRequest, 'method' | 'route' | 'body'>): string {
  return createHash('sha256').update(`${request.method} ${request.route}\n${JSON.stringify(request.body ?? null)}`).digest('hex');
}

/**
 * Runs `work` once per idempotency key. The key row is inserted in the same transaction as
 * the work, so a crash leaves neither; a concurrent retry blocks on the key's primary key
 * until the first commits, then finds the stored outcome and replays it. Only the status
 * and record id are stored: a replay re-reads the record, so no personal value is copied.
 */
export async function runIdempotent(
  database: Database,
  request: IdempotencyRequest | null,
  work: (tx: Transaction) => Promise<IdempotentOutcome>,
): Promise<IdempotentResult> {
  if (!request) {
    const outcome = await database.db.transaction(work);
    return { ...outcome, replayed: false };
  }
  if (!keyPattern.test(request.key)) {
    throw new DomainError('validation_failed', 'Idempotency-Key must be 1–200 visible ASCII characters.', [{ field: 'Idempotency-Key', reason: 'malformed' }]);
  }
  const hash = requestHash(request);
  return database.db.transaction(async (tx) => {
    const inserted = await tx
      .insert(idempotencyKeys)
      .values({ tenantId: request.tenantId, key: request.key, actor: request.actor, method: request.method, route: request.route, requestHash: hash })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (inserted.length === 0) {
      const [existing] = await tx
        .select()
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.tenantId, request.tenantId), eq(idempotencyKeys.key, request.key)));
      if (!existing) {
        throw new DomainError('idempotency_in_progress', 'A request with this Idempotency-Key is still being processed; retry shortly.');
      }
      if (existing.requestHash !== hash || existing.actor !== request.actor) {
        throw new DomainError('idempotency_conflict', 'This Idempotency-Key was used for a different request.', [{ field: 'Idempotency-Key', reason: 'reused with a different request' }]);
      }
      if (existing.state !== 'done' || existing.statusCode === null) {
        throw new DomainError('idempotency_in_progress', 'A request with this Idempotency-Key is still being processed; retry shortly.');
      }
      return { statusCode: existing.statusCode, recordId: existing.recordId, replayed: true };
    }
    const outcome = await work(tx);
    await tx
      .update(idempotencyKeys)
      .set({ state: 'done', statusCode: outcome.statusCode, recordId: outcome.recordId, completedAt: new Date() })
      .where(and(eq(idempotencyKeys.tenantId, request.tenantId), eq(idempotencyKeys.key, request.key)));
    return { ...outcome, replayed: false };
  });
}
