import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { purchaseLines, purchases } from '../../db/schema/index.ts';
import type { AccessContext } from '../../kernel/index.ts';
import { keysetCondition, keysetOrderBy, pageOf, parseSort, type SortColumn } from '../../platform/keyset.ts';
import { notFound } from '../../shared/domainError.ts';

export const purchaseStatuses = ['pending', 'completed', 'refunded', 'cancelled'] as const;
export type PurchaseStatus = (typeof purchaseStatuses)[number];

/** Line-item names are product names, not personal data, so they live in plain columns. */
export type PurchaseLine = { sku: string | null; name: string; quantity: number; unitPriceMinor: number };

type PurchaseRow = typeof purchases.$inferSelect;
export type Purchase = Omit<PurchaseRow, 'tenantId' | 'status'> & { status: PurchaseStatus; lines: PurchaseLine[] };

export type PurchaseListQuery = {
  contactId?: string;
  companyId?: string;
  status?: PurchaseStatus;
  sort?: string;
  cursor?: string;
  limit: number;
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
  const lines = await linesByPurchase(db, tenantId, rows.map((row) => row.id));
  return rows.map(({ tenantId: _tenant, ...row }) => ({ ...row, status: row.status as PurchaseStatus, lines: lines.get(row.id) ?? [] }));
}

export async function getPurchase(db: Executor, ctx: AccessContext, id: string): Promise<Purchase> {
  const rows = await db.select().from(purchases).where(and(eq(purchases.tenantId, ctx.tenantId), eq(purchases.id, id)));
  if (rows.length === 0) throw notFound('purchase');
  const [purchase] = await withLines(db, ctx.tenantId, rows);
  return purchase;
}

export async function listPurchases(db: Executor, ctx: AccessContext, query: PurchaseListQuery): Promise<{ data: Purchase[]; nextCursor: string | null }> {
  const order = parseSort(query.sort, purchaseSorts, defaultPurchaseSort);
  const conditions: Array<SQL | undefined> = [
    eq(purchases.tenantId, ctx.tenantId),
    query.contactId ? eq(purchases.contactId, query.contactId) : undefined,
    query.companyId ? eq(purchases.companyId, query.companyId) : undefined,
    query.status ? eq(purchases.status, query.status) : undefined,
    keysetCondition(order, purchases.id, query.cursor),
  ];
  const rows = await db
    .select()
    .from(purchases)
    .where(and(...conditions))
    .orderBy(...keysetOrderBy(order, purchases.id))
    .limit(query.limit + 1);
  const page = pageOf(rows, query.limit, order, sortValue[order.name.replace(/^-/, '')], (row) => row.id);
  return { data: await withLines(db, ctx.tenantId, page.data), nextCursor: page.nextCursor };
}
