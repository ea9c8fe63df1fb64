import { and, eq, inArray, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { dealContacts, deals } from '../../db/schema/index.ts';
import { readLinkedRecords, type LinkedWithheld, type PersonLinks, type CustomValues, type PurposeContext } from '../../kernel/index.ts';
import { countUpTo, type CappedCount } from '../../db/cappedCount.ts';
import { pageOf, parseSort, readKeysetRows, type SortColumn } from '../../shared/keyset.ts';
import { notFound } from '../../shared/domainError.ts';
import { contactIdsByDeal } from './dealContacts.ts';

type DealRow = typeof deals.$inferSelect;

export type Deal = {
  id: string;
  pipelineId: string;
  stageId: string;
  name: string;
  amountMinor: number | null;
  currency: string | null;
  companyId: string | null;
  ownerId: string | null;
  /** ISO date, YYYY-MM-DD. */
  expectedCloseDate: string | null;
  closedAt: Date | null;
  customFields: Record<string, unknown>;
  contactIds: string[];
  createdAt: Date;
  updatedAt: Date;
  version: number;
};

export type DealListQuery = {
  pipelineId?: string;
  stageId?: string;
  ownerId?: string;
  companyId?: string;
  contactId?: string;
  sort?: string;
  cursor?: string;
  limit: number;
  /** Also count the deals the filters match, up to this many (count=true). */
  countCap?: number;
};

const amountSort: SortColumn = { column: deals.amountMinor, kind: 'number', nullable: true };
export const dealSorts: Record<string, SortColumn> = {
  createdAt: { column: deals.createdAt, kind: 'timestamp' },
  updatedAt: { column: deals.updatedAt, kind: 'timestamp' },
  amount: amountSort,
  amountMinor: amountSort,
  expectedCloseDate: { column: deals.expectedCloseDate, kind: 'date', nullable: true },
};
const sortValue: Record<string, (row: DealRow) => unknown> = {
  createdAt: (row) => row.createdAt,
  updatedAt: (row) => row.updatedAt,
  amount: (row) => row.amountMinor,
  amountMinor: (row) => row.amountMinor,
  expectedCloseDate: (row) => row.expectedCloseDate,
};
export const defaultDealSort = '-createdAt';

function toDeal(row: DealRow, contactIds: string[]): Deal {
  return {
    id: row.id,
    pipelineId: row.pipelineId,
    stageId: row.stageId,
    name: row.name,
    amountMinor: row.amountMinor,
    currency: row.currency,
    companyId: row.companyId,
    ownerId: row.ownerId,
    expectedCloseDate: row.expectedCloseDate,
    closedAt: row.closedAt,
    customFields: row.custom,
    contactIds,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    version: row.version,
  };
}

/** Deals as the purpose may see them: people it may not process are left out of contactIds (see `withheld`). */
export type DealRead<Data> = { data: Data; withheld: LinkedWithheld[] };

const dealPeople: PersonLinks<Deal> = { field: 'contactIds', of: (deal) => deal.contactIds, keep: (deal, contactIds) => ({ ...deal, contactIds }) };
const dealCustomValues: CustomValues<Deal> = { of: (deal) => deal.customFields, keep: (deal, customFields) => ({ ...deal, customFields }) };

/** One deal through the kernel (grant, the linked people's rules, one audit entry); 404 when there is none. */
export async function getDeal(db: Executor, ctx: PurposeContext, id: string): Promise<DealRead<Deal>> {
  const read = await readLinkedRecords(db, ctx, {
    object: 'deal',
    action: 'deal.read',
    recordId: (deal: Deal) => deal.id,
    people: dealPeople,
    customValues: dealCustomValues,
    async read(tx) {
      const [row] = await tx
        .select()
        .from(deals)
        .where(and(eq(deals.tenantId, ctx.tenantId), eq(deals.id, id)));
      if (!row) throw notFound('deal');
      const contactIds = await contactIdsByDeal(tx, ctx.tenantId, [id]);
      return { rows: [toDeal(row, contactIds.get(id) ?? [])] };
    },
  });
  return { data: read.rows[0], withheld: read.withheld };
}

/** A page of deals through the kernel: one query for the page, one for its contacts, one for their rules, one audit entry. */
export async function listDeals(
  db: Executor,
  ctx: PurposeContext,
  query: DealListQuery,
): Promise<DealRead<Deal[]> & { nextCursor: string | null; count?: CappedCount }> {
  const order = parseSort(query.sort, dealSorts, defaultDealSort);
  const page = await readLinkedRecords(db, ctx, {
    object: 'deal',
    action: 'deal.listed',
    recordId: (deal: Deal) => deal.id,
    people: dealPeople,
    customValues: dealCustomValues,
    filteredBy: query.contactId ? { field: 'contactId', contactIds: [query.contactId] } : undefined,
    async read(tx) {
      const conditions: Array<SQL | undefined> = [
        eq(deals.tenantId, ctx.tenantId),
        query.pipelineId ? eq(deals.pipelineId, query.pipelineId) : undefined,
        query.stageId ? eq(deals.stageId, query.stageId) : undefined,
        query.ownerId ? eq(deals.ownerId, query.ownerId) : undefined,
        query.companyId ? eq(deals.companyId, query.companyId) : undefined,
        query.contactId
          ? inArray(
              deals.id,
              tx
                .select({ id: dealContacts.dealId })
                .from(dealContacts)
                .where(and(eq(dealContacts.tenantId, ctx.tenantId), eq(dealContacts.contactId, query.contactId))),
            )
          : undefined,
      ];
      const rows = await readKeysetRows(order, deals.id, query.cursor, query.limit, (after, orderBy, limit) =>
        tx
          .select()
          .from(deals)
          .where(and(...conditions, after))
          .orderBy(...orderBy)
          .limit(limit),
      );
      const page = pageOf(rows, query.limit, order, sortValue[order.name.replace(/^-/, '')], (row) => row.id);
      const contactIds = await contactIdsByDeal(
        tx,
        ctx.tenantId,
        page.data.map((row) => row.id),
      );
      const count = query.countCap === undefined ? undefined : await countUpTo(tx, deals, and(...conditions), query.countCap);
      return { rows: page.data.map((row) => toDeal(row, contactIds.get(row.id) ?? [])), nextCursor: page.nextCursor, ...(count ? { count } : {}) };
    },
  });
  // An empty page has no next one (and a page refused for its filter is empty).
  return {
    data: page.rows,
    withheld: page.withheld,
    nextCursor: page.rows.length === 0 ? null : page.nextCursor,
    ...('count' in page ? { count: page.count } : {}),
  };
}
