import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorFields, type TestApp, type TestWorkspace } from './support/testApp.ts';
import { grantTestDefaults } from './support/contactPolicy.ts';

// Issue 9, "Bulk API for integrations": POST /contacts/batch and /companies/batch.

let t: TestApp;
let workspace: TestWorkspace;
let other: TestWorkspace;
let admin: string;

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
  other = await t.createWorkspace();
  await grantTestDefaults(t, workspace.id);
  await grantTestDefaults(t, other.id);
  admin = workspace.keys.admin;
});
afterAll(() => t.close());

type Item = Record<string, unknown>;
const batch = (payload: Record<string, unknown>, options: { key?: string; purpose?: string; headers?: Record<string, string> } = {}) =>
  t.request(options.key ?? admin, { method: 'POST', url: '/api/v1/contacts/batch', payload, purpose: options.purpose, headers: options.headers });
const upsert = (data: Item): Item => ({ op: 'upsert', data });
const create = (data: Item): Item => ({ op: 'create', data });

async function count(sql: string, params: unknown[]): Promise<number> {
  const [row] = await t.database.query<{ n: number }>(sql, params);
  return row.n;
}
const contactCount = (tenantId = workspace.id) => count('select count(*)::int as n from contacts where tenant_id = $1', [tenantId]);

async function readContact(id: string, key = admin): Promise<Record<string, unknown>> {
  const response = await t.request(key, { method: 'GET', url: `/api/v1/contacts/${id}` });
  expect(response.statusCode).toBe(200);
  return response.json().data;
}

describe('POST /contacts/batch', () => {
  it("creates N contacts in one request, audited in one entry that each person's trail finds, and found by external id without decrypting", async () => {
    const items = Array.from({ length: 25 }, (_, i) => create({ firstName: `Batch${i}`, email: `batch${i}@example.org`, externalId: `hs-${i}` }));
    const response = await batch({ mode: 'atomic', items });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.summary).toEqual({ created: 25, updated: 0, failed: 0 });
    expect(body.data.map((item: { index: number; status: number }) => [item.index, item.status])).toEqual(items.map((_, i) => [i, 201]));
    expect(await readContact(body.data[3].id)).toMatchObject({ firstName: 'Batch3', email: 'batch3@example.org', externalId: 'hs-3' });
    // One audit entry for the batch's creates, naming every person (as pseudonyms) and the fields, never values.
    const [audited, ...more] = await t.database.query<{ fields: string[]; subject_pseudonyms: string[]; detail: unknown }>(
      "select fields, subject_pseudonyms, detail from audit_entries where tenant_id = $1 and action = 'contact.created'",
      [workspace.id],
    );
    expect(more).toEqual([]);
    expect(audited.subject_pseudonyms).toHaveLength(25);
    expect(audited.fields).toEqual(['firstName', 'email', 'externalId']);
    expect(JSON.stringify(audited)).not.toContain('batch3@example.org');
    expect(JSON.stringify(audited)).not.toContain('hs-3');
    for (const { id } of body.data) {
      const trail = await t.request(workspace.keys.privacy_officer, { method: 'GET', url: `/api/v1/audit?subjectId=${id}` });
      expect(trail.json().data.map((entry: { action: string }) => entry.action)).toContain('contact.created');
    }
    // The external id is a column of its own holding a blind index, not the value.
    const [row] = await t.database.query<{ external_id_index: string | null }>('select external_id_index from contacts where tenant_id = $1 and id = $2', [
      workspace.id,
      body.data[3].id,
    ]);
    expect(row.external_id_index).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(row.external_id_index).not.toContain('hs-3');
  });

  it('upserts by e-mail: a known address updates its contact instead of creating a duplicate', async () => {
    const first = await batch({ mode: 'atomic', matchOn: 'email', items: [upsert({ email: 'Upsert.Me@example.org', firstName: 'Una' })] });
    expect(first.json().data[0]).toMatchObject({ status: 201, outcome: 'created' });
    const before = await contactCount();
    const second = await batch({ mode: 'atomic', matchOn: 'email', items: [upsert({ email: 'upsert.me@EXAMPLE.org', jobTitle: 'CTO' })] });
    expect(second.statusCode).toBe(200);
    expect(second.json().data[0]).toMatchObject({ status: 200, outcome: 'updated', id: first.json().data[0].id });
    expect(await contactCount()).toBe(before);
    expect(await readContact(first.json().data[0].id)).toMatchObject({ firstName: 'Una', jobTitle: 'CTO', version: 2 });
  });

  it('upserts by external id, also when the e-mail changes', async () => {
    const first = await batch({ mode: 'atomic', matchOn: 'externalId', items: [upsert({ externalId: 'sf-0018d00000Lm1a', email: 'old@example.org' })] });
    const id = first.json().data[0].id;
    const second = await batch({ mode: 'atomic', matchOn: 'externalId', items: [upsert({ externalId: ' sf-0018d00000Lm1a ', email: 'new@example.org' })] });
    expect(second.json().data[0]).toMatchObject({ status: 200, outcome: 'updated', id });
    expect(await readContact(id)).toMatchObject({ email: 'new@example.org', externalId: 'sf-0018d00000Lm1a' });
    // External ids are case-sensitive (Salesforce): another case is another record.
    const third = await batch({ mode: 'atomic', matchOn: 'externalId', items: [upsert({ externalId: 'SF-0018D00000LM1A' })] });
    expect(third.json().data[0].outcome).toBe('created');
  });

  it('refuses an upsert that lacks the value it matches on, naming the item and field', async () => {
    const response = await batch({ mode: 'atomic', matchOn: 'externalId', items: [upsert({ externalId: 'ok-1' }), upsert({ email: 'x@example.org' })] });
    expect(response.statusCode).toBe(422);
    expect(errorFields(response.json())).toEqual(['items.1.data.externalId']);
  });

  it('writes nothing in atomic mode when one item is refused, naming its index and field', async () => {
    const before = await contactCount();
    const items = [create({ email: 'atomic-a@example.org' }), create({ email: 'atomic-b@example.org' }), create({ email: 'not an address' })];
    const response = await batch({ mode: 'atomic', items });
    expect(response.statusCode).toBe(422);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    const problem = response.json();
    expect(problem.index).toBe(2);
    expect(problem.errors).toEqual([{ field: 'items.2.data.email', reason: 'not a valid e-mail address' }]);
    expect(JSON.stringify(problem)).not.toContain('not an address');
    expect(await contactCount()).toBe(before);
  });

  it('refuses a duplicate e-mail in a create item like POST /contacts does, inside the batch too', async () => {
    const response = await batch({ mode: 'atomic', items: [create({ email: 'twice@example.org' }), create({ email: 'twice@example.org' })] });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({
      code: 'duplicate',
      index: 1,
      errors: [{ field: 'items.1.data.email', reason: 'already used by another contact' }],
    });
  });

  it('writes the valid items in perItem mode and answers each refused one with its own problem', async () => {
    const before = await contactCount();
    const items = [
      create({ email: 'partial-a@example.org' }),
      create({ email: 'broken' }),
      { op: 'update', id: '0190c1f0-0000-7000-8000-000000000000', data: { city: 'Lyon' } },
      create({ email: 'partial-b@example.org' }),
    ];
    const response = await batch({ mode: 'perItem', items });
    expect(response.statusCode).toBe(200);
    const { data, summary } = response.json();
    expect(summary).toEqual({ created: 2, updated: 0, failed: 2 });
    expect(data.map((item: { status: number }) => item.status)).toEqual([201, 422, 404, 201]);
    expect(data[1].problem).toMatchObject({ code: 'validation_failed', errors: [{ field: 'items.1.data.email', reason: 'not a valid e-mail address' }] });
    expect(data[2].problem.code).toBe('not_found');
    expect(await contactCount()).toBe(before + 2);
  });

  it('updates by id, refusing a stale version with 412', async () => {
    const created = await batch({ mode: 'atomic', items: [create({ firstName: 'Vera' })] });
    const id = created.json().data[0].id;
    const response = await batch({
      mode: 'perItem',
      items: [
        { op: 'update', id, version: 1, data: { city: 'Porto' } },
        { op: 'update', id, version: 1, data: { city: 'Faro' } },
      ],
    });
    expect(response.json().data.map((item: { status: number }) => item.status)).toEqual([200, 412]);
    expect(await readContact(id)).toMatchObject({ city: 'Porto', version: 2 });
  });

  it('refuses 1,001 items with 422 naming items, and takes 1,000', async () => {
    const items = Array.from({ length: 1_001 }, (_, i) => create({ firstName: `Many${i}`, email: `many${i}@` }));
    const refused = await batch({ mode: 'perItem', items });
    expect(refused.statusCode).toBe(422);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(errorFields(refused.json())).toContain('items');
    // 1,000 is within the limit: every item is answered (each refused on its own, cheaply).
    const accepted = await batch({ mode: 'perItem', items: items.slice(0, 1_000) });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json().summary).toEqual({ created: 0, updated: 0, failed: 1_000 });
  });

  for (const mode of ['atomic', 'perItem']) {
    it(`refuses a field the purpose may not write with 403 naming the item's field in ${mode} mode, writing nothing`, async () => {
      const purpose = 'email_marketing_existing_customers';
      const before = await contactCount();
      const response = await batch(
        { mode, items: [create({ email: `fine-${mode}@example.org` }), create({ email: `phone-${mode}@example.org`, phone: '+34915550101' })] },
        { key: workspace.keys.marketing, purpose },
      );
      expect(response.statusCode).toBe(403);
      expect(response.json().errors).toEqual([{ field: 'items.1.data.phone', reason: `not declared for the purpose ${purpose}` }]);
      expect(JSON.stringify(response.json())).not.toContain('+34915550101');
      expect(await contactCount()).toBe(before);
    });
  }

  it("never matches another workspace's person in an upsert", async () => {
    const theirs = await batch(
      { mode: 'atomic', matchOn: 'email', items: [upsert({ email: 'shared@example.org', firstName: 'Theirs' })] },
      { key: other.keys.admin },
    );
    const theirId = theirs.json().data[0].id;
    const ours = await batch({ mode: 'atomic', matchOn: 'email', items: [upsert({ email: 'shared@example.org', firstName: 'Ours' })] });
    expect(ours.json().data[0].outcome).toBe('created');
    expect(ours.json().data[0].id).not.toBe(theirId);
    await batch({ mode: 'atomic', matchOn: 'externalId', items: [upsert({ externalId: 'x-tenant', firstName: 'Theirs' })] }, { key: other.keys.admin });
    const byExternal = await batch({ mode: 'atomic', matchOn: 'externalId', items: [upsert({ externalId: 'x-tenant', firstName: 'Ours' })] });
    expect(byExternal.json().data[0].outcome).toBe('created');
    expect(await readContact(theirId, other.keys.admin)).toMatchObject({ firstName: 'Theirs', version: 1 });
  });

  it('lets concurrent batches upsert the same people in opposite orders: one creates, the other updates, none deadlocks', async () => {
    const people = Array.from({ length: 6 }, (_, i) => upsert({ email: `race${i}@example.org`, externalId: `race-${i}` }));
    const before = await contactCount();
    const [forward, backward] = await Promise.all([
      batch({ mode: 'atomic', matchOn: 'email', items: people }),
      batch({ mode: 'atomic', matchOn: 'email', items: [...people].reverse() }),
    ]);
    expect([forward.statusCode, backward.statusCode]).toEqual([200, 200]);
    expect(await contactCount()).toBe(before + 6);
    const outcomes = [...forward.json().data, ...backward.json().data].map((item: { outcome: string }) => item.outcome).sort();
    expect(outcomes).toEqual([...Array(6).fill('created'), ...Array(6).fill('updated')]);
  });

  it('runs a batch once per Idempotency-Key: a retry replays the answer and writes nothing again', async () => {
    const payload = { mode: 'perItem', items: [create({ email: 'idem-a@example.org' }), create({ email: 'bad' })] };
    const headers = { 'idempotency-key': 'batch-retry-1' };
    const first = await batch(payload, { headers });
    const before = await contactCount();
    const retry = await batch(payload, { headers });
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual(first.json());
    expect(await contactCount()).toBe(before);
    const reused = await batch({ ...payload, mode: 'atomic' }, { headers });
    expect(reused.statusCode).toBe(422);
    expect(reused.json().code).toBe('idempotency_conflict');
  });

  it('queues one webhook delivery per written contact', async () => {
    const subscribed = await t.request(admin, {
      method: 'POST',
      url: '/api/v1/webhooks',
      payload: { url: 'https://hooks.example.org/candor', eventTypes: ['contact.created', 'contact.updated'] },
    });
    expect(subscribed.statusCode).toBe(201);
    const before = await count('select count(*)::int as n from webhook_deliveries where tenant_id = $1', [workspace.id]);
    await batch({ mode: 'atomic', matchOn: 'email', items: [upsert({ email: 'hook-a@example.org' }), upsert({ email: 'hook-b@example.org' })] });
    await batch({ mode: 'atomic', matchOn: 'email', items: [upsert({ email: 'hook-a@example.org', city: 'Gent' })] });
    expect(await count('select count(*)::int as n from webhook_deliveries where tenant_id = $1', [workspace.id])).toBe(before + 3);
  });
});

describe('POST /companies/batch', () => {
  const companies = (payload: Record<string, unknown>, key = admin) => t.request(key, { method: 'POST', url: '/api/v1/companies/batch', payload });

  it('creates companies and upserts them by external id or by domain', async () => {
    const created = await companies({
      mode: 'atomic',
      items: [
        { op: 'create', data: { name: 'Acme', externalId: 'acc-1', domain: 'acme.example' } },
        { op: 'create', data: { name: 'Globex', externalId: 'acc-2' } },
      ],
    });
    expect(created.json().summary).toEqual({ created: 2, updated: 0, failed: 0 });
    const [acme, globex] = created.json().data.map((item: { id: string }) => item.id);
    const byExternal = await companies({
      mode: 'atomic',
      matchOn: 'externalId',
      items: [{ op: 'upsert', data: { name: 'Globex Corp', externalId: 'acc-2' } }],
    });
    expect(byExternal.json().data[0]).toMatchObject({ outcome: 'updated', id: globex });
    const byDomain = await companies({
      mode: 'atomic',
      matchOn: 'domain',
      items: [{ op: 'upsert', data: { name: 'Acme Inc', domain: 'https://www.Acme.example/' } }],
    });
    expect(byDomain.json().data[0]).toMatchObject({ outcome: 'updated', id: acme });
    const read = await t.request(admin, { method: 'GET', url: `/api/v1/companies/${globex}` });
    expect(read.json().data).toMatchObject({ name: 'Globex Corp', externalId: 'acc-2', version: 2 });
    // Another workspace's upsert of the same external id creates its own company.
    const theirs = await companies({ mode: 'atomic', items: [{ op: 'upsert', data: { name: 'Globex', externalId: 'acc-2' } }] }, other.keys.admin);
    expect(theirs.json().data[0].outcome).toBe('created');
  });

  it('rolls back every company in atomic mode when one is refused, and writes the rest in perItem mode', async () => {
    const before = await count('select count(*)::int as n from companies where tenant_id = $1', [workspace.id]);
    const items = [
      { op: 'create', data: { name: 'Initech' } },
      { op: 'create', data: { name: 'Hooli', domain: 'not a domain' } },
    ];
    const atomic = await companies({ mode: 'atomic', items });
    expect(atomic.statusCode).toBe(422);
    expect(errorFields(atomic.json())).toEqual(['items.1.data.domain']);
    expect(await count('select count(*)::int as n from companies where tenant_id = $1', [workspace.id])).toBe(before);
    const perItem = await companies({ mode: 'perItem', items });
    expect(perItem.json().data.map((item: { status: number }) => item.status)).toEqual([201, 422]);
    expect(await count('select count(*)::int as n from companies where tenant_id = $1', [workspace.id])).toBe(before + 1);
  });
});
