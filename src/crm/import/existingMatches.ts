import { and, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { companies } from '../../db/schema/index.ts';
import { contactPolicy, findPermittedContactIdsByLookup, normalizeExternalId, writeDenialsOf, type AccessContext } from '../../kernel/index.ts';
import type { ImportObject } from './columnMapping.ts';
import type { ImportIssue, ImportMatch } from './importBatches.ts';
import { importContext } from './importPurpose.ts';

/*
 * An upsert import (`candor import --update-existing`, POST /imports?mode=upsert) updates
 * the record a row matches instead of creating one: contacts by e-mail or external id
 * (the kernel's exact blind-index lookups, so nothing is decrypted to match), companies by
 * external id or domain (plain columns). A row matching several records, or the record an
 * earlier row of the file already matched, is an invalid row, as is a row matching a
 * person the subject rules protect from this write (restricted, objected).
 */

export const importMatchesOf: Record<ImportObject, readonly ImportMatch[]> = { contact: ['email', 'externalId'], company: ['externalId', 'domain'] };

/** The CSV field a match reads (import issues name Candor's snake_case field names). */
const fieldOf: Record<ImportMatch, 'email' | 'external_id' | 'domain'> = { email: 'email', externalId: 'external_id', domain: 'domain' };

export type MatchableRow = { line: number; record: { email?: string; external_id?: string; domain?: string } };
export type RowMatch = { updates: string } | { issue: ImportIssue } | null;

export class ExistingRecordMatcher {
  /** Id of each record matched so far → the line that matched it. */
  private readonly matched = new Map<string, number>();

  constructor(
    private readonly object: ImportObject,
    private readonly matchOn: ImportMatch,
  ) {}

  private valueOf(row: MatchableRow): string | null {
    const value = row.record[fieldOf[this.matchOn]];
    return this.matchOn === 'externalId' ? normalizeExternalId(value) : (value ?? null);
  }

  private async holders(db: Executor, ctx: AccessContext, values: string[]): Promise<Map<string, string[]>> {
    if (this.object === 'contact') {
      const field = fieldOf[this.matchOn] as 'email' | 'external_id';
      return findPermittedContactIdsByLookup(db, importContext(ctx), field, values, { action: 'import.matched' });
    }
    const column = this.matchOn === 'domain' ? companies.domain : companies.externalId;
    const rows = await db
      .select({ id: companies.id, value: column })
      .from(companies)
      .where(and(eq(companies.tenantId, ctx.tenantId), inArray(column, values)))
      .orderBy(companies.id);
    const found = new Map<string, string[]>();
    for (const row of rows) if (row.value !== null) found.set(row.value, [...(found.get(row.value) ?? []), row.id]);
    return found;
  }

  /** Line → the record the row updates, or why the row is invalid; rows matching nothing are absent (they create). */
  async match(db: Executor, ctx: AccessContext, rows: MatchableRow[]): Promise<Map<number, RowMatch>> {
    const result = new Map<number, RowMatch>();
    const values = [...new Set(rows.flatMap((row) => this.valueOf(row) ?? []))];
    if (values.length === 0) return result;
    const holders = await this.holders(db, ctx, values);
    const field = fieldOf[this.matchOn];
    for (const row of rows) {
      const value = this.valueOf(row);
      const ids = value === null ? [] : (holders.get(value) ?? []);
      if (ids.length === 0) continue;
      const earlier = this.matched.get(ids[0]);
      if (ids.length > 1) result.set(row.line, { issue: { line: row.line, field, reason: `matches ${ids.length} existing records` } });
      else if (earlier !== undefined)
        result.set(row.line, { issue: { line: row.line, field, reason: `matches the record the row on line ${earlier} updates` } });
      else {
        this.matched.set(ids[0], row.line);
        result.set(row.line, { updates: ids[0] });
      }
    }
    if (this.object === 'contact') await this.refuseProtectedSubjects(db, ctx, result);
    return result;
  }

  /** The subject rules, as PATCH /contacts follows them: a restricted or objecting person is not updated. */
  private async refuseProtectedSubjects(db: Executor, ctx: AccessContext, result: Map<number, RowMatch>): Promise<void> {
    const updates = [...result.entries()].flatMap(([line, match]) => (match && 'updates' in match ? [{ line, id: match.updates }] : []));
    if (updates.length === 0) return;
    const purposeCtx = importContext(ctx);
    const policy = await contactPolicy(db, purposeCtx, 'import.matched');
    const denials = await writeDenialsOf(
      db,
      purposeCtx,
      policy.purpose,
      updates.map((update) => update.id),
    );
    for (const { line, id } of updates) {
      const reasons = denials.get(id);
      if (reasons) result.set(line, { issue: { line, field: 'row', reason: `matches a contact who may not be changed now (${reasons.join(', ')})` } });
    }
  }
}
