import type { SQL } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';

/*
 * The policy asks one question of consent: was it live at this moment for this subject and
 * purpose? The SQL form keeps list reads set-wise whichever store answers. The store Candor
 * uses is the consent ledger (consentLedger.ts: ledgerConsentStore).
 */
export interface ConsentStore {
  /** Whether the subject's consent to the purpose is live at `now` (given or renewed, not since withdrawn, refused or expired). */
  isLive(tx: Executor, tenantId: string, subjectId: string, purposeKey: string, now: Date): Promise<boolean>;
  /** SQL that is true when the subject whose id is `subjectId` has a live consent to the purpose at `now`. */
  liveCondition(tenantId: string, purposeKey: string, now: Date, subjectId: SQL): SQL;
}
