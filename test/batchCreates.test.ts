import { tenantRowCount } from './support/tenantRowCount.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../src/kernel/audit.ts';
import { loggedTestApp } from './support/loggedTestApp.ts';
import type { StatementLog } from './support/statementLog.ts';
import type { TestApp, TestWorkspace } from './support/testApp.ts';

/*
 * Issue 9: the items of POST /contacts/batch that create a contact are checked and written
 * set-wise (src/crm/contacts/contactBatchCreates.ts), in a number of statements that does
 * not grow with the batch, with the answers, refusals, audit and webhooks of one-by-one.
 */

// The statements of a batch of creates besides BEGIN and COMMIT (the figure reached; lower it when you cut more).
// 15 since issue 13: one lookup of the addresses that are suppressed (erased people), refused item by item.
const maxBatchCreateStatements = 15;

let t: TestApp;
let log: StatementLog;
let workspace: TestWorkspace;
let admin: string;

beforeAll(async () => {
  ({ t, log, workspace } = await loggedTestApp());
  admin = workspace.keys.admin;
  const subscribed = await t.request(admin, {
    method: 'POST',
    url: '/api/v1/webhooks',
    payload: { url: 'https://hooks.example.org/candor', eventTypes: ['contact.created', 'contact.updated'] },
  });
  expect(subscribed.statusCode).toBe(201);
  const defined = await t.request(admin, {
    method: 'POST',
    url: '/api/v1/custom-fields',
    payload: { object: 'contact', key: 'tier', label: 'Tier', type: 'select', options: ['gold', 'silver'], dataCategory: 'user.demographic.profile' },
  });
  expect(defined.statusCode).toBe(201);
});
afterAll(() => t.close());

type Item = Record<string, unknown>;
type Answer = {
  index: number;
  status: number;
  id?: string;
  outcome?: string;
  problem?: { code: string; detail: string; errors?: Array<{ field: string; reason: string }> };
};
const batch = (payload: Record<string, unknown>) => t.request(admin, { method: 'POST', url: '/api/v1/contacts/batch', payload });
const create = (data: Item): Item => ({ op: 'create', data });
const upsert = (data: Item): Item => ({ op: 'upsert', data });

const count = (table: string) => tenantRowCount(t.database, workspace.id, table);
const written = async () => ({
  contacts: await count('contacts'),
  keys: await count('subject_keys'),
  tokens: await count('lookup_tokens'),
  audit: await count('audit_entries'),
  deliveries: await count('webhook_deliveries'),
});

/** The statements of one request besides authentication and transaction control. */
function workStatements(): string[] {
  return log
    .statements()
    .filter((statement) => !statement.includes('"api_key_lookup"'))
    .filter((statement) => !/^(begin|commit|rollback)\b/i.test(statement));
}

describe('set-wise creates in POST /contacts/batch', () => {
  it(`writes 1,000 new contacts in as many statements as 10 (at most ${maxBatchCreateStatements}), the audit append last`, async () => {
    const people = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) =>
        upsert({ firstName: `Bulk${from + i}`, email: `bulk${from + i}@example.org`, phone: '+44 20 7946 0958', city: 'Leeds' }),
      );
    log.clear();
    const small = await batch({ mode: 'atomic', matchOn: 'email', items: people(0, 10) });
    expect(small.json().summary).toEqual({ created: 10, updated: 0, failed: 0 });
    const smallStatements = workStatements();
    log.clear();
    const large = await batch({ mode: 'atomic', matchOn: 'email', items: people(10, 1_000) });
    expect(large.json().summary).toEqual({ created: 1_000, updated: 0, failed: 0 });
    const largeStatements = workStatements();
    expect(largeStatements.length).toBe(smallStatements.length);
    expect(largeStatements.length).toBeLessThanOrEqual(maxBatchCreateStatements);
    expect(largeStatements.at(-2)).toMatch(/^select sequence, hash from audit_heads .* for update$/);
    expect(largeStatements.at(-1)).toMatch(/^with inserted_entries as \( insert into audit_entries/);
  });

  it('keeps the one-by-one meaning of a repeated e-mail: the first creates, a later upsert updates it, a later create is a duplicate', async () => {
    const response = await batch({
      mode: 'perItem',
      matchOn: 'email',
      items: [
        upsert({ email: 'twin@example.org', firstName: 'Tess' }),
        upsert({ email: 'TWIN@example.org', city: 'Ghent' }),
        create({ email: 'twin@example.org', lastName: 'Other' }),
        upsert({ email: 'single@example.org' }),
      ],
    });
    const data: Answer[] = response.json().data;
    expect(data.map((item) => [item.status, item.outcome ?? item.problem?.code])).toEqual([
      [201, 'created'],
      [200, 'updated'],
      [409, 'duplicate'],
      [201, 'created'],
    ]);
    expect(data[1].id).toBe(data[0].id);
    expect(data[2].problem?.errors).toEqual([{ field: 'items.2.data.email', reason: 'already used by another contact' }]);
    const read = await t.request(admin, { method: 'GET', url: `/api/v1/contacts/${data[0].id}` });
    expect(read.json().data).toMatchObject({ firstName: 'Tess', city: 'Ghent', version: 2 });
    // The creates' entry (appended at COMMIT) and the update's (appended in its savepoint) chain intact.
    expect(await verifyAuditChain(t.database.db, workspace.id)).toMatchObject({ ok: true });
  });

  it('creates an address an update earlier in the batch frees, as one-by-one would', async () => {
    const holder = (await t.request(admin, { method: 'POST', url: '/api/v1/contacts', payload: { email: 'moving@example.org' } })).json().data;
    const response = await batch({
      mode: 'perItem',
      items: [{ op: 'update', id: holder.id, data: { email: 'moved@example.org' } }, create({ email: 'moving@example.org', firstName: 'Newcomer' })],
    });
    expect(response.json().data.map((item: Answer) => [item.status, item.outcome])).toEqual([
      [200, 'updated'],
      [201, 'created'],
    ]);
  });

  it('refuses each invalid item in perItem mode with the problem POST /contacts gives it, and writes the valid ones', async () => {
    const invalid: Item[] = [
      { email: 'not an address', firstName: 'Broken' },
      { phone: 'call me maybe' },
      { customFields: { tier: 'platinum' } },
      { customFields: { shoe_size: 42 } },
      { ownerId: '0190c1f0-0000-7000-8000-000000000001' },
      { companyId: '0190c1f0-0000-7000-8000-000000000002' },
    ];
    const items = [create({ email: 'valid-1@example.org' }), ...invalid.map(create), create({ email: 'valid-2@example.org', customFields: { tier: 'gold' } })];
    const before = await written();
    const response = await batch({ mode: 'perItem', items });
    const data: Answer[] = response.json().data;
    expect(response.json().summary).toEqual({ created: 2, updated: 0, failed: invalid.length });
    for (const [offset, input] of invalid.entries()) {
      const index = offset + 1;
      const alone = await t.request(admin, { method: 'POST', url: '/api/v1/contacts', payload: input });
      expect(alone.statusCode).toBe(422);
      expect(data[index].status).toBe(422);
      expect(data[index].problem).toMatchObject({
        code: alone.json().code,
        detail: `Item ${index}: ${alone.json().detail}`,
        errors: alone.json().errors.map((error: { field: string; reason: string }) => ({ ...error, field: `items.${index}.data.${error.field}` })),
      });
    }
    expect((await written()).contacts).toBe(before.contacts + 2);
  });

  it('fails an atomic batch with the first refused item in request order, whether it runs set-wise or alone', async () => {
    const missing = { op: 'update', id: '0190c1f0-0000-7000-8000-000000000003', data: { city: 'Lyon' } };
    const updateFirst = await batch({ mode: 'atomic', items: [create({ email: 'order-a@example.org' }), missing, create({ phone: 'nope' })] });
    expect([updateFirst.statusCode, updateFirst.json().index]).toEqual([404, 1]);
    const createFirst = await batch({ mode: 'atomic', items: [create({ phone: 'nope' }), missing] });
    expect([createFirst.statusCode, createFirst.json().index]).toEqual([422, 0]);
  });

  it('writes nothing when an atomic batch is refused: no contact, key, token, audit entry or delivery', async () => {
    const items = Array.from({ length: 50 }, (_, i) => create({ firstName: `Atomic${i}`, email: `atomic-all-${i}@example.org` }));
    items[30] = create({ email: 'atomic-all-30@example.org', customFields: { tier: 'bronze' } });
    const before = await written();
    const response = await batch({ mode: 'atomic', items });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ index: 30, errors: [{ field: 'items.30.data.customFields.tier' }] });
    expect(await written()).toEqual(before);
  });

  it('queues one webhook delivery per created contact, each naming its own record and fields', async () => {
    const response = await batch({
      mode: 'atomic',
      items: [create({ firstName: 'Hook' }), create({ email: 'hook@example.org', city: 'Bern' }), create({ lastName: 'Last', customFields: { tier: 'gold' } })],
    });
    const ids: string[] = response.json().data.map((item: Answer) => item.id);
    const deliveries = await t.database.query<{ payload: { type: string; data: { id: string; changedFields: string[] } } }>(
      "select payload from webhook_deliveries where tenant_id = $1 and payload->'data'->>'id' = any($2::text[])",
      [workspace.id, ids],
    );
    expect(deliveries).toHaveLength(3);
    const byRecord = new Map(deliveries.map(({ payload }) => [payload.data.id, payload]));
    expect(byRecord.get(ids[0])).toMatchObject({ type: 'contact.created', data: { changedFields: ['firstName'] } });
    expect(byRecord.get(ids[1])?.data.changedFields).toEqual(['email', 'city']);
    expect(byRecord.get(ids[2])?.data.changedFields).toEqual(['lastName', 'customFields.tier']);
  });
});
