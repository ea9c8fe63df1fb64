import { sql } from 'drizzle-orm';
import type { Transaction } from '../db/connection.ts';
import { newId } from '../db/ids.ts';
import { rowsOf } from '../db/rows.ts';
import type { PurposeContext } from './accessContext.ts';
import { appendConsentHistory, type AppendedHistory, type ConsentHistoryEvent } from './consentBatches.ts';
import type { ConsentEvidence } from './consentRecords.ts';
import type { StagedConsent } from './importStaging.ts';

/*
 * The consents a contact import's rows carry (src/crm/import/consentColumns.ts), published
 * with its contacts: one ledger event per row and purpose, channel `import`, recorded at the
 * row's consent date, through appendConsentHistory (the same checks as any consent: a
 * consent purpose granted to the importer's role, a date not in the future) with the
 * import's evidence sealed under each contact's key. New contacts and those an upsert
 * matched alike. A date older than the purpose's consent validity gives a consent that is
 * already expired: counted, so the import report can say so.
 */

const chunkRows = 5_000;

/** Publishes the consents of a batch's staged rows, in the publishing transaction, before the staging area is emptied. */
export async function publishStagedConsents(tx: Transaction, ctx: PurposeContext, batchId: string, evidence: ConsentEvidence): Promise<AppendedHistory> {
  const total: AppendedHistory = { appended: 0, expired: 0 };
  let afterLine = 0;
  for (;;) {
    const rows = rowsOf<{ line_number: number; record_id: string; consents: StagedConsent[] }>(
      await tx.execute(sql`
      select line_number, record_id, attributes->'consents' as consents from import_staging
      where tenant_id = ${ctx.tenantId}::uuid and batch_id = ${batchId}::uuid and attributes ? 'consents' and line_number > ${afterLine}
      order by line_number limit ${chunkRows}`),
    );
    if (rows.length === 0) return total;
    const events = rows.flatMap((row) =>
      row.consents.map(
        (consent): ConsentHistoryEvent => ({
          id: newId(),
          subjectId: row.record_id,
          purposeKey: consent.purposeKey,
          state: consent.state,
          channel: 'import',
          recordedAt: new Date(consent.recordedAt),
          evidence,
        }),
      ),
    );
    const appended = await appendConsentHistory(tx, ctx, events);
    total.appended += appended.appended;
    total.expired += appended.expired;
    afterLine = rows[rows.length - 1].line_number;
  }
}
