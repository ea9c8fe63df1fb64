import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { seedWorkspace } from '../src/crm/seed/seedWorkspace.ts';
import { newId } from '../src/db/ids.ts';
import { selectRows } from '../src/db/rows.ts';
import { refreshStaleStatistics, tablesWithStaleStatistics } from '../src/db/statistics.ts';
import { systemContext } from '../src/kernel/accessContext.ts';
import { insertContacts, type NewContact } from '../src/kernel/contactRecords.ts';
import { createTestApp, type TestApp } from './support/testApp.ts';

/*
 * Planner statistics after bulk loads (src/db/statistics.ts). ANALYZE reads every row of a
 * table this small, so a table just analyzed has reltuples equal to its row count; without
 * ANALYZE it keeps -1 (never analyzed) or its old count. PGlite has no autovacuum, so there
 * nothing else can have refreshed them.
 */

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function statistics(table: string): Promise<{ estimated: number; rows: number }> {
  const [row] = await selectRows<{ estimated: number; rows: number }>(
    t.database.db,
    sql`select (select reltuples::float8 from pg_class where relname = ${table} and relnamespace = 'public'::regnamespace) as estimated,
               (select count(*)::int from ${sql.identifier(table)}) as rows`,
  );
  return { estimated: Number(row.estimated), rows: Number(row.rows) };
}

async function expectAnalyzed(...tables: string[]) {
  for (const table of tables) {
    const { estimated, rows } = await statistics(table);
    expect({ table, estimated }).toEqual({ table, estimated: rows });
  }
}

describe('planner statistics after bulk loads', () => {
  it('analyzes contacts and the lookup-token table after candor seed', async () => {
    const workspace = await t.createWorkspace();
    await seedWorkspace(t.database, { id: workspace.id, createdAt: new Date() }, { contacts: 60 });
    await expectAnalyzed('contacts', 'lookup_tokens', 'events');
  });

  it('analyzes contacts and the lookup-token table after an import publishes', async () => {
    const workspace = await t.createWorkspace();
    const csv = ['Email,First Name', ...Array.from({ length: 300 }, (_, index) => `bulk${index}@example.com,Bulk${index}`)].join('\n');
    const response = await t.request(workspace.keys.sales, {
      method: 'POST',
      url: '/api/v1/imports?object=contact',
      payload: csv,
      headers: { 'content-type': 'text/csv' },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json().data.importedRows).toBe(300);
    await expectAnalyzed('contacts', 'lookup_tokens');
  });

  it('finds and refreshes statistics far from the table size, as the embedded database does at start', async () => {
    const workspace = await t.createWorkspace();
    await refreshStaleStatistics(t.database.db);
    expect(await tablesWithStaleStatistics(t.database.db)).toEqual([]);
    // A load that bypasses the hooks (here the kernel's insert directly) leaves them stale.
    const rows = Array.from(
      { length: 1_500 },
      (_, index): NewContact => ({
        id: newId(),
        ownerId: null,
        companyId: null,
        lifecycleStage: 'lead',
        source: 'import',
        personal: { first_name: `Stale ${index}`, email: `stale${index}@example.com` },
      }),
    );
    await t.database.db.transaction((tx) => insertContacts(tx, systemContext(workspace.id, 'test', 'sales'), rows));
    expect(await tablesWithStaleStatistics(t.database.db)).toEqual(expect.arrayContaining(['contacts', 'lookup_tokens']));
    expect(await refreshStaleStatistics(t.database.db)).toEqual(expect.arrayContaining(['contacts', 'lookup_tokens']));
    expect(await tablesWithStaleStatistics(t.database.db)).toEqual([]);
    await expectAnalyzed('contacts', 'lookup_tokens');
  });
});
