import { describe, expect, it } from 'vitest';
import { and, eq, type SQL } from 'drizzle-orm';
import { date, pgTable, QueryBuilder, timestamp, uuid } from 'drizzle-orm/pg-core';
import { encodeCursor } from './cursor.ts';
import { keysetCondition, parseSort, readKeysetRows, type SortColumn } from './keyset.ts';

const rows = pgTable('rows', {
  tenantId: uuid('tenant_id').notNull(),
  id: uuid('id').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  closesOn: date('closes_on'),
});
const sorts: Record<string, SortColumn> = {
  createdAt: { column: rows.createdAt, kind: 'timestamp' },
  closesOn: { column: rows.closesOn, kind: 'date', nullable: true },
};
const tenant = '0190c1f0-0000-7000-8000-00000000000a';
const lastId = '0190c1f0-0000-7000-8000-000000000001';

/** The statements a page runs, as PostgreSQL receives them. */
async function statementsFor(sort: string, cursor: { value: string | null } | null, served: number) {
  const order = parseSort(sort, sorts, 'createdAt');
  const encoded = cursor ? encodeCursor({ sort, value: cursor.value, id: lastId }) : undefined;
  const statements: Array<{ sql: string; params: unknown[] }> = [];
  await readKeysetRows(order, rows.id, encoded, 2, async (after: SQL | undefined, orderBy: SQL[], limit: number) => {
    const query = new QueryBuilder()
      .select({ id: rows.id })
      .from(rows)
      .where(and(eq(rows.tenantId, tenant), after))
      .orderBy(...orderBy)
      .limit(limit);
    statements.push(query.toSQL());
    return Array.from({ length: Math.min(served, limit) }, () => ({}));
  });
  return statements;
}

describe('keyset paging SQL', () => {
  it('continues after the cursor with one row-value comparison, ascending with > and descending with <', async () => {
    const [ascending] = await statementsFor('createdAt', { value: '2024-01-01T00:00:00.000Z' }, 3);
    expect(ascending.sql).toBe(
      'select "id" from "rows" where ("rows"."tenant_id" = $1 and ("rows"."created_at", "rows"."id") > ($2::timestamptz, $3::uuid)) order by "rows"."created_at" asc, "rows"."id" asc limit $4',
    );
    expect(ascending.params).toEqual([tenant, '2024-01-01T00:00:00.000Z', lastId, 3]);
    const [descending] = await statementsFor('-createdAt', { value: '2024-01-01T00:00:00.000Z' }, 3);
    expect(descending.sql).toContain('("rows"."created_at", "rows"."id") < ($2::timestamptz, $3::uuid)');
    expect(descending.sql).toContain('order by "rows"."created_at" desc, "rows"."id" desc');
    for (const statement of [ascending, descending]) expect(statement.sql).not.toMatch(/ or /i);
  });

  it('walks a nullable sort as values by row value, then NULLs by id, in the same index order', async () => {
    const [withValues, withoutValues] = await statementsFor('-closesOn', { value: '2024-05-01' }, 1);
    expect(withValues.sql).toContain('("rows"."closes_on", "rows"."id") < ($2::date, $3::uuid)');
    expect(withoutValues.sql).toContain('"rows"."closes_on" is null');
    expect(withoutValues.sql).toContain('order by "rows"."closes_on" desc, "rows"."id" desc');
    // The NULL segment fills what the first statement left of the page (limit 2 + 1 extra row).
    expect(withoutValues.params.at(-1)).toBe(2);
    const [amongNulls, ...more] = await statementsFor('closesOn', { value: null }, 3);
    expect(more).toEqual([]);
    expect(amongNulls.sql).toContain('("rows"."closes_on" is null and "rows"."id" > $2::uuid)');
    const [firstPage] = await statementsFor('closesOn', null, 3);
    expect(firstPage.sql).toContain('"rows"."closes_on" is not null');
  });

  it('refuses to build a single condition for a nullable sort, which has no single index bound', () => {
    expect(() => keysetCondition(parseSort('closesOn', sorts, 'createdAt'), rows.id, undefined)).toThrow(/readKeysetRows/);
  });
});
