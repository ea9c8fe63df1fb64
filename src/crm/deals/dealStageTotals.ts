import { and, count, eq, sql, sum } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { deals } from '../../db/schema/index.ts';
import type { PurposeContext } from '../../kernel/index.ts';

/** What a pipeline's stage holds: how many deals, and their amounts summed per currency (deals without an amount count, but add nothing). */
export type StageTotal = { stageId: string; count: number; amounts: Array<{ currency: string; amountMinor: number }> };

/**
 * The totals of each stage of a pipeline that has deals, for a board's column headers: one
 * grouped query instead of reading every deal. Amounts and counts are no one's personal
 * data, so no record is read through the kernel and nothing is audited; the caller's
 * context still had to pass the grant check for reading deals.
 */
export async function dealStageTotals(db: Executor, ctx: PurposeContext, pipelineId: string): Promise<StageTotal[]> {
  const rows = await db
    .select({ stageId: deals.stageId, currency: deals.currency, count: count(), amountMinor: sum(deals.amountMinor) })
    .from(deals)
    .where(and(eq(deals.tenantId, ctx.tenantId), eq(deals.pipelineId, pipelineId)))
    .groupBy(deals.stageId, deals.currency)
    .orderBy(deals.stageId, sql`${deals.currency} nulls first`);
  const totals = new Map<string, StageTotal>();
  for (const row of rows) {
    const total = totals.get(row.stageId) ?? { stageId: row.stageId, count: 0, amounts: [] };
    total.count += Number(row.count);
    if (row.currency !== null && row.amountMinor !== null) total.amounts.push({ currency: row.currency, amountMinor: Number(row.amountMinor) });
    totals.set(row.stageId, total);
  }
  return [...totals.values()];
}
