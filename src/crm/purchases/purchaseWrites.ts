import { and, eq, ne } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { newId } from '../../db/ids.ts';
import { purchaseLines, purchases } from '../../db/schema/index.ts';
import { violatesUniqueIndex } from '../../db/uniqueViolation.ts';
import { checkPeopleLinks, type PurposeContext } from '../../kernel/index.ts';
import { recordChange } from '../../platform/changes.ts';
import { DomainError, invalid, notFound, staleVersion } from '../../shared/domainError.ts';
import { assertActiveCurrency } from '../deals/currency.ts';
import { assertRecordInWorkspace } from '../deals/workspaceReferences.ts';
import type { PurchaseStatus } from './purchases.ts';
import { assertTotalMatches, totalOfLines, type PurchaseLineInput } from './purchaseTotals.ts';

export type PurchaseInput = {
  orderNumber: string;
  status?: PurchaseStatus;
  currency: string;
  lines: PurchaseLineInput[];
  /** Optional check: refused when it differs from the total of the lines. */
  totalMinor?: number;
  purchasedAt?: Date;
  contactId?: string | null;
  companyId?: string | null;
};
export type PurchasePatch = Partial<PurchaseInput>;

const orderNumberIndex = 'purchases_order_number_idx';

const duplicateOrderNumber = () =>
  new DomainError('duplicate', 'Another purchase of this workspace has this order number.', [
    { field: 'orderNumber', reason: 'already used by another purchase' },
  ]);

async function guardOrderNumber<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    // The unique index decides between concurrent writers.
    if (violatesUniqueIndex(error, orderNumberIndex)) throw duplicateOrderNumber();
    throw error;
  }
}

function cleanOrderNumber(orderNumber: string): string {
  const trimmed = orderNumber.trim();
  if (trimmed.length === 0) throw invalid('orderNumber', 'must not be blank');
  return trimmed;
}

function cleanLines(lines: PurchaseLineInput[]): PurchaseLineInput[] {
  if (lines.length === 0) throw invalid('lines', 'an order needs at least one line');
  return lines.map((line, index) => {
    const name = line.name.trim();
    if (name.length === 0) throw invalid(`lines.${index}.name`, 'must not be blank');
    return { sku: line.sku?.trim() || null, name, quantity: line.quantity, unitPriceMinor: line.unitPriceMinor };
  });
}

async function assertOrderNumberFree(tx: Executor, tenantId: string, orderNumber: string, exceptId: string | null): Promise<void> {
  const [clash] = await tx
    .select({ id: purchases.id })
    .from(purchases)
    .where(and(eq(purchases.tenantId, tenantId), eq(purchases.orderNumber, orderNumber), exceptId ? ne(purchases.id, exceptId) : undefined))
    .limit(1);
  if (clash) throw duplicateOrderNumber();
}

/**
 * The buyer and company must be records of the workspace, and the buyer a person the
 * purpose may write about; a buyer the caller cannot see (reads leave them out) may not be
 * replaced or cleared.
 */
async function assertLinks(
  tx: Executor,
  ctx: PurposeContext,
  input: Pick<PurchasePatch, 'contactId' | 'companyId'>,
  currentContactId: string | null = null,
): Promise<void> {
  if (input.contactId) await assertRecordInWorkspace(tx, ctx.tenantId, 'contact', 'contactId', input.contactId);
  if (input.companyId) await assertRecordInWorkspace(tx, ctx.tenantId, 'company', 'companyId', input.companyId);
  if (input.contactId !== undefined) {
    await checkPeopleLinks(tx, ctx, {
      field: 'contactId',
      single: true,
      wanted: input.contactId ? [input.contactId] : [],
      current: currentContactId ? [currentContactId] : [],
    });
  }
}

async function insertLines(tx: Executor, tenantId: string, purchaseId: string, lines: PurchaseLineInput[]): Promise<void> {
  await tx.insert(purchaseLines).values(
    lines.map((line, lineNumber) => ({
      tenantId,
      purchaseId,
      lineNumber,
      sku: line.sku ?? null,
      name: line.name,
      quantity: line.quantity,
      unitPriceMinor: line.unitPriceMinor,
    })),
  );
}

export async function createPurchase(tx: Executor, ctx: PurposeContext, input: PurchaseInput): Promise<string> {
  const orderNumber = cleanOrderNumber(input.orderNumber);
  assertActiveCurrency('currency', input.currency);
  const lines = cleanLines(input.lines);
  const totalMinor = totalOfLines(lines);
  assertTotalMatches(input.totalMinor, totalMinor);
  await assertLinks(tx, ctx, input);
  await assertOrderNumberFree(tx, ctx.tenantId, orderNumber, null);
  const id = newId();
  const now = new Date();
  await guardOrderNumber(() =>
    tx.insert(purchases).values({
      tenantId: ctx.tenantId,
      id,
      orderNumber,
      status: input.status ?? 'completed',
      currency: input.currency,
      totalMinor,
      purchasedAt: input.purchasedAt ?? now,
      contactId: input.contactId ?? null,
      companyId: input.companyId ?? null,
      createdAt: now,
      updatedAt: now,
    }),
  );
  await insertLines(tx, ctx.tenantId, id, lines);
  await recordChange(tx, ctx, {
    object: 'purchase',
    recordId: id,
    kind: 'created',
    fields: [...Object.keys(input).filter((key) => key !== 'totalMinor'), 'totalMinor'],
  });
  return id;
}

async function lockPurchase(tx: Executor, ctx: PurposeContext, id: string, expectedVersion: number | null) {
  const [row] = await tx
    .select()
    .from(purchases)
    .where(and(eq(purchases.tenantId, ctx.tenantId), eq(purchases.id, id)))
    .for('update');
  if (!row) throw notFound('purchase');
  if (expectedVersion !== null && row.version !== expectedVersion) throw staleVersion(row.version);
  return row;
}

export async function updatePurchase(tx: Executor, ctx: PurposeContext, id: string, expectedVersion: number, patch: PurchasePatch): Promise<void> {
  const current = await lockPurchase(tx, ctx, id, expectedVersion);
  const values: Partial<typeof purchases.$inferInsert> = {};
  const changed = new Set(Object.keys(patch).filter((key) => key !== 'totalMinor'));
  if (patch.orderNumber !== undefined) {
    values.orderNumber = cleanOrderNumber(patch.orderNumber);
    await assertOrderNumberFree(tx, ctx.tenantId, values.orderNumber, id);
  }
  if (patch.currency !== undefined) {
    assertActiveCurrency('currency', patch.currency);
    values.currency = patch.currency;
  }
  const lines = patch.lines !== undefined ? cleanLines(patch.lines) : null;
  const totalMinor = lines ? totalOfLines(lines) : current.totalMinor;
  assertTotalMatches(patch.totalMinor, totalMinor);
  if (lines && totalMinor !== current.totalMinor) {
    values.totalMinor = totalMinor;
    changed.add('totalMinor');
  }
  await assertLinks(tx, ctx, patch, current.contactId);
  if (patch.contactId !== undefined) values.contactId = patch.contactId;
  if (patch.companyId !== undefined) values.companyId = patch.companyId;
  if (patch.status !== undefined) values.status = patch.status;
  if (patch.purchasedAt !== undefined) values.purchasedAt = patch.purchasedAt;
  if (lines) {
    await tx.delete(purchaseLines).where(and(eq(purchaseLines.tenantId, ctx.tenantId), eq(purchaseLines.purchaseId, id)));
    await insertLines(tx, ctx.tenantId, id, lines);
  }
  await guardOrderNumber(() =>
    tx
      .update(purchases)
      .set({ ...values, version: current.version + 1, updatedAt: new Date() })
      .where(and(eq(purchases.tenantId, ctx.tenantId), eq(purchases.id, id))),
  );
  await recordChange(tx, ctx, { object: 'purchase', recordId: id, kind: 'updated', fields: [...changed] });
}

export async function deletePurchase(tx: Executor, ctx: PurposeContext, id: string, expectedVersion: number | null): Promise<void> {
  await lockPurchase(tx, ctx, id, expectedVersion);
  await tx.delete(purchases).where(and(eq(purchases.tenantId, ctx.tenantId), eq(purchases.id, id)));
  await recordChange(tx, ctx, { object: 'purchase', recordId: id, kind: 'deleted' });
}
