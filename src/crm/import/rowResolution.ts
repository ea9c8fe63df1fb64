import { and, eq, ne, sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { newId } from '../../db/ids.ts';
import { users } from '../../db/schema/index.ts';
import type { AccessContext, StagedContactAttributes, StagedRow } from '../../kernel/index.ts';
import { invalid } from '../../shared/domainError.ts';
import type { ImportObject } from './columnMapping.ts';
import { DuplicateEmailCheck } from './duplicateEmails.ts';
import { ExistingRecordMatcher, importMatchesOf, type MatchableRow, type RowMatch } from './existingMatches.ts';
import type { ImportIssue, ImportMatch } from './importBatches.ts';
import type { CompanyImport, ContactImport } from './rowValidation.ts';
import { rowsOf } from '../../db/rows.ts';

// Turns validated CSV records into staged rows: resolves owners (staff e-mail → user id)
// and links contacts to companies.
//
// Company linking rule for contact rows: a row naming a company_domain links to the oldest
// company in the workspace with that domain, or else to the oldest company with the same
// name and no domain (a later file adding the domain of a company known by name only). A
// row naming only a company_name links to the oldest company with that name (case- and
// space-insensitive). When there is none, the import creates one company per distinct
// domain (or name) — named after company_name, or the domain when the file gives no name —
// and every row of the batch naming it links to that one. Companies the batch creates carry
// its import_batch_id, so undo removes them.

export type ValidRow = { line: number; record: ContactImport | CompanyImport };

/** The columns of a contact import that hold personal values, keyed like contacts.personal (src/kernel/contactRecords.ts). */
export const contactPersonalFields = ['first_name', 'last_name', 'email', 'phone', 'job_title', 'city', 'country', 'external_id'] as const;

/** Attributes of a staged contact row that creates the company it links to (once per batch). */
export type NewCompanyAttributes = { name: string; domain: string | null };
export type StagedContactRowAttributes = StagedContactAttributes & { new_company?: NewCompanyAttributes };

export const normalizeCompanyName = (name: string) => name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();

function companyKeyOf(record: ContactImport): string | null {
  if (record.company_domain) return `domain:${record.company_domain}`;
  if (record.company_name) return `name:${normalizeCompanyName(record.company_name)}`;
  return null;
}

export class ImportRowResolver {
  /** Company key → id of the company rows link to (existing, or created by this batch). */
  private readonly companyIds = new Map<string, string>();
  /** Keys whose company this batch creates; the first row staged with one carries its details. */
  private readonly companiesToCreate = new Set<string>();
  private readonly duplicateEmails = new DuplicateEmailCheck();

  private constructor(
    private readonly object: ImportObject,
    private readonly ownerIdsByEmail: Map<string, string>,
    /** Owner of rows that name none. */
    readonly defaultOwnerId: string | null,
    /** Set in an upsert import: finds the existing record a row updates. */
    private readonly matcher: ExistingRecordMatcher | null,
  ) {}

  /** Loads the workspace's active users; the default owner (by e-mail address or id) must be one of them. */
  static async create(
    db: Executor,
    ctx: AccessContext,
    object: ImportObject,
    defaultOwner?: { email: string } | { id: string } | null,
    upsert?: { matchOn: ImportMatch } | null,
  ): Promise<ImportRowResolver> {
    const staff = await db
      .select({ id: users.id, email: users.email })
      .from(users)
      .where(and(eq(users.tenantId, ctx.tenantId), ne(users.status, 'deactivated')));
    const ownerIdsByEmail = new Map(staff.map((user) => [user.email.toLowerCase(), user.id]));
    let defaultOwnerId: string | null = null;
    if (defaultOwner && 'email' in defaultOwner) {
      defaultOwnerId = ownerIdsByEmail.get(defaultOwner.email.trim().toLowerCase()) ?? null;
      if (!defaultOwnerId) throw invalid('owner', 'no active user with this e-mail address in the workspace');
    } else if (defaultOwner) {
      defaultOwnerId = staff.some((user) => user.id === defaultOwner.id) ? defaultOwner.id : null;
      if (!defaultOwnerId) throw invalid('owner', 'the default owner is no longer an active user of the workspace');
    }
    if (upsert && !importMatchesOf[object].includes(upsert.matchOn)) {
      throw invalid('matchOn', `a ${object} import matches on ${importMatchesOf[object].join(' or ')}`);
    }
    return new ImportRowResolver(object, ownerIdsByEmail, defaultOwnerId, upsert ? new ExistingRecordMatcher(object, upsert.matchOn) : null);
  }

  /**
   * Resolves one chunk of valid rows. Rows whose owner is unknown or whose e-mail address is
   * taken (see duplicateEmails.ts) are returned as issues instead of staged rows. Needs at
   * most two queries per chunk: unseen company keys, and the chunk's e-mail addresses.
   */
  async resolve(db: Executor, ctx: AccessContext, rows: ValidRow[]): Promise<{ staged: StagedRow[]; invalid: Array<{ line: number; issues: ImportIssue[] }> }> {
    const staged: StagedRow[] = [];
    const rejected: Array<{ line: number; issues: ImportIssue[] }> = [];
    if (this.object === 'company') {
      const matches = await this.matchesOf(db, ctx, rows);
      for (const row of rows) {
        const match = matches.get(row.line);
        if (match && 'issue' in match) {
          rejected.push({ line: row.line, issues: [match.issue] });
          continue;
        }
        const result = this.companyRow(row.line, row.record as CompanyImport, match?.updates);
        if ('issues' in result) rejected.push({ line: row.line, issues: result.issues });
        else staged.push(result);
      }
      return { staged, invalid: rejected };
    }
    await this.learnCompanies(
      db,
      ctx,
      rows.map((row) => row.record as ContactImport),
    );
    const owned: Array<{ line: number; record: ContactImport; ownerId: string | null }> = [];
    for (const row of rows) {
      const record = row.record as ContactImport;
      const ownerId = this.ownerFor(record.owner_email);
      if (ownerId === undefined) {
        rejected.push({
          line: row.line,
          issues: [{ line: row.line, field: 'owner_email', reason: 'no active user with this e-mail address in the workspace' }],
        });
      } else {
        owned.push({ line: row.line, record, ownerId });
      }
    }
    const matches = await this.matchesOf(db, ctx, owned);
    const updates = (line: number) => {
      const match = matches.get(line);
      return match && 'updates' in match ? match.updates : undefined;
    };
    const duplicates = await this.duplicateEmails.check(
      db,
      ctx,
      owned.map(({ line, record }) => ({ line, email: record.email, updates: updates(line) })),
    );
    for (const { line, record, ownerId } of owned) {
      const match = matches.get(line);
      const issue = match && 'issue' in match ? match.issue : duplicates.get(line);
      if (issue) rejected.push({ line, issues: [issue] });
      // An update changes the owner only when the row names one.
      else staged.push(this.contactRow(line, record, updates(line) && !record.owner_email ? null : ownerId, updates(line)));
    }
    rejected.sort((a, b) => a.line - b.line);
    return { staged, invalid: rejected };
  }

  /** In an upsert import, the record each row updates (or why it may not); nothing otherwise. */
  private async matchesOf(db: Executor, ctx: AccessContext, rows: ValidRow[]): Promise<Map<number, RowMatch>> {
    return this.matcher ? this.matcher.match(db, ctx, rows as MatchableRow[]) : new Map();
  }

  /** undefined: the row names an owner who is not an active user. */
  private ownerFor(email: string | undefined): string | null | undefined {
    if (!email) return this.defaultOwnerId;
    return this.ownerIdsByEmail.get(email.toLowerCase());
  }

  private contactRow(line: number, record: ContactImport, ownerId: string | null, updates?: string): StagedRow {
    const personal: Record<string, string> = {};
    for (const field of contactPersonalFields) {
      const value = record[field];
      if (value !== undefined) personal[field] = value;
    }
    const attributes: StagedContactRowAttributes = {};
    if (ownerId) attributes.owner_id = ownerId;
    if (record.lifecycle_stage) attributes.lifecycle_stage = record.lifecycle_stage;
    if (record.created_at && !updates) attributes.created_at = record.created_at.toISOString();
    if (updates) attributes.update = true;
    // Dated while reading (importConsents.ts); published as ledger events at that date.
    if (record.consents?.length && record.consent_date) {
      const recordedAt = record.consent_date.toISOString();
      attributes.consents = record.consents.map((consent) => ({ ...consent, recordedAt }));
    }
    const key = companyKeyOf(record);
    if (key) {
      attributes.company_id = this.companyIds.get(key);
      if (this.companiesToCreate.delete(key)) {
        attributes.new_company = { name: record.company_name ?? record.company_domain ?? '', domain: record.company_domain ?? null };
      }
    }
    return { line, recordId: updates ?? newId(), attributes, personal };
  }

  private companyRow(line: number, record: CompanyImport, updates?: string): StagedRow | { issues: ImportIssue[] } {
    let annualRevenueMinor: number | undefined;
    if (record.annual_revenue !== undefined) {
      annualRevenueMinor = Math.round(record.annual_revenue * 100);
      if (!Number.isSafeInteger(annualRevenueMinor)) return { issues: [{ line, field: 'annual_revenue', reason: 'too large' }] };
    }
    const attributes: Record<string, unknown> = {
      name: record.name ?? record.domain,
      domain: record.domain ?? null,
      industry: record.industry ?? null,
      phone: record.phone ?? null,
      city: record.city ?? null,
      country: record.country ?? null,
      employee_count: record.employee_count ?? null,
      annual_revenue_minor: annualRevenueMinor ?? null,
      external_id: record.external_id ?? null,
      owner_id: this.defaultOwnerId,
      created_at: record.created_at?.toISOString() ?? null,
      ...(updates ? { update: true } : {}),
    };
    return { line, recordId: updates ?? newId(), attributes, personal: null };
  }

  /** Finds existing companies for company keys not seen before in this batch. */
  private async learnCompanies(db: Executor, ctx: AccessContext, records: ContactImport[]): Promise<void> {
    // Domain → the (normalised) name the first row with that domain gives, if any.
    const domains = new Map<string, string | null>();
    const names = new Set<string>();
    for (const record of records) {
      const key = companyKeyOf(record);
      if (!key || this.companyIds.has(key)) continue;
      const name = record.company_name ? normalizeCompanyName(record.company_name) : null;
      if (record.company_domain) {
        if (!domains.has(record.company_domain)) domains.set(record.company_domain, name);
      } else if (name) names.add(name);
    }
    if (domains.size + names.size === 0) return;
    const lookupNames = new Set([...names, ...[...domains.values()].filter((name): name is string => name !== null)]);
    const found = await db.execute(sql`
      select id, domain, lower(regexp_replace(btrim(name), '\\s+', ' ', 'g')) as name
      from companies
      where tenant_id = ${ctx.tenantId}
        and (domain = any(${sql.param([...domains.keys()])}::text[])
             or lower(regexp_replace(btrim(name), '\\s+', ' ', 'g')) = any(${sql.param([...lookupNames])}::text[]))
      order by created_at, id`);
    const byDomain = new Map<string, string>();
    const byName = new Map<string, string>();
    const byNameWithoutDomain = new Map<string, string>();
    for (const company of rowsOf<{ id: string; domain: string | null; name: string }>(found)) {
      if (company.domain && !byDomain.has(company.domain)) byDomain.set(company.domain, company.id);
      if (!byName.has(company.name)) byName.set(company.name, company.id);
      if (!company.domain && !byNameWithoutDomain.has(company.name)) byNameWithoutDomain.set(company.name, company.id);
    }
    for (const [domain, name] of domains) {
      // A company recorded by name only is the same company when a later file adds its domain.
      this.linkOrCreate(`domain:${domain}`, byDomain.get(domain) ?? (name ? byNameWithoutDomain.get(name) : undefined));
    }
    for (const name of names) this.linkOrCreate(`name:${name}`, byName.get(name));
  }

  private linkOrCreate(key: string, existingId: string | undefined): void {
    if (this.companyIds.has(key)) return;
    this.companyIds.set(key, existingId ?? newId());
    if (!existingId) this.companiesToCreate.add(key);
  }
}
