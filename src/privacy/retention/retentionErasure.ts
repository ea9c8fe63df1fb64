import type { Transaction } from '../../db/connection.ts';
import type { PurposeContext } from '../../kernel/index.ts';
import { eraseSubject } from '../erasure/subjectErasure.ts';
import type { DueSubject } from './dueSubjects.ts';

/**
 * The retention sweep's one call into erasure: each subject goes through `eraseSubject`, the
 * path of every erasure (a person's request, the API's DELETE), with reason `retention`: the
 * legal-hold check, activities, traces, the erasures row and suppression, the record, its
 * events, audit index rows and key. In the caller's transaction. Returns the ids erased.
 */
export async function eraseForRetention(tx: Transaction, ctx: PurposeContext, subjects: readonly DueSubject[]): Promise<string[]> {
  const erased: string[] = [];
  for (const subject of subjects) {
    await eraseSubject(tx, ctx.tenantId, subject.subjectId, { reason: 'retention', actor: ctx });
    erased.push(subject.subjectId);
  }
  return erased;
}
