import type { companies } from '../../db/schema/index.ts';
import type { FieldIssue } from '../../shared/domainError.ts';
import { normalizeDomain, normalizePhone } from '../../shared/normalize.ts';

export type CompanyRecord = typeof companies.$inferSelect;
export const companySources = ['form', 'import', 'api', 'staff'] as const;
export type CompanySource = (typeof companySources)[number];

/** Company attributes as a client sends them; null clears an optional attribute on update. */
export type CompanyAttributes = {
  name?: string;
  domain?: string | null;
  industry?: string | null;
  phone?: string | null;
  city?: string | null;
  country?: string | null;
  employeeCount?: number | null;
  annualRevenueMinor?: number | null;
  currency?: string | null;
  ownerId?: string | null;
  externalId?: string | null;
};

export type CompanyView = {
  id: string;
  name: string;
  domain: string | null;
  industry: string | null;
  phone: string | null;
  city: string | null;
  country: string | null;
  employeeCount: number | null;
  annualRevenueMinor: number | null;
  currency: string | null;
  ownerId: string | null;
  source: string;
  externalId: string | null;
  importBatchId: string | null;
  customFields: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  version: number;
};

export function companyView(record: CompanyRecord): CompanyView {
  return {
    id: record.id,
    name: record.name,
    domain: record.domain,
    industry: record.industry,
    phone: record.phone,
    city: record.city,
    country: record.country,
    employeeCount: record.employeeCount,
    annualRevenueMinor: record.annualRevenueMinor,
    currency: record.currency,
    ownerId: record.ownerId,
    source: record.source,
    externalId: record.externalId,
    importBatchId: record.importBatchId,
    customFields: record.custom,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
    version: record.version,
  };
}

/**
 * Cleans attributes for storage: text trimmed (empty → null), domain reduced to its host
 * name, phone checked, revenue only with a currency. Issues name the field.
 */
export function cleanCompanyAttributes(
  input: CompanyAttributes,
  current?: Pick<CompanyRecord, 'currency'>,
): { values: CompanyAttributes; issues: FieldIssue[] } {
  const values: CompanyAttributes = {};
  const issues: FieldIssue[] = [];
  const text = (value: string | null | undefined) => (value === undefined ? undefined : value === null ? null : value.trim() || null);
  if (input.name !== undefined) {
    const name = input.name.trim();
    if (name.length === 0) issues.push({ field: 'name', reason: 'must not be empty' });
    else values.name = name;
  }
  for (const field of ['industry', 'city', 'country', 'externalId'] as const) {
    const value = text(input[field]);
    if (value !== undefined) values[field] = value;
  }
  const domain = text(input.domain);
  if (domain) {
    const normalized = normalizeDomain(domain);
    if (normalized) values.domain = normalized;
    else issues.push({ field: 'domain', reason: 'not a domain name such as example.com' });
  } else if (domain === null) values.domain = null;
  const phone = text(input.phone);
  if (phone && !normalizePhone(phone)) issues.push({ field: 'phone', reason: 'not a valid phone number' });
  else if (phone !== undefined) values.phone = phone;
  if (input.employeeCount !== undefined) values.employeeCount = input.employeeCount;
  if (input.currency !== undefined) values.currency = input.currency;
  if (input.annualRevenueMinor !== undefined) {
    values.annualRevenueMinor = input.annualRevenueMinor;
    const currency = input.currency !== undefined ? input.currency : (current?.currency ?? null);
    if (input.annualRevenueMinor !== null && !currency) issues.push({ field: 'currency', reason: 'required with annualRevenueMinor' });
  }
  if (input.ownerId !== undefined) values.ownerId = input.ownerId;
  return { values, issues };
}
