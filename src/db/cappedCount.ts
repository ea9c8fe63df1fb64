import { sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Executor } from './connection.ts';
import { rowsOf } from './rows.ts';

/**
 * A list's `total` when the client asked for it (`?count=true`): the exact number of rows
 * the list's own filter matches, up to `cap`; beyond it `total` is the cap and
 * `totalIsLowerBound` says there are more. The count stops reading at cap + 1 rows, so it
 * costs at most that whatever the workspace size.
 */
export type CappedCount = { total: number; totalIsLowerBound: boolean };

/**
 * Counts rows of a list table (primary key tenant_id, id, as every list table has) matching
 * `where`. Read in primary-key order so the plan is an index scan that stops at cap + 1
 * rows: left to itself the planner preferred a bitmap scan, which first collects every
 * matching entry of the workspace (100,000 at 100k contacts) before the limit applies.
 */
export async function countUpTo(executor: Executor, table: PgTable, where: SQL | undefined, cap: number): Promise<CappedCount> {
  const [row] = rowsOf<{ n: number }>(
    await executor.execute(
      sql`select count(*)::int as n from (select 1 from ${table} ${where ? sql`where ${where}` : sql``} order by tenant_id, id limit ${cap + 1}) as counted`,
    ),
  );
  const counted = Number(row.n);
  return { total: Math.min(counted, cap), totalIsLowerBound: counted > cap };
}
