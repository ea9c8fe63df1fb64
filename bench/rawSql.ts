import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type pg from 'pg';
import type { Database } from '../src/db/connection.ts';

/*
 * The baselines: SQL sent straight to the driver (PGlite's client or a pg pool client),
 * without Candor, drizzle, validation or HTTP in between.
 */

export type RawQuery = (text: string, params?: unknown[]) => Promise<unknown[]>;

export async function rawTransaction(database: Database, work: (query: RawQuery) => Promise<void>): Promise<void> {
  if (database.pglite) {
    await database.pglite.transaction(async (tx) => work(async (text, params) => (await tx.query(text, params)).rows));
    return;
  }
  if (!database.pool) throw new Error('The database has neither a PGlite client nor a pg pool.');
  await poolTransaction(database.pool, (client) => work(async (text, params) => (await client.query(text, params)).rows));
}

/** BEGIN … COMMIT on one pooled client, ROLLBACK when `work` throws. */
async function poolTransaction(pool: NonNullable<Database['pool']>, work: (client: pg.PoolClient) => Promise<void>): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await work(client);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}

/** INSERT … VALUES (…), (…), … of `rows` (each an array of column values), `chunkRows` rows per statement. */
export async function multiRowInsert(query: RawQuery, table: string, columns: readonly string[], rows: readonly unknown[][], chunkRows: number): Promise<void> {
  for (let start = 0; start < rows.length; start += chunkRows) {
    const chunk = rows.slice(start, start + chunkRows);
    const params: unknown[] = [];
    const tuples: string[] = [];
    for (const row of chunk) {
      const base = params.length;
      tuples.push(`(${row.map((_, column) => `$${base + column + 1}`).join(',')})`);
      params.push(...row);
    }
    await query(`insert into ${table} (${columns.join(', ')}) values ${tuples.join(',')}`, params);
  }
}

const copyEscapes: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
// bytea as hex (\x…, its backslash escaped as COPY's text format wants); everything else as text.
const copyField = (value: unknown) =>
  value === null || value === undefined
    ? '\\N'
    : Buffer.isBuffer(value)
      ? `\\\\x${value.toString('hex')}`
      : String(value).replace(/[\\\t\n\r]/g, (character) => copyEscapes[character]);

/**
 * COPY … FROM STDIN (text format) of `rows` in one transaction; PostgreSQL only. `rows` may
 * be produced inside the transaction (e.g. after reading the keys that seal them).
 */
export async function copyInsert(
  database: Database,
  table: string,
  columns: readonly string[],
  source: readonly unknown[][] | ((query: RawQuery) => Promise<readonly unknown[][]>),
): Promise<void> {
  if (!database.pool) throw new Error('COPY FROM STDIN needs PostgreSQL.');
  await poolTransaction(database.pool, async (client) => {
    const rows = typeof source === 'function' ? await source(async (text, params) => (await client.query(text, params)).rows) : source;
    const text = `${rows.map((row) => row.map(copyField).join('\t')).join('\n')}\n`;
    await pipeline(Readable.from([text]), client.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin`)));
  });
}
