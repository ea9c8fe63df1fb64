import { randomUUID } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { retentionProofs } from '../../db/schema/index.ts';

/*
 * Proofs of deletion (issue 13 item 11): one row per batch of a retention sweep, written in
 * the batch's own transaction, so a proof exists exactly when its deletions committed.
 */

export type RetentionProof = Omit<typeof retentionProofs.$inferSelect, 'tenantId'>;
export type NewRetentionProof = Omit<RetentionProof, 'id' | 'createdAt'>;

export async function insertRetentionProof(tx: Executor, tenantId: string, proof: NewRetentionProof): Promise<void> {
  await tx.insert(retentionProofs).values({ tenantId, id: randomUUID(), createdAt: new Date(), ...proof });
}

/** The workspace's proofs, newest first, or those of one run in batch order. */
export async function listRetentionProofs(executor: Executor, tenantId: string, options: { runId?: string; limit?: number } = {}): Promise<RetentionProof[]> {
  return executor
    .select({
      id: retentionProofs.id,
      runId: retentionProofs.runId,
      batch: retentionProofs.batch,
      asOf: retentionProofs.asOf,
      createdAt: retentionProofs.createdAt,
      actor: retentionProofs.actor,
      erasedSubjects: retentionProofs.erasedSubjects,
      anonymisedSubjects: retentionProofs.anonymisedSubjects,
      heldSubjects: retentionProofs.heldSubjects,
      expiredEvents: retentionProofs.expiredEvents,
      subjectPseudonyms: retentionProofs.subjectPseudonyms,
      auditSequence: retentionProofs.auditSequence,
    })
    .from(retentionProofs)
    .where(and(eq(retentionProofs.tenantId, tenantId), options.runId === undefined ? undefined : eq(retentionProofs.runId, options.runId)))
    .orderBy(desc(retentionProofs.createdAt), desc(retentionProofs.batch))
    .limit(options.limit ?? 100);
}
