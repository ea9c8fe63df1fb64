import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { globalTables } from '../src/db/schema/index.ts';
import { openTestDatabase, type TestDatabase } from './support/testDatabase.ts';

// Multi-tenancy is structural: every tenant-owned table leads its primary key, indexes and
// foreign keys with tenant_id, so the schema can be distributed by tenant (Citus) and a
// query that forgets the tenant cannot use an index by accident.
let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database.close());

type IndexRow = { table_name: string; index_name: string; first_column: string };
type ForeignKeyRow = { table_name: string; constraint_name: string; first_column: string; referenced_first_column: string };

describe('tenancy in the schema', () => {
  it('leads every primary key and index of a tenant-owned table with tenant_id', async () => {
    const rows = await database.query<IndexRow>(`
      select t.relname as table_name, i.relname as index_name, a.attname as first_column
      from pg_index x
      join pg_class t on t.oid = x.indrelid
      join pg_class i on i.oid = x.indexrelid
      join pg_namespace n on n.oid = t.relnamespace
      join pg_attribute a on a.attrelid = t.oid and a.attnum = x.indkey[0]
      where n.nspname = 'public'`);
    const tenantOwned = rows.filter((row) => !(globalTables as readonly string[]).includes(row.table_name));
    expect(tenantOwned.length).toBeGreaterThan(20);
    const offending = tenantOwned.filter((row) => row.first_column !== 'tenant_id').map((row) => `${row.table_name}.${row.index_name}`);
    expect(offending).toEqual([]);
  });

  it('leads every foreign key between tenant-owned tables with tenant_id', async () => {
    const rows = await database.query<ForeignKeyRow>(`
      select t.relname as table_name, c.conname as constraint_name,
             a.attname as first_column, ra.attname as referenced_first_column
      from pg_constraint c
      join pg_class t on t.oid = c.conrelid
      join pg_namespace n on n.oid = t.relnamespace
      join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
      join pg_attribute ra on ra.attrelid = c.confrelid and ra.attnum = c.confkey[1]
      where c.contype = 'f' and n.nspname = 'public'`);
    expect(rows.length).toBeGreaterThan(10);
    const offending = rows
      .filter((row) => row.first_column !== 'tenant_id' || (row.referenced_first_column !== 'tenant_id' && row.referenced_first_column !== 'id'))
      .map((row) => `${row.table_name}.${row.constraint_name}`);
    expect(offending).toEqual([]);
  });

  it('gives every table outside the documented global list a tenant_id column', async () => {
    const rows = await database.query<{ table_name: string }>(`
      select c.table_name from information_schema.tables c
      where c.table_schema = 'public' and c.table_type = 'BASE TABLE'
        and not exists (select 1 from information_schema.columns k
                        where k.table_schema = 'public' and k.table_name = c.table_name and k.column_name = 'tenant_id')`);
    const missing = rows.map((row) => row.table_name).filter((name) => !(globalTables as readonly string[]).includes(name));
    expect(missing).toEqual([]);
  });
});
