import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { purchaseLines, purchases } from '../../db/schema/index.ts';
import { readLinkedRecords, type LinkedWithheld, type PersonLinks, type PurposeContext } from '../../kernel/index.ts';
import { countUpTo, type CappedCount } from '../../db/cappedCount.ts';
import { keysetCondition, keysetOrderBy, pageOf, parseSort, type SortColumn } from '../../shared/keyset.ts';
import { notFound } from '../../shared/domainError.ts';

export const purchaseStatuses = ['pending', 'completed', 'refunded', 'cancelled'] as const;
export type PurchaseStatus = (typeof purchaseStatuses)[number];

/** Line-item names are product names, not personal data, so they live in plain columns. */
export type PurchaseLine = { sku: string | null; name: string; quantity: number; unitPriceMinor: number };

type PurchaseRow = typeof purchases.$inferSelect;
/** contactId is absent when the purpose may not process the buyer (see the read's `withheld`). */
export type Purchase = Omit<PurchaseRow, 'tenantId' | 'status' | 'contactId'> & { status: PurchaseStatus; lines: PurchaseLine[]; contactId?: string | null };
/** Purchases as the purpose may see them. */
export type PurchaseRead<Data> = { data: Data; withheld: LinkedWithheld[] };

export type PurchaseListQuery = {
  contactId?: string;
  companyId?: string;
  status?: PurchaseStatus;
  sort?: string;
  cursor?: string;
  limit: number;
  /** Also count the purchases the filters match, up to this many (count=true). */
  countCap?: number;
};

export const purchaseSorts: Record<string, SortColumn> = {
  purchasedAt: { column: purchases.purchasedAt, kind: 'timestamp' },
  totalMinor: { column: purchases.totalMinor, kind: 'number' },
  createdAt: { column: purchases.createdAt, kind: 'timestamp' },
};
const sortValue: Record<string, (row: PurchaseRow) => unknown> = {
  purchasedAt: (row) => row.purchasedAt,
  totalMinor: (row) => row.totalMinor,
  createdAt: (row) => row.createdAt,
};
export const defaultPurchaseSort = '-purchasedAt';

async function linesByPurchase(db: Executor, tenantId: string, purchaseIds: string[]): Promise<Map<string, PurchaseLine[]>> {
  const byPurchase = new Map<string, PurchaseLine[]>(purchaseIds.map((id) => [id, []]));
  if (purchaseIds.length === 0) return byPurchase;
  const rows = await db
    .select()
    .from(purchaseLines)
    .where(and(eq(purchaseLines.tenantId, tenantId), inArray(purchaseLines.purchaseId, purchaseIds)))
    .orderBy(asc(purchaseLines.purchaseId), asc(purchaseLines.lineNumber));
  for (const row of rows) {
    byPurchase.get(row.purchaseId)?.push({ sku: row.sku, name: row.name, quantity: row.quantity, unitPriceMinor: row.unitPriceMinor });
  }
  return byPurchase;
}

async function withLines(db: Executor, tenantId: string, rows: PurchaseRow[]): Promise<Purchase[]> {
  const lines = await linesByPurchase(
    db,
    tenantId,
    rows.map((row) => row.id),
  );
  return rows.map(({ tenantId: _tenant, ...row }) => ({ ...row, status: row.status as PurchaseStatus, lines: lines.get(row.id) ?? [] }));
}

const buyer: PersonLinks<Purchase> = {
  field: 'contactId',
  of: (purchase) => (purchase.contactId ? [purchase.contactId] : []),
  keep: ({ contactId, ...purchase }, kept) => (kept.length > 0 ? { ...purchase, contactId } : purchase),
};

/** One purchase through the kernel (grant, the buyer's rules, one audit entry); 404 when there is none. */
export async function getPurchase(db: Executor, ctx: PurposeContext, id: string): Promise<PurchaseRead<Purchase>> {
  const read = await readLinkedRecords(db, ctx, {
    object: 'purchase',
    action: 'purchase.read',
    recordId: (purchase: Purchase) => purchase.id,
    people: buyer,
    async read(tx) {
      const rows = await tx
        .select()
        .from(purchases)
        .where(and(eq(purchases.tenantId, ctx.tenantId), eq(purchases.id, id)));
      if (rows.length === 0) throw notFound('purchase');
      return { rows: await withLines(tx, ctx.tenantId, rows) };
    },
  });
  return { data: read.rows[0], withheld: read.withheld };
}

/** A page of purchases through the kernel: one query for the page, one for its lines, one for the buyers' rules, one audit entry. */
export async function listPurchases(
  db: Executor,
  ctx: PurposeContext,
  query: PurchaseListQuery,
): Promise<PurchaseRead<Purchase[]> & { nextCursor: string | null; count?: CappedCount }> {
  const order = parseSort(query.sort, purchaseSorts, defaultPurchaseSort);
  const page = await readLinkedRecords(db, ctx, {
    object: 'purchase',
    action: 'purchase.listed',
    recordId: (purchase: Purchase) => purchase.id,
    people: buyer,
    filteredBy: query.contactId ? { field: 'contactId', contactIds: [query.contactId] } : undefined,
    async read(tx) {
      const conditions: Array<SQL | undefined> = [
        eq(purchases.tenantId, ctx.tenantId),
        query.contactId ? eq(purchases.contactId, query.contactId) : undefined,
        query.companyId ? eq(purchases.companyId, query.companyId) : undefined,
        query.status ? eq(purchases.status, query.status) : undefined,
      ];
      const rows = await tx
        .select()
        .from(purchases)
        .where(and(...conditions, keysetCondition(order, purchases.id, query.cursor)))
        .orderBy(...keysetOrderBy(order, purchases.id))
        .limit(query.limit + 1);
      const page = pageOf(rows, query.limit, order, sortValue[order.name.replace(/^-/, '')], (row) => row.id);
      const count = query.countCap === undefined ? undefined : await countUpTo(tx, purchases, and(...conditions), query.countCap);
      return { rows: await withLines(tx, ctx.tenantId, page.data), nextCursor: page.nextCursor, ...(count ? { count } : {}) };
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
