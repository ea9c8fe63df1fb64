import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/node-postgres';
import type { AppDatabase, Database } from '../../src/db/connection.ts';
import * as schema from '../../src/db/schema/index.ts';

export type StatementLog = {
  /** A drizzle instance over the database's own client that records every statement it sends. */
  db: AppDatabase;
  /** The statements sent since the last clear, whitespace folded, in order. */
  statements(): string[];
  clear(): void;
};

/**
 * Records what reaches the driver, BEGIN and COMMIT included on PostgreSQL (drizzle sends
 * them as statements there; PGlite's transaction() issues them itself, unseen).
 */
export function statementLog(database: Pick<Database, 'pglite' | 'pool'>): StatementLog {
  let statements: string[] = [];
  const logger = { logQuery: (query: string) => statements.push(query.replace(/\s+/g, ' ').trim()) };
  const db = database.pglite
    ? (drizzlePglite(database.pglite, { schema, logger }) as unknown as AppDatabase)
    : (drizzlePostgres(database.pool!, { schema, logger }) as unknown as AppDatabase);
  return {
    db,
    statements: () => [...statements],
    clear: () => {
      statements = [];
    },
  };
}
