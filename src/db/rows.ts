import type { SQL } from 'drizzle-orm';
import type { Executor } from './connection.ts';

/** The rows of a drizzle execute() result: { rows } on both drivers (PGlite and node-postgres). */
export function rowsOf<Row>(result: unknown): Row[] {
  return (result as { rows: Row[] }).rows;
}

/** Runs one raw SQL statement and returns its rows. */
export async function selectRows<Row>(executor: Executor, query: SQL): Promise<Row[]> {
  return rowsOf<Row>(await executor.execute(query));
}
