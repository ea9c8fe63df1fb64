import type { TestDatabase } from './testDatabase.ts';

/*
 * Scans of a whole database for a string, as the erasure acceptance asks: EVERY base table
 * of every schema but the system catalogs (so pg-boss's job tables too), found through
 * information_schema rather than a list that could forget a new table, each row read whole
 * as text. Case-insensitive.
 */

/** Every base table outside the system schemas, as "schema.table". */
export async function everyTable(database: TestDatabase): Promise<string[]> {
  const rows = await database.query<{ name: string }>(`
    select table_schema || '.' || table_name as name from information_schema.tables
    where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema') and table_schema not like 'pg_toast%'
    order by 1`);
  return rows.map((row) => row.name);
}

const quoted = (name: string) =>
  name
    .split('.')
    .map((part) => `"${part.replaceAll('"', '""')}"`)
    .join('.');

/** For each table with rows whose text holds `needle`: "schema.table" → how many rows. */
export async function tablesHolding(database: TestDatabase, needle: string): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  for (const table of await everyTable(database)) {
    const [{ n }] = await database.query<{ n: number }>(`select count(*)::int as n from ${quoted(table)} t where strpos(lower(t::text), lower($1)) > 0`, [
      needle,
    ]);
    if (n > 0) found.set(table, n);
  }
  return found;
}

/** The needles found anywhere, each as "schema.table: needle". */
export async function scanForAll(database: TestDatabase, needles: readonly string[]): Promise<string[]> {
  const hits: string[] = [];
  for (const needle of needles) for (const table of (await tablesHolding(database, needle)).keys()) hits.push(`${table}: ${needle}`);
  return hits;
}

/** A table name without its schema when it is in public ("public.contacts" → "contacts"). */
export const tableName = (qualified: string) => (qualified.startsWith('public.') ? qualified.slice('public.'.length) : qualified);
