import type { Database } from '../db/connection.ts';
import { systemContext } from './accessContext.ts';
import { appendAudit } from './audit.ts';
import { recordDueExpiries, type ExpiryReport } from './policy/consentLedger.ts';

/*
 * The ledger's upkeep: consents past their expiry already count as expired (the policy reads
 * expires_at itself); this writes the `expired` events that say so, one transaction per
 * run, with one audit entry per workspace naming the subjects by pseudonym.
 */

// The ledger's events name it as system:consent-expiry (policy/consentLedger.ts).
export const consentExpiryActor = 'consent-expiry';

/** Records `expired` for every consent past its expiry that the ledger does not yet say expired. Idempotent. */
export function recordConsentExpiries(database: Database, now: Date = new Date()): Promise<ExpiryReport> {
  return database.db.transaction(async (tx) => {
    const report = await recordDueExpiries(tx, now);
    for (const [tenantId, expired] of report.byTenant) {
      await appendAudit(tx, systemContext(tenantId, consentExpiryActor), {
        action: 'consent.expired',
        object: 'subject',
        subjectIds: [...new Set(expired.map((event) => event.subjectId))],
        detail: { events: expired.length, purposeKeys: [...new Set(expired.map((event) => event.purposeKey))].sort() },
      });
    }
    return report;
  });
}
