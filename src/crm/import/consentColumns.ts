// Consent columns of a contact import: `consent:<purpose key>` per consent purpose, whose
// cells say what the person said (given/yes, refused/no, withdrawn), dated by the
// consent_date column or the import's consentDate and sourced by the import's
// consentSource. Published as consent ledger events, channel `import`, at that date
// (src/kernel/importConsents.ts). Reasons never repeat a cell value.

/** A cell's problem, as rowValidation.ts reports one (a field name and a reason). */
type FieldError = { field: string; reason: string };

export type ImportedConsentState = 'given' | 'refused' | 'withdrawn';
export type ImportedConsent = { purposeKey: string; state: ImportedConsentState };
export type ConsentColumn = { column: number; header: string; purposeKey: string };

const consentHeader = /^consent\s*:\s*([A-Za-z0-9_.-]{1,100})$/i;

/** The purpose a `consent:<purpose key>` header names, or null for any other header. */
export function consentColumnPurpose(header: string): string | null {
  return consentHeader.exec(header.replace(/^\uFEFF/, '').trim())?.[1] ?? null;
}

/** The report's name for a consent column, as the file spells it. */
export const consentField = (purposeKey: string) => `consent:${purposeKey}`;

// Yes and no as exports write them (HubSpot "Yes", Mailchimp "subscribed" is not consent to a purpose and is refused).
const values = new Map<string, ImportedConsentState>([
  ['given', 'given'],
  ['yes', 'given'],
  ['y', 'given'],
  ['true', 'given'],
  ['refused', 'refused'],
  ['no', 'refused'],
  ['n', 'refused'],
  ['false', 'refused'],
  ['withdrawn', 'withdrawn'],
]);

/** The consents a row's consent cells state (empty cells say nothing), or the cells that are not consent values. */
export function parseConsentCells(cells: ReadonlyArray<{ purposeKey: string; value: string }>): { consents: ImportedConsent[]; errors: FieldError[] } {
  const consents: ImportedConsent[] = [];
  const errors: FieldError[] = [];
  for (const { purposeKey, value } of cells) {
    const cell = value.trim();
    if (cell === '') continue;
    const state = values.get(cell.toLowerCase());
    if (state) consents.push({ purposeKey, state });
    else errors.push({ field: consentField(purposeKey), reason: 'not a consent value (given, refused, withdrawn, yes or no)' });
  }
  return { consents, errors };
}

// A clock a little ahead of the database's is not a future date.
const clockSkewMs = 60_000;

/** When a row's consents were said: its consent_date, or the import's; an issue when there is none or it is in the future. */
export function consentDateOf(rowDate: Date | undefined, importDate: Date | undefined, now: Date): Date | FieldError {
  const date = rowDate ?? importDate;
  if (!date) return { field: 'consent_date', reason: "a consent needs its date: a consent_date column or the import's consentDate" };
  if (date.getTime() > now.getTime() + clockSkewMs) return { field: 'consent_date', reason: 'must not be in the future' };
  return date;
}
