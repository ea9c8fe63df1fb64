import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDatabase } from '../src/db/connection.ts';
import * as schema from '../src/db/schema/index.ts';
import { verifyAuditChain } from '../src/kernel/audit.ts';
import { grantTestDefaults } from './support/contactPolicy.ts';
import { createTestApp, type TestApp } from './support/testApp.ts';
import { openTestDatabase, testDatabaseUrl, type TestDatabase } from './support/testDatabase.ts';

/*
 * Concurrent writers of one workspace on PostgreSQL (PGlite runs one statement at a time in
 * one process, so there is no concurrency to show there). Every statement is recorded per
 * server connection as the driver sends it, so the test sees each transaction's own order:
 * after the chain-head lock comes only the audit INSERT and the COMMIT — no Node work
 * between statements of the request is done while the other writers wait on the lock.
 */
const writers = 8;

let database: TestDatabase;
let pool: pg.Pool;
let t: TestApp;
const byConnection = new Map<pg.PoolClient, string[]>();

describe.skipIf(!testDatabaseUrl)('concurrent creates in one workspace', () => {
  beforeAll(async () => {
    database = await openTestDatabase();
    pool = new pg.Pool({ connectionString: database.url, max: writers + 2 });
    pool.on('connect', (client) => {
      const statements: string[] = [];
      byConnection.set(client, statements);
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
        const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string }).text;
        statements.push((text ?? '').replace(/\s+/g, ' ').trim());
        return query(...args);
      };
    });
    const db = drizzle(pool, { schema }) as unknown as AppDatabase;
    t = await createTestApp({ database: { ...database, db, pool } });
  });
  afterAll(async () => {
    // This pool first: closing the test database drops it, ending every connection to it.
    await pool?.end();
    await t?.close();
  });

  it(`creates ${writers} contacts at once, each in one transaction that takes the chain head only for its last statement, on an intact chain`, async () => {
    const workspace = await t.createWorkspace();
    await grantTestDefaults(t, workspace.id);
    await t.request(workspace.keys.admin, { method: 'POST', url: '/api/v1/contacts', payload: { firstName: 'First' } });
    for (const statements of byConnection.values()) statements.length = 0;

    const created = await Promise.all(
      Array.from({ length: writers }, (_, index) =>
        t.request(workspace.keys.admin, {
          method: 'POST',
          url: '/api/v1/contacts',
          payload: { firstName: `Writer ${index}`, email: `writer${index}@example.com` },
        }),
      ),
    );
    expect(created.map((response) => response.statusCode)).toEqual(Array(writers).fill(201));

    const transactions = [...byConnection.values()].flatMap((statements) => {
      const found: string[][] = [];
      for (const statement of statements) {
        if (/^begin\b/i.test(statement)) found.push([]);
        found.at(-1)?.push(statement);
      }
      return found;
    });
    const creates = transactions.filter((statements) => statements.some((statement) => /^insert into contacts/.test(statement)));
    expect(creates).toHaveLength(writers);
    // More than one connection took part: the writers really ran side by side.
    expect(
      new Set([...byConnection].filter(([, statements]) => statements.some((s) => /^insert into contacts/.test(s))).map(([client]) => client)).size,
    ).toBeGreaterThan(1);
    for (const statements of creates) {
      const head = statements.findIndex((statement) => /^select sequence, hash from audit_heads .* for update$/.test(statement));
      expect(head).toBeGreaterThan(0);
      expect(statements.slice(head + 1).map((statement) => statement.split(' ').slice(0, 3).join(' '))).toEqual(['with inserted_entries as', 'commit']);
    }

    const verification = await verifyAuditChain(t.database.db, workspace.id);
    expect(verification).toMatchObject({ ok: true });
    const sequences = await t.database.query<{ sequence: number }>(
      `select sequence from audit_entries where tenant_id = $1 and action = 'contact.created' order by sequence`,
      [workspace.id],
    );
    expect(sequences).toHaveLength(writers + 1);
  });
});
