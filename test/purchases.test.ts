import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../src/kernel/accessContext.ts';
import { createPurchase as createPurchaseRecord } from '../src/crm/purchases/purchaseWrites.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';
import { testDatabaseUrl } from './support/testDatabase.ts';
import { addBareCompany, addBareContact, firstErrorField } from './support/salesRecords.ts';

let t: TestApp;
let workspace: TestWorkspace;
let other: TestWorkspace;

type Line = { sku: string | null; name: string; quantity: number; unitPriceMinor: number };
type Purchase = {
  id: string;
  orderNumber: string;
  status: string;
  currency: string;
  totalMinor: number;
  purchasedAt: string;
  contactId: string | null;
  companyId: string | null;
  lines: Line[];
  version: number;
};

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
  other = await t.createWorkspace();
});
afterAll(() => t.close());

const sales = () => workspace.keys.sales;
let orderCounter = 0;
const nextOrderNumber = () => {
  orderCounter += 1;
  return `SO-${orderCounter}`;
};
const twoLines = [
  { sku: 'TEA-1', name: 'Green tea 250 g', quantity: 3, unitPriceMinor: 899 },
  { name: 'Gift wrap', quantity: 1, unitPriceMinor: 250 },
];

async function createPurchase(payload: Record<string, unknown> = {}, key = sales()): Promise<Purchase> {
  const response = await t.request(key, {
    method: 'POST',
    url: '/api/v1/purchases',
    payload: { orderNumber: nextOrderNumber(), currency: 'EUR', lines: twoLines, ...payload },
  });
  expect(response.statusCode).toBe(201);
  return response.json().data;
}

async function patchPurchase(purchase: Purchase, payload: Record<string, unknown>, key = sales()) {
  return t.request(key, { method: 'PATCH', url: `/api/v1/purchases/${purchase.id}`, payload, headers: { 'if-match': `"${purchase.version}"` } });
}

async function listIds(query: string, key = sales()): Promise<string[]> {
  const response = await t.request(key, { method: 'GET', url: `/api/v1/purchases?${query}` });
  expect(response.statusCode).toBe(200);
  return response.json().data.map((purchase: Purchase) => purchase.id);
}

describe('purchases', () => {
  it('records an order with its lines and computes the total', async () => {
    const contactId = await addBareContact(t, workspace.id);
    const companyId = await addBareCompany(t, workspace.id);
    const response = await t.request(sales(), {
      method: 'POST',
      url: '/api/v1/purchases',
      payload: { orderNumber: 'WEB-1001', currency: 'EUR', lines: twoLines, contactId, companyId, status: 'pending', purchasedAt: '2026-02-01T08:30:00Z' },
    });
    expect(response.statusCode).toBe(201);
    expect(response.headers.etag).toBe('"1"');
    const purchase: Purchase = response.json().data;
    expect(purchase).toMatchObject({
      orderNumber: 'WEB-1001',
      status: 'pending',
      currency: 'EUR',
      totalMinor: 3 * 899 + 250,
      purchasedAt: '2026-02-01T08:30:00.000Z',
      contactId,
      companyId,
      lines: [
        { sku: 'TEA-1', name: 'Green tea 250 g', quantity: 3, unitPriceMinor: 899 },
        { sku: null, name: 'Gift wrap', quantity: 1, unitPriceMinor: 250 },
      ],
    });
    const read = await t.request(workspace.keys.support, { method: 'GET', url: `/api/v1/purchases/${purchase.id}` });
    expect(read.json()).toEqual({ data: purchase, withheld: [] });
    expect((await createPurchase({ totalMinor: 2947 })).totalMinor).toBe(2947);
  });

  it('refuses a total that disagrees with the lines, naming totalMinor', async () => {
    const response = await t.request(sales(), {
      method: 'POST',
      url: '/api/v1/purchases',
      payload: { orderNumber: nextOrderNumber(), currency: 'EUR', lines: twoLines, totalMinor: 3000 },
    });
    expect(response.statusCode).toBe(422);
    expect(firstErrorField(response.json())).toBe('totalMinor');
    const purchase = await createPurchase();
    const patched = await patchPurchase(purchase, { totalMinor: 1 });
    expect([patched.statusCode, firstErrorField(patched.json())]).toEqual([422, 'totalMinor']);
  });

  it('keeps order numbers unique per workspace, also under concurrent requests', async () => {
    const purchase = await createPurchase({ orderNumber: 'DUP-1' });
    const again = await t.request(sales(), { method: 'POST', url: '/api/v1/purchases', payload: { orderNumber: 'DUP-1', currency: 'EUR', lines: twoLines } });
    expect([again.statusCode, firstErrorField(again.json())]).toEqual([409, 'orderNumber']);
    const second = await createPurchase();
    const renamed = await patchPurchase(second, { orderNumber: purchase.orderNumber });
    expect([renamed.statusCode, firstErrorField(renamed.json())]).toEqual([409, 'orderNumber']);
    await createPurchase({ orderNumber: 'DUP-1' }, other.keys.sales);

    const racing = await Promise.all(
      [1, 2, 3].map(() =>
        t.request(sales(), { method: 'POST', url: '/api/v1/purchases', payload: { orderNumber: 'RACE-1', currency: 'EUR', lines: twoLines } }),
      ),
    );
    expect(racing.map((response) => response.statusCode).sort()).toEqual([201, 409, 409]);
    for (const response of racing.filter((candidate) => candidate.statusCode === 409)) expect(firstErrorField(response.json())).toBe('orderNumber');
    expect(t.logs.join('\n')).not.toContain('RACE-1');
  });

  // Only PostgreSQL has a second connection to race with; PGlite runs transactions one at a time.
  it.skipIf(!testDatabaseUrl)('answers 409 when a concurrent transaction commits the same order number first', async () => {
    const ctx = systemContext(workspace.id, 'test', 'sales');
    const input = { orderNumber: 'RACE-INDEX', currency: 'EUR', lines: twoLines };
    let releaseFirst: () => void = () => undefined;
    let firstInserted: () => void = () => undefined;
    const inserted = new Promise<void>((resolve) => (firstInserted = resolve));
    const first = t.database.db.transaction(async (tx) => {
      await createPurchaseRecord(tx, ctx, input);
      firstInserted();
      await new Promise<void>((resolve) => (releaseFirst = resolve));
    });
    await inserted;
    // The second passes the pre-check (the first has not committed) and waits on the unique index.
    const second = t.database.db
      .transaction((tx) => createPurchaseRecord(tx, ctx, input))
      .then(
        () => null,
        (error: unknown) => error,
      );
    await new Promise((resolve) => setTimeout(resolve, 200));
    releaseFirst();
    await first;
    expect(await second).toMatchObject({ code: 'duplicate', issues: [{ field: 'orderNumber', reason: expect.any(String) }] });
  });

  it('names the field of every invalid value', async () => {
    const foreignContact = await addBareContact(t, other.id);
    const foreignCompany = await addBareCompany(t, other.id);
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ lines: [] }, 422, 'lines'],
      [{ lines: [{ name: 'A', quantity: 0, unitPriceMinor: 1 }] }, 422, 'lines.0.quantity'],
      [{ lines: [{ name: 'A', quantity: 1, unitPriceMinor: -1 }] }, 422, 'lines.0.unitPriceMinor'],
      [{ lines: [{ name: 'A', quantity: 1.5, unitPriceMinor: 1 }] }, 422, 'lines.0.quantity'],
      [{ lines: [twoLines[0], { name: '  ', quantity: 1, unitPriceMinor: 1 }] }, 422, 'lines.1.name'],
      [{ lines: [{ name: 'A', quantity: 1_000_000, unitPriceMinor: Number.MAX_SAFE_INTEGER }] }, 422, 'lines.0'],
      [{ currency: 'XXX' }, 422, 'currency'],
      [{ currency: 'euro' }, 422, 'currency'],
      [{ status: 'shipped' }, 422, 'status'],
      [{ orderNumber: '' }, 422, 'orderNumber'],
      [{ purchasedAt: 'yesterday' }, 422, 'purchasedAt'],
      [{ contactId: foreignContact }, 422, 'contactId'],
      [{ companyId: foreignCompany }, 422, 'companyId'],
    ];
    for (const [payload, status, field] of cases) {
      const response = await t.request(sales(), {
        method: 'POST',
        url: '/api/v1/purchases',
        payload: { orderNumber: nextOrderNumber(), currency: 'EUR', lines: twoLines, ...payload },
      });
      expect({ field, status: response.statusCode, named: firstErrorField(response.json()) }).toEqual({ field, status, named: field });
    }
  });

  it('filters by contact, company and status, and sorts by total and purchase time', async () => {
    const contactId = await addBareContact(t, workspace.id);
    const companyId = await addBareCompany(t, workspace.id);
    const cheap = await createPurchase({ contactId, lines: [{ name: 'Pen', quantity: 1, unitPriceMinor: 100 }], purchasedAt: '2026-01-03T00:00:00Z' });
    const dear = await createPurchase({
      contactId,
      companyId,
      lines: [{ name: 'Desk', quantity: 1, unitPriceMinor: 50_000 }],
      purchasedAt: '2026-01-01T00:00:00Z',
    });
    const refunded = await createPurchase({
      contactId,
      status: 'refunded',
      lines: [{ name: 'Lamp', quantity: 2, unitPriceMinor: 4_000 }],
      purchasedAt: '2026-01-02T00:00:00Z',
    });
    expect(await listIds(`contactId=${contactId}`)).toEqual([cheap.id, refunded.id, dear.id]);
    expect(await listIds(`contactId=${contactId}&sort=purchasedAt`)).toEqual([dear.id, refunded.id, cheap.id]);
    expect(await listIds(`contactId=${contactId}&sort=-totalMinor`)).toEqual([dear.id, refunded.id, cheap.id]);
    expect(await listIds(`companyId=${companyId}`)).toEqual([dear.id]);
    expect(await listIds(`contactId=${contactId}&status=refunded`)).toEqual([refunded.id]);
  });

  it('pages through purchases without repeats or gaps while purchases are inserted between pages', async () => {
    const contactId = await addBareContact(t, workspace.id);
    const before: string[] = [];
    for (let index = 0; index < 5; index += 1) before.push((await createPurchase({ contactId })).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/purchases?contactId=${contactId}&sort=createdAt&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const response = await t.request(sales(), { method: 'GET', url });
      seen.push(...response.json().data.map((purchase: Purchase) => purchase.id));
      cursor = response.json().nextCursor;
      if (cursor) before.push((await createPurchase({ contactId })).id);
    } while (cursor);
    expect(seen).toEqual(before);
  });

  it('replaces lines and recomputes the total under If-Match, refusing a stale ETag', async () => {
    const purchase = await createPurchase();
    expect((await t.request(sales(), { method: 'PATCH', url: `/api/v1/purchases/${purchase.id}`, payload: { status: 'refunded' } })).statusCode).toBe(428);
    const updated = await patchPurchase(purchase, {
      lines: [{ name: 'Replacement', quantity: 2, unitPriceMinor: 1_000 }],
      status: 'completed',
      totalMinor: 2_000,
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.json().data).toMatchObject({
      totalMinor: 2_000,
      lines: [{ name: 'Replacement', quantity: 2, unitPriceMinor: 1_000, sku: null }],
      version: 2,
    });
    expect((await patchPurchase(purchase, { status: 'cancelled' })).statusCode).toBe(412);
  });

  it('deletes a purchase for good', async () => {
    const purchase = await createPurchase();
    expect((await t.request(workspace.keys.admin, { method: 'DELETE', url: `/api/v1/purchases/${purchase.id}` })).statusCode).toBe(204);
    expect((await t.request(sales(), { method: 'GET', url: `/api/v1/purchases/${purchase.id}` })).statusCode).toBe(404);
  });

  it('replays a create with the same Idempotency-Key', async () => {
    const payload = { orderNumber: 'IDEM-1', currency: 'USD', lines: twoLines };
    const headers = { 'idempotency-key': 'purchase-idem-1' };
    const first = await t.request(sales(), { method: 'POST', url: '/api/v1/purchases', payload, headers });
    const second = await t.request(sales(), { method: 'POST', url: '/api/v1/purchases', payload, headers });
    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
    expect(second.json().data.id).toBe(first.json().data.id);
  });

  it('follows the role matrix: sales cannot delete, support and marketing only read, analysts cannot read', async () => {
    const purchase = await createPurchase();
    expect((await t.request(workspace.keys.analyst, { method: 'GET', url: '/api/v1/purchases' })).statusCode).toBe(403);
    expect((await t.request(sales(), { method: 'DELETE', url: `/api/v1/purchases/${purchase.id}` })).statusCode).toBe(403);
    for (const role of ['support', 'marketing', 'privacy_officer'] as const) {
      expect((await t.request(workspace.keys[role], { method: 'GET', url: `/api/v1/purchases/${purchase.id}` })).statusCode).toBe(200);
      const write = await t.request(workspace.keys[role], {
        method: 'POST',
        url: '/api/v1/purchases',
        payload: { orderNumber: nextOrderNumber(), currency: 'EUR', lines: twoLines },
      });
      expect({ role, status: write.statusCode }).toEqual({ role, status: 403 });
    }
  });

  it("answers 404 for another workspace's purchase and never lists it", async () => {
    const contactId = await addBareContact(t, workspace.id);
    const purchase = await createPurchase({ contactId });
    const key = other.keys.admin;
    expect((await t.request(key, { method: 'GET', url: `/api/v1/purchases/${purchase.id}` })).statusCode).toBe(404);
    expect((await patchPurchase(purchase, { status: 'cancelled' }, key)).statusCode).toBe(404);
    expect((await t.request(key, { method: 'DELETE', url: `/api/v1/purchases/${purchase.id}` })).statusCode).toBe(404);
    expect(await listIds(`contactId=${contactId}`, key)).toEqual([]);
  });
});
