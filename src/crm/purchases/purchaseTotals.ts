import { invalid } from '../../shared/domainError.ts';

export type PurchaseLineInput = { sku?: string | null; name: string; quantity: number; unitPriceMinor: number };

/**
 * Pure: an order's total in minor units, the sum of quantity × unit price. Totals beyond
 * 2^53 − 1 cannot be stored exactly (bigint read as a JS number), so they are refused.
 */
export function totalOfLines(lines: readonly PurchaseLineInput[]): number {
  let total = 0;
  lines.forEach((line, index) => {
    const lineTotal = line.quantity * line.unitPriceMinor;
    if (!Number.isSafeInteger(lineTotal)) throw invalid(`lines.${index}`, 'quantity × unitPriceMinor is larger than Candor can store exactly');
    total += lineTotal;
  });
  if (!Number.isSafeInteger(total)) throw invalid('lines', 'the order total is larger than Candor can store exactly');
  return total;
}

/** A client may send totalMinor as a check; it must equal the total of the lines. */
export function assertTotalMatches(sentTotal: number | undefined, computedTotal: number): void {
  if (sentTotal !== undefined && sentTotal !== computedTotal) {
    throw invalid('totalMinor', `does not match the sum of the lines (${computedTotal}); leave it out to have it computed`);
  }
}
