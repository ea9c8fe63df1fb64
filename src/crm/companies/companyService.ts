import { and, eq, getTableColumns, ilike, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { newId } from '../../db/ids.ts';
import { companies } from '../../db/schema/index.ts';
import { readLinkedRecords, type AccessContext, type CustomValues, type LinkedWithheld, type PurposeContext } from '../../kernel/index.ts';
import { defaultPageSize, maxPageSize } from '../../shared/cursor.ts';
import { countUpTo, type CappedCount } from '../../db/cappedCount.ts';
import { keysetCondition, keysetOrderBy, pageOf, parseSort, type SortColumn } from '../../shared/keyset.ts';
import { recordChange } from '../../platform/changes.ts';
import { DomainError, invalid, notFound, staleVersion, type FieldIssue } from '../../shared/domainError.ts';
import { validateCustomValues, mergeCustomValues } from '../customFields/values.ts';
import { defaultOwnerId, requireOwner } from '../contacts/references.ts';
import { normalizeDomain } from '../../shared/normalize.ts';
import { cleanCompanyAttributes, type CompanyAttributes, type CompanyRecord, type CompanySource } from './companyFields.ts';

export type CompanyChangeInput = CompanyAttributes & { customFields?: Record<string, unknown> };
export type CompanyCreateInput = CompanyChangeInput & { name: string; source?: CompanySource };

function refuse(issues: FieldIssue[]): void {
  if (issues.length > 0) throw new DomainError('validation_failed', issues.map((issue) => `${issue.field}: ${issue.reason}`).join('; '), issues);
}

const changedFieldNames = (input: CompanyChangeInput) => [
  ...Object.keys(input).filter((name) => name !== 'customFields' && input[name as keyof CompanyChangeInput] !== undefined),
  ...Object.keys(input.customFields ?? {}).map((key) => `customFields.${key}`),
];

/** The company row for a write in progress (not a read: reads go through getCompany and listCompanies). */
export async function requireCompanyRecord(tx: Executor, ctx: AccessContext, id: string): Promise<CompanyRecord> {
  const [row] = await tx
    .select()
    .from(companies)
    .where(and(eq(companies.tenantId, ctx.tenantId), eq(companies.id, id)))
    .limit(1);
  if (!row) throw notFound('company');
  return row;
}

export async function createCompany(tx: Executor, ctx: AccessContext, input: CompanyCreateInput): Promise<CompanyRecord> {
  const { values, issues } = cleanCompanyAttributes(input);
  refuse(issues);
  const custom = mergeCustomValues({}, await validateCustomValues(tx, ctx, 'company', input.customFields));
  if (values.ownerId) await requireOwner(tx, ctx, values.ownerId);
  const id = newId();
  const now = new Date();
  await tx.insert(companies).values({
    ...values,
    tenantId: ctx.tenantId,
    id,
    name: values.name ?? input.name,
    ownerId: values.ownerId === undefined ? defaultOwnerId(ctx) : values.ownerId,
    source: input.source ?? 'api',
    custom,
    createdAt: now,
    updatedAt: now,
  });
  await recordChange(tx, ctx, { object: 'company', recordId: id, kind: 'created', fields: changedFieldNames(input) });
  return requireCompanyRecord(tx, ctx, id);
}

/**
 * Applies a change when the company is still at `expectedVersion` (null: at the version it
 * is read at here, as a batch item without one asks); 412 otherwise. Returns the updated row.
 */
export async function updateCompany(
  tx: Executor,
  ctx: AccessContext,
  id: string,
  expectedVersion: number | null,
  input: CompanyChangeInput,
): Promise<CompanyRecord> {
  const current = await requireCompanyRecord(tx, ctx, id);
  const { values, issues } = cleanCompanyAttributes(input, current);
  refuse(issues);
  const customChanges = await validateCustomValues(tx, ctx, 'company', input.customFields);
  if (values.ownerId) await requireOwner(tx, ctx, values.ownerId);
  const updated = await tx
    .update(companies)
    .set({
      ...values,
      ...(Object.keys(customChanges).length > 0 ? { custom: mergeCustomValues(current.custom, customChanges) } : {}),
      version: sql`${companies.version} + 1`,
      updatedAt: new Date(),
    })
    .where(and(eq(companies.tenantId, ctx.tenantId), eq(companies.id, id), eq(companies.version, expectedVersion ?? current.version)))
    .returning();
  if (updated.length === 0) {
    const latest = await requireCompanyRecord(tx, ctx, id);
    throw staleVersion(latest.version);
  }
  await recordChange(tx, ctx, { object: 'company', recordId: id, kind: 'updated', fields: changedFieldNames(input) });
  return updated[0];
}

/** Deletes a company for good; its contacts, deals and purchases are unlinked in the same transaction. */
export async function deleteCompany(tx: Executor, ctx: AccessContext, id: string, expectedVersion: number | null = null): Promise<void> {
  const [current] = await tx
    .select({ version: companies.version })
    .from(companies)
    .where(and(eq(companies.tenantId, ctx.tenantId), eq(companies.id, id)))
    .for('update');
  if (!current) throw notFound('company');
  if (expectedVersion !== null && current.version !== expectedVersion) {
    throw staleVersion(current.version);
  }
  const tenant = ctx.tenantId;
  const now = new Date().toISOString();
  for (const table of ['contacts', 'deals', 'purchases']) {
    await tx.execute(
      sql`update ${sql.identifier(table)} set company_id = null, updated_at = ${now}::timestamptz, version = version + 1 where tenant_id = ${tenant} and company_id = ${id}`,
    );
  }
  await tx.execute(sql`delete from activity_links where tenant_id = ${tenant} and object = 'company' and record_id = ${id}`);
  await tx.delete(companies).where(and(eq(companies.tenantId, tenant), eq(companies.id, id)));
  await recordChange(tx, ctx, { object: 'company', recordId: id, kind: 'deleted' });
}

// Names sort case-insensitively, compared byte-wise ("C"), so the order and the keyset
// comparisons are the same whatever collation the database was created with (PGlite and
// PostgreSQL servers differ). The drizzle operators accept SQL where a column is typed.
const nameSortKey = sql<string>`lower(${companies.name}) collate "C"`;

export const companySortColumns: Record<string, SortColumn> = {
  createdAt: { column: companies.createdAt, kind: 'timestamp' },
  updatedAt: { column: companies.updatedAt, kind: 'timestamp' },
  name: { column: nameSortKey as unknown as AnyColumn, kind: 'text' },
};

export type CompanyListQuery = {
  industry?: string;
  ownerId?: string;
  domain?: string;
  /** Case-insensitive prefix of the name (companies are not personal data). */
  namePrefix?: string;
  sort?: string;
  cursor?: string;
  limit?: number;
  /** Also count the companies the filters match, up to this many (count=true). */
  countCap?: number;
};

/** Companies as the purpose may see them. */
export type CompanyRead<Data> = { data: Data; withheld: LinkedWithheld[] };

const companyCustomValues: CustomValues<CompanyRecord> = { of: (company) => company.custom, keep: (company, custom) => ({ ...company, custom }) };

/** One company through the kernel (grant, one audit entry); 404 when there is none. */
export async function getCompany(db: Executor, ctx: PurposeContext, id: string): Promise<CompanyRead<CompanyRecord>> {
  const read = await readLinkedRecords(db, ctx, {
    object: 'company',
    action: 'company.read',
    recordId: (company: CompanyRecord) => company.id,
    customValues: companyCustomValues,
    read: async (tx) => ({ rows: [await requireCompanyRecord(tx, ctx, id)] }),
  });
  return { data: read.rows[0], withheld: read.withheld };
}

/** A page of companies through the kernel (grant, one audit entry). */
export async function listCompanies(
  db: Executor,
  ctx: PurposeContext,
  query: CompanyListQuery,
): Promise<CompanyRead<CompanyRecord[]> & { nextCursor: string | null; count?: CappedCount }> {
  const order = parseSort(query.sort, companySortColumns, 'createdAt');
  const limit = Math.min(Math.max(query.limit ?? defaultPageSize, 1), maxPageSize);
  const conditions: Array<SQL | undefined> = [eq(companies.tenantId, ctx.tenantId)];
  if (query.industry) conditions.push(eq(companies.industry, query.industry));
  if (query.ownerId) conditions.push(eq(companies.ownerId, query.ownerId));
  if (query.domain !== undefined) {
    const domain = normalizeDomain(query.domain);
    if (!domain) throw invalid('domain', 'not a domain name such as example.com');
    conditions.push(eq(companies.domain, domain));
  }
  if (query.namePrefix !== undefined) {
    if (query.namePrefix.trim().length === 0) throw invalid('namePrefix', 'must not be empty');
    conditions.push(ilike(companies.name, `${query.namePrefix.trim().replace(/[\\%_]/g, '\\$&')}%`));
  }
  const page = await readLinkedRecords(db, ctx, {
    object: 'company',
    action: 'company.listed',
    recordId: (company: CompanyRecord) => company.id,
    customValues: companyCustomValues,
    async read(tx) {
      const rows = await tx
        .select({ ...getTableColumns(companies), nameSortKey })
        .from(companies)
        .where(and(...conditions, keysetCondition(order, companies.id, query.cursor)))
        .orderBy(...keysetOrderBy(order, companies.id))
        .limit(limit + 1);
      // The cursor carries the sort value as the database computed it, so the next page resumes exactly.
      const sortValue = (row: (typeof rows)[number]) =>
        order.name.replace(/^-/, '') === 'name' ? row.nameSortKey : row[order.name.replace(/^-/, '') as keyof CompanyRecord];
      const page = pageOf(rows, limit, order, sortValue, (row) => row.id);
      const count = query.countCap === undefined ? undefined : await countUpTo(tx, companies, and(...conditions), query.countCap);
      return { rows: page.data.map(({ nameSortKey: _sortKey, ...company }) => company), nextCursor: page.nextCursor, ...(count ? { count } : {}) };
    },
  });
  return { data: page.rows, withheld: page.withheld, nextCursor: page.nextCursor, ...('count' in page ? { count: page.count } : {}) };
}
