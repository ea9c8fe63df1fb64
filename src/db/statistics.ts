import { sql } from 'drizzle-orm';
import type { Executor } from './connection.ts';
import { selectRows } from './rows.ts';

/*
 * Planner statistics for the tables that grow in bulk. PostgreSQL plans from them: without
 * them (a table never analyzed) or with stale ones (analyzed when it held 100 rows, now
 * 100,000) an exact lookup by token was planned as a scan of every row. Autovacuum
 * refreshes them on a PostgreSQL server, but only some time after a bulk load, and PGlite
 * has no autovacuum at all; so Candor runs ANALYZE itself after its own bulk loads and, on
 * the embedded database, checks them when it starts.
 */

/** The tables that grow with a workspace: contacts and their lookup tokens and keys, and the records around them. */
export const largeTables = [
  'contacts',
  'lookup_tokens',
  'subject_keys',
  'companies',
  'deals',
  'deal_contacts',
  'activities',
  'activity_links',
  'purchases',
  'events',
  'visitors',
] as const;

export type LargeTable = (typeof largeTables)[number];

// Statistics are far off when the table's size moved by more than this since ANALYZE last
// measured it (autovacuum's default is 10% of the rows changed, plus 50).
const stalePageSlack = 1;
const staleShare = 0.1;

async function analyze(executor: Executor, tables: readonly LargeTable[]): Promise<void> {
  // One table per statement: a list is allowed, but each name is then checked alone. The
  // names come from largeTables, never from input.
  for (const table of tables) await executor.execute(sql`analyze ${sql.identifier(table)}`);
}

/**
 * The tables whose statistics are missing or far from the table's real size: never analyzed
 * with rows in them, or a page count (relpages, set by ANALYZE) more than 10% away from the
 * file's current size. The size comes from the file, so the check needs no statistics
 * collector (whose counters a crash of the embedded database loses) and no count of the
 * rows a load added.
 */
export async function tablesWithStaleStatistics(executor: Executor, tables: readonly LargeTable[] = largeTables): Promise<LargeTable[]> {
  const rows = await selectRows<{ relname: LargeTable; reltuples: number; relpages: number; pages: number }>(
    executor,
    sql`select relname, reltuples::float8 as reltuples, relpages, (pg_relation_size(oid) / current_setting('block_size')::int)::int as pages
        from pg_class where relkind = 'r' and relnamespace = 'public'::regnamespace and relname = any(${sql.param([...tables])}::text[])`,
  );
  return rows
    .filter((row) => {
      const pages = Number(row.pages);
      if (Number(row.reltuples) < 0) return pages > 0;
      return Math.abs(pages - Number(row.relpages)) > stalePageSlack + staleShare * Number(row.relpages);
    })
    .map((row) => row.relname);
}

/**
 * ANALYZE the tables (default: all large tables) whose statistics are missing or far off;
 * returns them. Called after a bulk load commits (ANALYZE samples what is visible, under a
 * lock that lets writes go on, and reads at most 30,000 rows a table, so its cost does not
 * grow with the table) and at start on the embedded database, which has no autovacuum.
 */
export async function refreshStaleStatistics(executor: Executor, tables: readonly LargeTable[] = largeTables): Promise<LargeTable[]> {
  const stale = await tablesWithStaleStatistics(executor, tables);
  await analyze(executor, stale);
  return stale;
}
