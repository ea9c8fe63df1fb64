import type { Executor } from '../../db/connection.ts';

/**
 * The legal-hold slot of every erasure (Art. 17(3)): refuses to erase a subject under a
 * legal hold. The legal holds of retention (src/privacy/retention/legalHolds.ts,
 * assertNoLegalHold: 409 reason legal_hold) are not on main yet; until they land this
 * checks nothing, and whoever lands second calls assertNoLegalHold here
 * (notes: contracts.md, WIRING erasure+retention).
 */
export async function refuseErasureUnderLegalHold(_executor: Executor, _workspaceId: string, _subjectId: string): Promise<void> {}
