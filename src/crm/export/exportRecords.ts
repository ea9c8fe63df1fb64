import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/connection.ts';
import { companies, users } from '../../db/schema/index.ts';
import { contactPolicy, listPermittedContacts, type AccessContext, type ContactRecord, type PurposeContext } from '../../kernel/index.ts';
import { keysetCondition, keysetOrderBy, pageByCreationOf, parseSort } from '../../shared/keyset.ts';
import { camelCaseName } from '../../shared/camelCase.ts';
import { COMPANY_FIELDS, CONTACT_FIELDS, type ImportObject } from '../import/columnMapping.ts';

// Export rows are keyed by the import's field names in the API's camelCase (firstName for
// first_name; the import compares headers without case or underscores, so both spellings
// import), plus the record id, which the import ignores because externalId wins that
// header: an export re-imports as it is. Rows are read in keyset pages of `exportPageRows`,
// one short query each: an export of a million contacts never holds a transaction (or
// PGlite's connection) open, and rows created while it runs may or may not be included.

export type ExportValue = string | number | null;
export type ExportRow = Record<string, ExportValue>;

export const exportPageRows = 1_000;

export const exportFields: Record<ImportObject, readonly string[]> = {
  contact: ['id', ...CONTACT_FIELDS.map(camelCaseName)],
  company: ['id', ...COMPANY_FIELDS.map(camelCaseName)],
};

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

async function ownerEmails(database: Database, ctx: AccessContext): Promise<Map<string, string>> {
  const rows = await database.db.select({ id: users.id, email: users.email }).from(users).where(eq(users.tenantId, ctx.tenantId));
  return new Map(rows.map((row) => [row.id, row.email]));
}

async function companiesById(database: Database, ctx: AccessContext, ids: string[]): Promise<Map<string, { name: string; domain: string | null }>> {
  if (ids.length === 0) return new Map();
  const rows = await database.db
    .select({ id: companies.id, name: companies.name, domain: companies.domain })
    .from(companies)
    .where(and(eq(companies.tenantId, ctx.tenantId), sql`${companies.id} = any(${sql.param(ids)}::uuid[])`));
  return new Map(rows.map((row) => [row.id, { name: row.name, domain: row.domain }]));
}

function contactRow(contact: ContactRecord, company: { name: string; domain: string | null } | undefined, owner: string | undefined): ExportRow {
  const personal = contact.personal;
  return {
    id: contact.id,
    firstName: text(personal.first_name),
    lastName: text(personal.last_name),
    email: text(personal.email),
    phone: text(personal.phone),
    jobTitle: text(personal.job_title),
    companyName: company?.name ?? null,
    companyDomain: company?.domain ?? null,
    lifecycleStage: contact.lifecycleStage,
    ownerEmail: owner ?? null,
    city: text(personal.city),
    country: text(personal.country),
    externalId: text(personal.external_id),
    createdAt: iso(contact.createdAt),
  };
}

/**
 * Contacts for the context's purpose, through the kernel's policy like any list: people whose
 * basis fails are left out, fields not declared for the purpose are empty, and each page is
 * audited with the pseudonyms of the people exported.
 */
export async function* exportContactRows(database: Database, ctx: PurposeContext): AsyncGenerator<ExportRow> {
  const owners = await ownerEmails(database, ctx);
  const policy = await contactPolicy(database.db, ctx, 'contact.exported');
  let cursor: string | undefined;
  do {
    const page = await listPermittedContacts(database.db, ctx, { sort: 'createdAt', cursor, limit: exportPageRows }, { action: 'contact.exported', policy });
    const companyIds = [...new Set(page.rows.flatMap((row) => (row.companyId ? [row.companyId] : [])))];
    const companyMap = await companiesById(database, ctx, companyIds);
    for (const contact of page.rows) {
      yield contactRow(contact, contact.companyId ? companyMap.get(contact.companyId) : undefined, contact.ownerId ? owners.get(contact.ownerId) : undefined);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

const companySort = parseSort('createdAt', { createdAt: { column: companies.createdAt, kind: 'timestamp' } }, 'createdAt');

export async function* exportCompanyRows(database: Database, ctx: AccessContext): AsyncGenerator<ExportRow> {
  let cursor: string | undefined;
  do {
    const rows = await database.db
      .select()
      .from(companies)
      .where(and(eq(companies.tenantId, ctx.tenantId), keysetCondition(companySort, companies.id, cursor)))
      .orderBy(...keysetOrderBy(companySort, companies.id))
      .limit(exportPageRows + 1);
    const page = pageByCreationOf(rows, exportPageRows, companySort);
    for (const company of page.data) {
      yield {
        id: company.id,
        name: company.name,
        domain: company.domain,
        industry: company.industry,
        phone: company.phone,
        city: company.city,
        country: company.country,
        employeeCount: company.employeeCount,
        annualRevenue: company.annualRevenueMinor === null ? null : company.annualRevenueMinor / 100,
        externalId: company.externalId,
        createdAt: iso(company.createdAt),
      };
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}
