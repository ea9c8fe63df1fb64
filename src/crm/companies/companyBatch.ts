import { and, eq, sql } from 'drizzle-orm';
import type { Executor, Transaction } from '../../db/connection.ts';
import { companies } from '../../db/schema/index.ts';
import type { AccessContext } from '../../kernel/index.ts';
import { DomainError, invalid } from '../../shared/domainError.ts';
import { normalizeDomain } from '../../shared/normalize.ts';
import { runBatch, type BatchMode, type ItemOutcome, type ItemResult } from '../batch/batchRunner.ts';
import { createCompany, updateCompany, type CompanyChangeInput, type CompanyCreateInput } from './companyService.ts';

/*
 * Batch create, update and upsert of companies (POST /companies/batch) through the
 * single-record service functions (createCompany, updateCompany: the same validation, audit
 * entry and webhook per record; an update reads its company once). Companies are organisations, not data subjects: an upsert
 * matches the plain `external_id` or `domain` column (both indexed per workspace), under an
 * advisory lock on the value so concurrent upserts of one company take turns.
 */

export type CompanyMatch = 'externalId' | 'domain';
export type CompanyBatchItem =
  | { op: 'create'; data: CompanyCreateInput }
  | { op: 'update'; id: string; version?: number; data: CompanyChangeInput }
  | { op: 'upsert'; data: CompanyCreateInput };
export type CompanyBatchRequest = { mode: BatchMode; matchOn?: CompanyMatch; items: CompanyBatchItem[] };

/** The normalised value an upsert matches on, or null when the item has none. */
function matchValueOf(data: CompanyCreateInput, matchOn: CompanyMatch): string | null {
  if (matchOn === 'domain') return typeof data.domain === 'string' ? normalizeDomain(data.domain) : null;
  return data.externalId?.trim() || null;
}

function matchValue(data: CompanyCreateInput, matchOn: CompanyMatch): string {
  const value = matchValueOf(data, matchOn);
  if (value) return value;
  throw matchOn === 'domain'
    ? invalid('domain', 'an upsert matched on domain needs a domain name such as example.com')
    : invalid('externalId', 'an upsert matched on externalId needs an external id');
}

/** Serialises upserts of the same companies until the transaction ends; sorted, so batches queue rather than deadlock. */
async function lockMatchValues(tx: Executor, ctx: AccessContext, matchOn: CompanyMatch, values: string[]): Promise<void> {
  for (const value of [...new Set(values)].sort()) {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`company:${matchOn}:${ctx.tenantId}:${value}`}, 0))`);
  }
}

/** The companies an upsert matches; its value was locked with the whole batch's (runCompanyBatch). */
async function companiesMatching(tx: Executor, ctx: AccessContext, matchOn: CompanyMatch, value: string): Promise<string[]> {
  const column = matchOn === 'domain' ? companies.domain : companies.externalId;
  const rows = await tx
    .select({ id: companies.id })
    .from(companies)
    .where(and(eq(companies.tenantId, ctx.tenantId), eq(column, value)))
    .orderBy(companies.id);
  return rows.map((row) => row.id);
}

const withoutSource = ({ source: _source, ...change }: CompanyCreateInput): CompanyChangeInput => change;

async function applyItem(tx: Transaction, ctx: AccessContext, item: CompanyBatchItem, request: CompanyBatchRequest): Promise<ItemOutcome> {
  if (item.op === 'create') return { id: (await createCompany(tx, ctx, item.data)).id, outcome: 'created' };
  if (item.op === 'update') {
    await updateCompany(tx, ctx, item.id, item.version ?? null, item.data);
    return { id: item.id, outcome: 'updated' };
  }
  const matchOn = request.matchOn ?? 'externalId';
  const holders = await companiesMatching(tx, ctx, matchOn, matchValue(item.data, matchOn));
  if (holders.length > 1) {
    throw new DomainError('conflict', 'More than one company matches.', [{ field: matchOn, reason: 'matches more than one company' }], {
      duplicateIds: holders,
    });
  }
  if (holders.length === 0) return { id: (await createCompany(tx, ctx, item.data)).id, outcome: 'created' };
  const [id] = holders;
  await updateCompany(tx, ctx, id, null, withoutSource(item.data));
  return { id, outcome: 'updated' };
}

/** Runs a company batch in the caller's transaction (see src/crm/batch/batchRunner.ts for the modes). */
export async function runCompanyBatch(tx: Transaction, ctx: AccessContext, request: CompanyBatchRequest): Promise<ItemResult[]> {
  const matchOn = request.matchOn ?? 'externalId';
  const values = request.items.flatMap((item) => (item.op === 'upsert' ? (matchValueOf(item.data, matchOn) ?? []) : []));
  await lockMatchValues(tx, ctx, matchOn, values);
  return runBatch(tx, request.mode, request.items, (savepoint, item) => applyItem(savepoint, ctx, item, request));
}
