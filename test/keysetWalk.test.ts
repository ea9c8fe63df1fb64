import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { activitySorts } from '../src/crm/activities/activities.ts';
import { companySortColumns } from '../src/crm/companies/companyService.ts';
import { dealSorts } from '../src/crm/deals/deals.ts';
import { purchaseSorts } from '../src/crm/purchases/purchases.ts';
import { contactSortColumns } from '../src/kernel/contactRecords.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

/*
 * Every allowed sort of every list, ascending and descending, walked two rows a page over
 * rows whose sort values repeat and (for nullable sorts) are missing: each row is served
 * exactly once, in (value, id) order with rows without a value last. Runs on PGlite, and on
 * PostgreSQL with TEST_DATABASE_URL.
 */

let t: TestApp;
let workspace: TestWorkspace;

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
});
afterAll(() => t.close());

const rowCount = 9;
// The rank of each row's sort value: repeats, and null (no value) in nullable columns.
const nullablePattern = [1, 0, 1, null, 2, null, 0, 1, null];
const requiredPattern = [1, 0, 1, 2, 2, 0, 0, 1, 2];

type Kind = 'timestamp' | 'date' | 'number' | 'name';
type Sort = { name: string; column: string; kind: Kind; nullable?: boolean };
type List = { table: string; url: string; allowed: Record<string, unknown>; create: (index: number) => Promise<string>; sorts: Sort[] };

const sortValueFor = (kind: Kind, rank: number): string => {
  switch (kind) {
    case 'timestamp':
      return `2024-01-0${rank + 1}T00:00:00.000Z`;
    case 'date':
      return `2024-01-0${rank + 1}`;
    case 'number':
      return String(rank * 100);
    case 'name':
      return ['Alpha', 'alpha', 'beta'][rank];
  }
};
// Company names sort case-insensitively: "Alpha" and "alpha" are one value.
const sortRank = (kind: Kind, rank: number) => (kind === 'name' ? Math.max(rank - 1, 0) : rank);

async function post(url: string, payload: Record<string, unknown>, purpose?: string): Promise<string> {
  const response = await t.request(workspace.keys.admin, { method: 'POST', url, payload, ...(purpose ? { purpose } : {}) });
  expect(response.statusCode).toBe(201);
  return response.json().data.id;
}

const lists: List[] = [
  {
    table: 'contacts',
    allowed: contactSortColumns,
    url: '/api/v1/contacts',
    create: (index) => post('/api/v1/contacts', { firstName: `Walk ${index}` }),
    sorts: [
      { name: 'createdAt', column: 'created_at', kind: 'timestamp' },
      { name: 'updatedAt', column: 'updated_at', kind: 'timestamp' },
      { name: 'lastActivityAt', column: 'last_activity_at', kind: 'timestamp', nullable: true },
    ],
  },
  {
    table: 'companies',
    allowed: companySortColumns,
    url: '/api/v1/companies',
    create: (index) => post('/api/v1/companies', { name: `Company ${index}` }),
    sorts: [
      { name: 'createdAt', column: 'created_at', kind: 'timestamp' },
      { name: 'updatedAt', column: 'updated_at', kind: 'timestamp' },
      { name: 'name', column: 'name', kind: 'name' },
    ],
  },
  {
    table: 'deals',
    allowed: dealSorts,
    url: '/api/v1/deals',
    create: (index) => post('/api/v1/deals', { name: `Deal ${index}` }),
    sorts: [
      { name: 'createdAt', column: 'created_at', kind: 'timestamp' },
      { name: 'updatedAt', column: 'updated_at', kind: 'timestamp' },
      { name: 'amount', column: 'amount_minor', kind: 'number', nullable: true },
      { name: 'amountMinor', column: 'amount_minor', kind: 'number', nullable: true },
      { name: 'expectedCloseDate', column: 'expected_close_date', kind: 'date', nullable: true },
    ],
  },
  {
    table: 'activities',
    allowed: activitySorts,
    url: '/api/v1/activities',
    create: (index) => post('/api/v1/activities', { type: 'note', body: `Note ${index}` }, 'sales'),
    sorts: [
      { name: 'occurredAt', column: 'occurred_at', kind: 'timestamp' },
      { name: 'dueAt', column: 'due_at', kind: 'timestamp', nullable: true },
      { name: 'createdAt', column: 'created_at', kind: 'timestamp' },
    ],
  },
  {
    table: 'purchases',
    allowed: purchaseSorts,
    url: '/api/v1/purchases',
    create: (index) => post('/api/v1/purchases', { orderNumber: `WALK-${index}`, currency: 'EUR', lines: [{ name: 'Tea', quantity: 1, unitPriceMinor: 100 }] }),
    sorts: [
      { name: 'purchasedAt', column: 'purchased_at', kind: 'timestamp' },
      { name: 'totalMinor', column: 'total_minor', kind: 'number' },
      { name: 'createdAt', column: 'created_at', kind: 'timestamp' },
    ],
  },
];

/** Gives each row the sort value its pattern says, straight in the table (no API sets createdAt). */
async function setSortValues(list: List, sort: Sort, ids: string[]): Promise<Array<{ id: string; rank: number | null }>> {
  const pattern = sort.nullable ? nullablePattern : requiredPattern;
  const cast = sql.raw({ timestamp: 'timestamptz', date: 'date', number: 'bigint', name: 'text' }[sort.kind]);
  const ranked = ids.map((id, index) => ({ id, rank: pattern[index % pattern.length] }));
  for (const { id, rank } of ranked) {
    const value = rank === null ? null : sortValueFor(sort.kind, rank);
    await t.database.db.execute(
      sql`update ${sql.identifier(list.table)} set ${sql.identifier(sort.column)} = ${value}::${cast} where tenant_id = ${workspace.id} and id = ${id}`,
    );
  }
  return ranked.map(({ id, rank }) => ({ id, rank: rank === null ? null : sortRank(sort.kind, rank) }));
}

/** The order the list promises: by value (missing values last either way), then by id, in the sort's direction. */
function expectedOrder(rows: Array<{ id: string; rank: number | null }>, direction: 1 | -1): string[] {
  return [...rows]
    .sort((a, b) => {
      if ((a.rank === null) !== (b.rank === null)) return a.rank === null ? 1 : -1;
      const byValue = a.rank === null || b.rank === null ? 0 : (a.rank - b.rank) * direction;
      return byValue !== 0 ? byValue : (a.id < b.id ? -1 : 1) * direction;
    })
    .map((row) => row.id);
}

async function walk(url: string): Promise<string[]> {
  const served: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 3 * rowCount; page += 1) {
    const response = await t.request(workspace.keys.admin, {
      method: 'GET',
      url: `${url}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      purpose: 'sales',
    });
    expect(response.statusCode).toBe(200);
    const body = response.json() as { data: Array<{ id: string }>; nextCursor: string | null };
    served.push(...body.data.map((row) => row.id));
    cursor = body.nextCursor;
    if (!cursor) break;
  }
  return served;
}

describe('keyset paging over every allowed sort', () => {
  for (const list of lists) {
    it(`serves every ${list.table} row once, in order, for each sort in both directions`, async () => {
      const ids: string[] = [];
      for (let index = 0; index < rowCount; index += 1) ids.push(await list.create(index));
      const walked: string[] = [];
      for (const sort of list.sorts) {
        const ranked = await setSortValues(list, sort, ids);
        for (const direction of [1, -1] as const) {
          const served = await walk(`${list.url}?sort=${direction === 1 ? '' : '-'}${sort.name}`);
          expect({ sort: sort.name, direction, served }).toEqual({ sort: sort.name, direction, served: expectedOrder(ranked, direction) });
          walked.push(`${direction === 1 ? '' : '-'}${sort.name}`);
        }
      }
      // Every sort the list allows was walked.
      expect(list.sorts.map((sort) => sort.name).sort()).toEqual(Object.keys(list.allowed).sort());
    });
  }
});
