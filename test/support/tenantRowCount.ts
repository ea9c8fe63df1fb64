import type { TestDatabase } from './testDatabase.ts';

/** Rows of one workspace in a table, read raw: what a request wrote, or left unwritten. */
export async function tenantRowCount(database: TestDatabase, tenantId: string, table: string): Promise<number> {
  const [row] = await database.query<{ n: number }>(`select count(*)::int as n from ${table} where tenant_id = $1`, [tenantId]);
  return row.n;
}
