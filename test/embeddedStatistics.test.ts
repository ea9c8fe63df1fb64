import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/connection.ts';
import { selectRows } from '../src/db/rows.ts';
import { sql } from 'drizzle-orm';
import { candorEnv, migratedTempDataDir, removeTempDataDirs, startCandor, stopCandor, type CandorProcess } from './support/candorProcess.ts';
import { testDatabaseUrl } from './support/testDatabase.ts';

// PGlite has no autovacuum: `candor serve` checks the large tables' statistics at start and
// analyzes those missing or far off (src/db/statistics.ts). Embedded database only.

const running: CandorProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => stopCandor(server, 'SIGKILL')));
});
afterAll(() => removeTempDataDirs());

async function companyStatistics(dataDir: string, load?: number): Promise<{ estimated: number; rows: number }> {
  const database = await openDatabase({ dataDir, command: 'test' });
  try {
    // Companies hold no personal data, so raw rows need no keys; a load that bypassed Candor.
    if (load) {
      await database.db.execute(
        sql`insert into companies (tenant_id, id, name, source) select gen_random_uuid(), gen_random_uuid(), 'Loaded ' || g, 'import' from generate_series(1, ${load}) g`,
      );
    }
    const [row] = await selectRows<{ estimated: number; rows: number }>(
      database.db,
      sql`select (select reltuples::float8 from pg_class where relname = 'companies' and relnamespace = 'public'::regnamespace) as estimated, (select count(*)::int from companies) as rows`,
    );
    return { estimated: Number(row.estimated), rows: Number(row.rows) };
  } finally {
    await database.close();
  }
}

describe.skipIf(Boolean(testDatabaseUrl))('statistics on the embedded database', () => {
  it('analyzes at start a large table loaded without statistics', async () => {
    const dataDir = await migratedTempDataDir();
    const loaded = await companyStatistics(dataDir, 2_000);
    expect(loaded.estimated).not.toBe(2_000);
    const server = startCandor(['serve', '--port', '0'], candorEnv({ CANDOR_DATA_DIR: dataDir }));
    running.push(server);
    await server.waitFor(/Candor is running at/);
    await stopCandor(server, 'SIGTERM');
    running.splice(0);
    expect(await companyStatistics(dataDir)).toEqual({ estimated: 2_000, rows: 2_000 });
  }, 240_000);
});
