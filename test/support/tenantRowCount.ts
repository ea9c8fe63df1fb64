import type { TestDatabase } from './testDatabase.ts';

/** Rows of one workspace in a table, read raw: what a request wrote, or left unwritten. */
export async function tenantRowCount(database: TestDatabase, tenantId: string, table: string): Promise<number> {
  const [row] = await database.query<{ n: number }>(`select count(*)::int as n from ${table} where tenant_id = $1`, [tenantId]);
  return row.n;
}

/** Rows of the workspace in every table that has a tenant_id, by table. */
export async function workspaceRowCounts(database: TestDatabase, tenantId: string): Promise<Record<string, number>> {
  const tables = await database.query<{ table_name: string }>(
    "select table_name from information_schema.columns where table_schema = 'public' and column_name = 'tenant_id' order by table_name",
  );
  const counts: Record<string, number> = {};
  for (const { table_name } of tables) counts[table_name] = await tenantRowCount(database, tenantId, table_name);
  return counts;
}

/** The tables whose count changed between two workspaceRowCounts, with the change. */
export const rowCountDelta = (before: Record<string, number>, after: Record<string, number>) =>
  Object.fromEntries(Object.keys(after).flatMap((table) => (after[table] !== before[table] ? [[table, after[table] - (before[table] ?? 0)]] : [])));
