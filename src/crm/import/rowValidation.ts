// Turns the raw cells of one CSV row (already keyed by Candor field) into a typed record.
// Privacy rule: an error reason never repeats the cell value, because import reports are
// stored and shown to people who may not be allowed to see the personal data in the file.

import { normalizeDomain, normalizeEmail, normalizePhone } from '../../shared/normalize.ts';
import { unstorableTextReason } from '../../shared/storableText.ts';
import { isStorableInstantMs } from '../../shared/storableTime.ts';
import type { CompanyField, ContactField, ImportObject } from './columnMapping.ts';
import type { ImportedConsent } from './consentColumns.ts';

export const LIFECYCLE_STAGES = [
  'subscriber',
  'lead',
  'marketing_qualified_lead',
  'sales_qualified_lead',
  'opportunity',
  'customer',
  'evangelist',
  'other',
] as const;

export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

export interface ContactImport {
  first_name?: string;
  last_name?: string;
  email?: string;
  phone?: string;
  job_title?: string;
  company_name?: string;
  company_domain?: string;
  lifecycle_stage?: LifecycleStage;
  owner_email?: string;
  city?: string;
  country?: string;
  external_id?: string;
  created_at?: Date;
  /** What the person said per consent purpose (consent:<purpose> columns) and when (src/crm/import/consentColumns.ts). */
  consents?: ImportedConsent[];
  consent_date?: Date;
}

export interface CompanyImport {
  name?: string;
  domain?: string;
  industry?: string;
  phone?: string;
  city?: string;
  country?: string;
  employee_count?: number;
  annual_revenue?: number;
  external_id?: string;
  created_at?: Date;
}

/** `field` is a Candor field name, or "row" for a rule about the row as a whole. */
export interface FieldError {
  field: string;
  reason: string;
}

export type RowValidationResult<R = ContactImport | CompanyImport> = { ok: true; record: R } | { ok: false; errors: FieldError[] };

type Parsed = { value: string | number | Date } | { reason: string };
type CellParser = (value: string) => Parsed;

const MAX_TEXT_LENGTH = 500;

const text: CellParser = (value) => (value.length > MAX_TEXT_LENGTH ? { reason: `longer than ${MAX_TEXT_LENGTH} characters` } : { value });

const email: CellParser = (value) => {
  const normalized = normalizeEmail(value);
  return normalized === null ? { reason: 'not a valid email address' } : { value: normalized };
};

const phone: CellParser = (value) => {
  const normalized = normalizePhone(value);
  return normalized === null ? { reason: 'not a valid phone number' } : { value: normalized };
};

const domain: CellParser = (value) => {
  const normalized = normalizeDomain(value);
  return normalized === null ? { reason: 'not a valid domain or website address' } : { value: normalized };
};

// Keys are labels with everything but letters removed, so HubSpot's display labels
// ("Marketing Qualified Lead"), its internal values ("marketingqualifiedlead") and
// Candor's own snake_case all match. A Map, so "constructor" is not a stage.
const LIFECYCLE_LABELS = new Map<string, LifecycleStage>([
  ['subscriber', 'subscriber'],
  ['lead', 'lead'],
  ['marketingqualifiedlead', 'marketing_qualified_lead'],
  ['mql', 'marketing_qualified_lead'],
  ['salesqualifiedlead', 'sales_qualified_lead'],
  ['sql', 'sales_qualified_lead'],
  ['opportunity', 'opportunity'],
  ['customer', 'customer'],
  ['evangelist', 'evangelist'],
  ['other', 'other'],
]);

const lifecycleStage: CellParser = (value) => {
  const stage = LIFECYCLE_LABELS.get(value.toLowerCase().replace(/[^a-z]/g, ''));
  return stage === undefined ? { reason: `not a known lifecycle stage (expected one of ${LIFECYCLE_STAGES.join(', ')})` } : { value: stage };
};

/**
 * Plain decimal numbers only. "1,250,000" is accepted because the grouping is unambiguous;
 * "1,5" or "1.250.000" are rejected rather than guessed, and so are currency symbols,
 * since the file does not say which currency they are in.
 */
export function parseDecimal(raw: string): number | null {
  let value = raw.replace(/[\s\u00a0]/g, '');
  if (/^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(value)) value = value.replace(/,/g, '');
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(value)) return null;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : null;
}

const nonNegativeDecimal: CellParser = (value) => {
  const parsed = parseDecimal(value);
  if (parsed === null) return { reason: 'not a number' };
  return parsed < 0 ? { reason: 'must not be negative' } : { value: parsed };
};

const count: CellParser = (value) => {
  const parsed = parseDecimal(value);
  if (parsed === null) return { reason: 'not a number' };
  if (parsed < 0) return { reason: 'must not be negative' };
  return Number.isSafeInteger(parsed) ? { value: parsed } : { reason: 'not a whole number' };
};

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * ISO 8601 dates and date-times: "2024-01-31", HubSpot's "2024-01-31 10:00" and
 * Salesforce's "2024-01-31T10:00:00.000Z". A time without zone is taken as UTC: HubSpot
 * writes the portal's time zone, which the file does not state. Day-first or month-first
 * forms ("01/02/2024") are rejected because they are ambiguous.
 */
export function parseImportDate(raw: string): Date | null {
  const m = DATE_TIME.exec(raw.trim());
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((part) => Number(part ?? 0));
  const millis = Number((m[7] ?? '0').slice(0, 3).padEnd(3, '0'));
  if (hour > 23 || minute > 59 || second > 59) return null;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const check = new Date(utc);
  // Date.UTC silently rolls 2024-02-30 over to March; a round trip catches it.
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone && zone.toUpperCase() !== 'Z') {
    const digits = zone.replace(':', '');
    const sign = digits.startsWith('-') ? -1 : 1;
    const hours = Number(digits.slice(1, 3));
    const minutes = Number(digits.slice(3, 5));
    if (hours > 14 || minutes > 59) return null;
    offsetMinutes = sign * (hours * 60 + minutes);
  }
  const instant = utc - offsetMinutes * 60_000;
  // An offset can carry 9999-12-31 past the last instant PostgreSQL reads back.
  return isStorableInstantMs(instant) ? new Date(instant) : null;
}

const date: CellParser = (value) => {
  const parsed = parseImportDate(value);
  return parsed === null ? { reason: 'not a valid date (expected ISO 8601, e.g. 2024-01-31 or 2024-01-31T10:00:00Z)' } : { value: parsed };
};

const CONTACT_PARSERS: Record<ContactField, CellParser> = {
  first_name: text,
  last_name: text,
  email,
  phone,
  job_title: text,
  company_name: text,
  company_domain: domain,
  lifecycle_stage: lifecycleStage,
  owner_email: email,
  city: text,
  country: text,
  external_id: text,
  created_at: date,
};

const COMPANY_PARSERS: Record<CompanyField, CellParser> = {
  name: text,
  domain,
  industry: text,
  phone,
  city: text,
  country: text,
  employee_count: count,
  annual_revenue: nonNegativeDecimal,
  external_id: text,
  created_at: date,
};

const REQUIRED_ONE_OF: Record<ImportObject, readonly string[]> = {
  contact: ['email', 'phone', 'last_name', 'first_name'],
  company: ['name', 'domain'],
};

/**
 * Validates one row. Cells are trimmed and empty cells count as absent; keys that are not
 * fields of `object` are ignored (the header mapping only produces valid ones).
 */
export function validateRow(object: 'contact', mappedValues: Record<string, string>): RowValidationResult<ContactImport>;
export function validateRow(object: 'company', mappedValues: Record<string, string>): RowValidationResult<CompanyImport>;
export function validateRow(object: ImportObject, mappedValues: Record<string, string>): RowValidationResult;
export function validateRow(object: ImportObject, mappedValues: Record<string, string>): RowValidationResult {
  const parsers: Record<string, CellParser> = object === 'contact' ? CONTACT_PARSERS : COMPANY_PARSERS;
  const record: Record<string, string | number | Date> = {};
  const errors: FieldError[] = [];

  for (const [field, parse] of Object.entries(parsers)) {
    const raw = mappedValues[field];
    const value = typeof raw === 'string' ? raw.trim() : '';
    if (value === '') continue;
    // The same rule as every text field of the API (src/http/storableInput.ts): NUL and lone surrogates are refused.
    const unstorable = unstorableTextReason(value);
    if (unstorable) {
      errors.push({ field, reason: unstorable });
      continue;
    }
    const parsed = parse(value);
    if ('reason' in parsed) errors.push({ field, reason: parsed.reason });
    else record[field] = parsed.value;
  }

  const required = REQUIRED_ONE_OF[object];
  // Only complain about missing identity when nothing else is wrong with those fields;
  // otherwise a row with just a bad email would get two errors for one mistake.
  if (!required.some((field) => field in record) && !errors.some((e) => required.includes(e.field))) {
    errors.push({ field: 'row', reason: `a ${object} needs at least one of ${required.join(', ')}` });
  }

  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, record: record as ContactImport | CompanyImport };
}
