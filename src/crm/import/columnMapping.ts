// Maps the header row of an uploaded CSV to Candor fields, so files exported from HubSpot,
// Salesforce or Candor itself import without the user having to map columns by hand.

import { consentColumnPurpose, type ConsentColumn } from './consentColumns.ts';

export type ImportObject = 'contact' | 'company';

export const CONTACT_FIELDS = [
  'first_name',
  'last_name',
  'email',
  'phone',
  'job_title',
  'company_name',
  'company_domain',
  'lifecycle_stage',
  'owner_email',
  'city',
  'country',
  'external_id',
  'created_at',
] as const;

export const COMPANY_FIELDS = [
  'name',
  'domain',
  'industry',
  'phone',
  'city',
  'country',
  'employee_count',
  'annual_revenue',
  'external_id',
  'created_at',
] as const;

export type ContactField = (typeof CONTACT_FIELDS)[number];
export type CompanyField = (typeof COMPANY_FIELDS)[number];

export interface ColumnMapping {
  /** 0-based index of the column in the file. */
  column: number;
  header: string;
  /** null: the column is not imported. */
  field: string | null;
}

export interface HeaderMapping {
  mapping: ColumnMapping[];
  /** Headers that match no field and were not explicitly ignored through an override. */
  unmapped: string[];
  /** Contact imports: `consent:<purpose key>` columns (src/crm/import/consentColumns.ts). */
  consentColumns: ConsentColumn[];
  /** Contact imports: the consent_date column, if any. */
  consentDateColumn: number | null;
}

// Aliases are listed by preference. Exports often hold two candidates for one field
// (HubSpot companies carry both "Company Domain Name" and "Website URL"); the column whose
// alias comes first wins and the other is reported as unmapped. Each list starts with the
// Candor export header; Salesforce API names and report labels normalise to the same key
// ("MailingCity" = "Mailing City"), so one entry covers both.
const CONTACT_ALIASES: Record<ContactField, readonly string[]> = {
  first_name: ['first_name', 'Given Name', 'Forename'],
  last_name: ['last_name', 'Surname', 'Family Name'],
  email: ['email', 'Email Address', 'E-mail Address', 'Primary Email'],
  phone: ['phone', 'Phone Number', 'Business Phone', 'Work Phone', 'MobilePhone', 'Mobile Phone Number', 'Mobile'],
  job_title: ['job_title', 'Title', 'Position'],
  company_name: ['company_name', 'Company', 'Account Name', 'Associated Company', 'Organization'],
  company_domain: ['company_domain', 'Company Domain Name', 'Website URL', 'Website', 'Domain'],
  lifecycle_stage: ['lifecycle_stage', 'Lifecycle'],
  owner_email: ['owner_email', 'Contact owner', 'Contact Owner Email'],
  city: ['city', 'MailingCity', 'Town'],
  country: ['country', 'Country/Region', 'MailingCountry', 'Country Region'],
  external_id: ['external_id', 'Record ID', 'Contact ID', 'Id', 'Contact Record ID'],
  created_at: ['created_at', 'Create Date', 'CreatedDate', 'Date Created', 'Created'],
};

const COMPANY_ALIASES: Record<CompanyField, readonly string[]> = {
  name: ['name', 'Company name', 'Account Name', 'Company', 'Organization'],
  domain: ['domain', 'Company Domain Name', 'Website', 'Website URL', 'Company Website'],
  industry: ['industry', 'Sector'],
  phone: ['phone', 'Phone Number', 'Business Phone'],
  city: ['city', 'BillingCity', 'Town'],
  country: ['country', 'Country/Region', 'BillingCountry', 'Country Region'],
  employee_count: ['employee_count', 'Number of Employees', 'Employees', 'Employee Count'],
  annual_revenue: ['annual_revenue', 'Revenue'],
  external_id: ['external_id', 'Record ID', 'Account ID', 'Company ID', 'Id'],
  created_at: ['created_at', 'Create Date', 'CreatedDate', 'Date Created', 'Created'],
};

/** Case-, space-, underscore- and hyphen-insensitive key for comparing header names. */
export function normalizeHeader(header: string): string {
  return header
    .replace(/^\uFEFF/, '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_-]+/g, '');
}

interface AliasEntry {
  field: string;
  rank: number;
}

function buildAliasIndex(aliases: Record<string, readonly string[]>): Map<string, AliasEntry> {
  const index = new Map<string, AliasEntry>();
  for (const [field, names] of Object.entries(aliases)) {
    names.forEach((name, rank) => {
      const key = normalizeHeader(name);
      const existing = index.get(key);
      if (existing && existing.field !== field) {
        throw new Error(`Header alias "${name}" is claimed by both ${existing.field} and ${field}`);
      }
      if (!existing) index.set(key, { field, rank });
    });
  }
  return index;
}

const ALIAS_INDEX: Record<ImportObject, Map<string, AliasEntry>> = {
  contact: buildAliasIndex(CONTACT_ALIASES),
  company: buildAliasIndex(COMPANY_ALIASES),
};

export function fieldsOf(object: ImportObject): readonly string[] {
  return object === 'contact' ? CONTACT_FIELDS : COMPANY_FIELDS;
}

/** The field a column override names, as the export spells it (jobTitle) or as the import does (job_title). */
export function fieldNamed(object: ImportObject, name: string): string | undefined {
  return fieldsOf(object).find((field) => normalizeHeader(field) === normalizeHeader(name));
}

/** Alias lists, exposed so a mapping UI can explain why a column was recognised. */
export function aliasesOf(object: ImportObject): Readonly<Record<string, readonly string[]>> {
  return object === 'contact' ? CONTACT_ALIASES : COMPANY_ALIASES;
}

const OVERRIDE_RANK = -1;

/**
 * Maps each header to at most one field and each field to at most one column.
 * `overrides` (keyed by header, compared like headers) force a field, or null to skip the
 * column; they beat any automatic match. Throws RangeError for an override naming a field
 * the object does not have, since that is a programming or UI error, not a data error.
 */
export function mapHeaders(object: ImportObject, headers: string[], overrides: Record<string, string | null> = {}): HeaderMapping {
  const forced = new Map<string, string | null>();
  for (const [header, named] of Object.entries(overrides)) {
    const field = named === null ? null : fieldNamed(object, named);
    if (field === undefined) throw new RangeError(`Unknown ${object} field in column override: ${named}`);
    forced.set(normalizeHeader(header), field);
  }

  const aliasIndex = ALIAS_INDEX[object];
  const ignored = new Set<number>();
  const candidates = headers.map((header, column): AliasEntry | undefined => {
    const key = normalizeHeader(header);
    if (!forced.has(key)) return aliasIndex.get(key);
    const field = forced.get(key) ?? null;
    if (field === null) ignored.add(column);
    return field === null ? undefined : { field, rank: OVERRIDE_RANK };
  });

  // Best-ranked column per field; on a tie the leftmost column wins.
  const winner = new Map<string, number>();
  candidates.forEach((candidate, column) => {
    if (!candidate) return;
    const current = winner.get(candidate.field);
    if (current === undefined || candidate.rank < (candidates[current]?.rank ?? Infinity)) {
      winner.set(candidate.field, column);
    }
  });

  const mapping: ColumnMapping[] = [];
  const unmapped: string[] = [];
  const consentColumns: ConsentColumn[] = [];
  let consentDateColumn: number | null = null;
  headers.forEach((rawHeader, column) => {
    const header = rawHeader.replace(/^\uFEFF/, '').trim();
    const purposeKey = object === 'contact' ? consentColumnPurpose(header) : null;
    if (purposeKey !== null || (object === 'contact' && normalizeHeader(header) === 'consentdate' && consentDateColumn === null)) {
      if (purposeKey !== null) consentColumns.push({ column, header, purposeKey });
      else consentDateColumn = column;
      mapping.push({ column, header, field: null });
      return;
    }
    const candidate = candidates[column];
    const field = candidate && winner.get(candidate.field) === column ? candidate.field : null;
    mapping.push({ column, header, field });
    if (field === null && !ignored.has(column)) unmapped.push(header);
  });
  return { mapping, unmapped, consentColumns, consentDateColumn };
}
