import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { rowsOf } from '../../db/rows.ts';

/*
 * The policy asks one question of consent: is it live now for this subject and purpose?
 * The consent issue replaces the simple `consents` table with a ledger behind this same
 * interface; the SQL form keeps list reads set-wise whichever store answers.
 */
export interface ConsentStore {
  /** Whether the subject's consent to the purpose is live at `now` (given, not withdrawn, not expired). */
  isLive(tx: Executor, tenantId: string, subjectId: string, purposeKey: string, now: Date): Promise<boolean>;
  /** SQL that is true when the subject whose id is `subjectId` has a live consent to the purpose at `now`. */
  liveCondition(tenantId: string, purposeKey: string, now: Date, subjectId: SQL): SQL;
}

const at = (now: Date) => sql`${now.toISOString()}::timestamptz`;

/** The ConsentStore over the `consents` table. */
export const tableConsentStore: ConsentStore = {
  liveCondition(tenantId, purposeKey, now, subjectId) {
    return sql`exists (
      select 1 from consents k
      where k.tenant_id = ${tenantId}::uuid and k.subject_id = ${subjectId} and k.purpose_key = ${purposeKey}
        and k.given_at <= ${at(now)}
        and (k.withdrawn_at is null or k.withdrawn_at > ${at(now)})
        and (k.expires_at is null or k.expires_at > ${at(now)}))`;
  },
  async isLive(tx, tenantId, subjectId, purposeKey, now) {
    const result = await tx.execute(sql`select ${this.liveCondition(tenantId, purposeKey, now, sql`${subjectId}::uuid`)} as live`);
    const [row] = rowsOf<{ live: boolean }>(result);
    return row?.live === true;
  },
};
