import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { purposes } from '../../db/schema/index.ts';
import { consentDateOf, consentField, type ConsentColumn } from './consentColumns.ts';
import type { ImportIssue } from './importBatches.ts';
import type { CompanyImport, ContactImport } from './rowValidation.ts';

// The checks an import's consent columns pass before anything is staged: the file's consent
// columns name consent purposes of the workspace and come with a source (the whole file is
// refused otherwise, naming the column), and each row's consents have a date that is not in
// the future (the row is reported otherwise).

/** The workspace's purposes on the consent basis: the ones a consent column may name. */
export async function consentPurposesOf(db: Executor, tenantId: string): Promise<Set<string>> {
  const rows = await db
    .select({ key: purposes.key })
    .from(purposes)
    .where(and(eq(purposes.tenantId, tenantId), eq(purposes.legalBasis, 'consent')));
  return new Set(rows.map((row) => row.key));
}

/** Problems with the file's consent columns as a whole (line 1: the header). */
export function consentHeaderIssues(columns: readonly ConsentColumn[], consentPurposes: ReadonlySet<string>, source: string | null | undefined): ImportIssue[] {
  const issues: ImportIssue[] = columns
    .filter((column) => !consentPurposes.has(column.purposeKey))
    .map((column) => ({
      line: 1,
      field: consentField(column.purposeKey),
      reason: 'not a consent purpose of this workspace (GET /api/v1/purposes lists them)',
    }));
  if (columns.length > 0 && !source?.trim()) {
    issues.push({ line: 1, field: 'consentSource', reason: 'a file with consent columns needs the source of its consents (consentSource)' });
  }
  return issues;
}

/** A valid row with its consents dated (its consent_date, or the import's), or the problem with that date: missing or in the future. */
export function datedConsents(
  record: ContactImport | CompanyImport,
  importDate: Date | null | undefined,
  now: Date,
): { record: ContactImport | CompanyImport } | { issue: Omit<ImportIssue, 'line'> } {
  const contact = record as ContactImport;
  if (!contact.consents?.length) return { record };
  const date = consentDateOf(contact.consent_date, importDate ?? undefined, now);
  return date instanceof Date ? { record: { ...contact, consent_date: date } } : { issue: date };
}
