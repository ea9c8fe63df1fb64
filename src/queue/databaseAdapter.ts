import { sql, type SQL } from 'drizzle-orm';
import type PgBoss from 'pg-boss';
import type { Database, Executor } from '../db/connection.ts';

/** What pg-boss needs from a database: one method that runs SQL and returns rows. */
export type JobDatabase = PgBoss.Db;

type Rows = { rows: Record<string, unknown>[] };

/**
 * pg-boss over Candor's own connection, so jobs live in the same database (PGlite
 * included) and no second pool is opened. pg-boss installs its schema with multi-statement
 * scripts sent without values; PGlite's `query` refuses those, so they go through `exec`.
 */
export function jobDatabase(database: Database): JobDatabase {
  if (database.pglite) {
    const client = database.pglite;
    return {
      async executeSql(text: string, values?: unknown[]): Promise<Rows> {
        if (values && values.length > 0) return client.query<Record<string, unknown>>(text, values);
        const results = await client.exec(text);
        return { rows: (results.at(-1)?.rows ?? []) as Record<string, unknown>[] };
      },
    };
  }
  if (database.pool) {
    const pool = database.pool;
    // Without values node-postgres uses the simple protocol, which accepts scripts.
    return { executeSql: (text: string, values?: unknown[]) => pool.query(text, values) };
  }
  throw new Error('The job runner needs a PGlite client or a PostgreSQL pool.');
}

/**
 * pg-boss inside an open drizzle transaction (or on the database itself). A job sent here
 * commits or rolls back with the caller's writes. On PGlite this is the only safe way: the
 * single connection is held by the transaction, so a query through the client would wait
 * for the transaction that is waiting for it.
 */
export function executorJobDatabase(executor: Executor): JobDatabase {
  return {
    async executeSql(text: string, values: unknown[] = []): Promise<Rows> {
      const result = (await executor.execute(withParameters(text, values))) as unknown as Rows;
      return { rows: result.rows };
    },
  };
}

/**
 * Turns pg-boss's "$1 … $n" text into a drizzle SQL object with the same values bound as
 * parameters (never spliced in). Only used for pg-boss's job-insert statements, which have
 * no dollar-quoted bodies.
 */
export function withParameters(text: string, values: unknown[]): SQL {
  const chunks: SQL[] = [];
  let last = 0;
  for (const match of text.matchAll(/\$(\d+)/g)) {
    const index = Number(match[1]) - 1;
    if (index < 0 || index >= values.length) throw new Error(`Statement refers to parameter $${index + 1} but ${values.length} were given.`);
    chunks.push(sql.raw(text.slice(last, match.index)), sql`${sql.param(asParameter(values[index]))}`);
    last = match.index + match[0].length;
  }
  chunks.push(sql.raw(text.slice(last)));
  return sql.join(chunks);
}

// Both drivers take a JSON string for a jsonb parameter; objects are serialised here so
// node-postgres and PGlite see the same text.
function asParameter(value: unknown): unknown {
  if (value === undefined) return null;
  if (value !== null && typeof value === 'object' && !(value instanceof Date) && !Array.isArray(value)) return JSON.stringify(value);
  return value;
}
