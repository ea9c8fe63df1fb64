import type { Executor } from '../../db/connection.ts';
import { assertNoLegalHold } from '../retention/legalHolds.ts';

/**
 * The legal-hold slot of every erasure (Art. 17(3)): refuses (409, reason legal_hold) to
 * erase a subject under an active legal hold (src/privacy/retention/legalHolds.ts). The hold
 * itself outlives the subject's erasure (subjectErasureSurvivors.ts).
 */
export async function refuseErasureUnderLegalHold(executor: Executor, workspaceId: string, subjectId: string): Promise<void> {
  await assertNoLegalHold(executor, workspaceId, subjectId);
}
