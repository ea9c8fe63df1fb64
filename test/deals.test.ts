import { and, arrayContains, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntries } from '../src/db/schema/index.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';
import { addBareCompany, addBareContact, addTestUser, firstErrorField } from './support/salesRecords.ts';

let t: TestApp;
let workspace: TestWorkspace;
let other: TestWorkspace;

type Stage = { id: string; name: string; outcome: string };
type Pipeline = { id: string; isDefault: boolean; stages: Stage[] };
type Deal = {
  id: string;
  pipelineId: string;
  stageId: string;
  name: string;
  amountMinor: number | null;
  currency: string | null;
  companyId: string | null;
  ownerId: string | null;
  expectedCloseDate: string | null;
  closedAt: string | null;
  contactIds: string[];
  customFields: Record<string, unknown>;
  version: number;
};

let salesPipeline: Pipeline;
let secondPipeline: Pipeline;

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
  other = await t.createWorkspace();
  salesPipeline = (await t.request(workspace.keys.admin, { method: 'GET', url: '/api/v1/pipelines' })).json().data[0];
  const created = await t.request(workspace.keys.admin, {
    method: 'POST',
    url: '/api/v1/pipelines',
    payload: {
      name: 'Renewals',
      stages: [
        { name: 'Due', probability: 50, outcome: 'open' },
        { name: 'Renewed', probability: 100, outcome: 'won' },
      ],
    },
  });
  secondPipeline = created.json().data;
});
afterAll(() => t.close());

const sales = () => workspace.keys.sales;
const stageNamed = (pipeline: Pipeline, name: string) => pipeline.stages.find((stage) => stage.name === name) as Stage;

async function createDeal(payload: Record<string, unknown>, key = sales()): Promise<Deal> {
  const response = await t.request(key, { method: 'POST', url: '/api/v1/deals', payload: { name: 'Deal', ...payload } });
  expect(response.statusCode).toBe(201);
  return response.json().data;
}

async function patchDeal(deal: Deal, payload: Record<string, unknown>, key = sales()) {
  return t.request(key, { method: 'PATCH', url: `/api/v1/deals/${deal.id}`, payload, headers: { 'if-match': `"${deal.version}"` } });
}

async function listDealIds(query: string, key = sales()): Promise<string[]> {
  const response = await t.request(key, { method: 'GET', url: `/api/v1/deals?${query}` });
  expect(response.statusCode).toBe(200);
  return response.json().data.map((deal: Deal) => deal.id);
}

describe('deals', () => {
  it('creates a deal in the first stage of the default pipeline, with its contacts, company and owner', async () => {
    const [contactA, contactB] = [await addBareContact(t, workspace.id), await addBareContact(t, workspace.id)];
    const companyId = await addBareCompany(t, workspace.id);
    const ownerId = await addTestUser(t, workspace.id);
    const response = await t.request(sales(), {
      method: 'POST',
      url: '/api/v1/deals',
      payload: {
        name: 'Annual licence',
        amountMinor: 1_250_000,
        currency: 'EUR',
        companyId,
        ownerId,
        expectedCloseDate: '2026-03-31',
        contactIds: [contactB, contactA, contactB],
      },
    });
    expect(response.statusCode).toBe(201);
    expect(response.headers.etag).toBe('"1"');
    const deal: Deal = response.json().data;
    expect(deal).toMatchObject({
      pipelineId: salesPipeline.id,
      stageId: salesPipeline.stages[0].id,
      name: 'Annual licence',
      amountMinor: 1_250_000,
      currency: 'EUR',
      companyId,
      ownerId,
      expectedCloseDate: '2026-03-31',
      closedAt: null,
      customFields: {},
      version: 1,
    });
    expect([...deal.contactIds].sort()).toEqual([contactA, contactB].sort());
    const read = await t.request(workspace.keys.support, { method: 'GET', url: `/api/v1/deals/${deal.id}` });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual({ data: deal, withheld: [] });
  });

  it('sets closedAt when a deal reaches a won or lost stage and clears it when it reopens', async () => {
    const deal = await createDeal({});
    const won = await patchDeal(deal, { stageId: stageNamed(salesPipeline, 'Closed won').id });
    expect(won.statusCode).toBe(200);
    expect(won.json().data.closedAt).toEqual(expect.any(String));
    const reopened = await patchDeal(won.json().data, { stageId: stageNamed(salesPipeline, 'Proposal').id });
    expect(reopened.json().data.closedAt).toBeNull();
    const createdLost = await createDeal({ stageId: stageNamed(salesPipeline, 'Closed lost').id });
    expect(createdLost.closedAt).toEqual(expect.any(String));
  });

  it('refuses a stage of another pipeline, naming stageId, and moves pipelines only with a stage of the new one', async () => {
    const refused = await t.request(sales(), { method: 'POST', url: '/api/v1/deals', payload: { name: 'X', stageId: secondPipeline.stages[0].id } });
    expect(refused.statusCode).toBe(422);
    expect(firstErrorField(refused.json())).toBe('stageId');
    const deal = await createDeal({});
    const withoutStage = await patchDeal(deal, { pipelineId: secondPipeline.id });
    expect(withoutStage.statusCode).toBe(422);
    expect(firstErrorField(withoutStage.json())).toBe('stageId');
    const wrongStage = await patchDeal(deal, { pipelineId: secondPipeline.id, stageId: salesPipeline.stages[1].id });
    expect(firstErrorField(wrongStage.json())).toBe('stageId');
    const moved = await patchDeal(deal, { pipelineId: secondPipeline.id, stageId: stageNamed(secondPipeline, 'Renewed').id });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().data).toMatchObject({ pipelineId: secondPipeline.id, closedAt: expect.any(String) });
  });

  it('names the field of every invalid value', async () => {
    const foreignContact = await addBareContact(t, other.id);
    const foreignCompany = await addBareCompany(t, other.id);
    const foreignUser = await addTestUser(t, other.id);
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ name: '' }, 422, 'name'],
      [{ name: '   ' }, 422, 'name'],
      [{ amountMinor: 1.5, currency: 'EUR' }, 422, 'amountMinor'],
      [{ amountMinor: -1, currency: 'EUR' }, 422, 'amountMinor'],
      [{ amountMinor: 100 }, 422, 'currency'],
      [{ amountMinor: 100, currency: 'eur' }, 422, 'currency'],
      [{ amountMinor: 100, currency: 'XYZ' }, 422, 'currency'],
      [{ expectedCloseDate: '31/03/2026' }, 422, 'expectedCloseDate'],
      [{ pipelineId: '0190a0a0-0000-7000-8000-000000000001' }, 422, 'pipelineId'],
      [{ contactIds: [foreignContact] }, 422, 'contactIds.0'],
      [{ contactIds: ['nope'] }, 422, 'contactIds.0'],
      [{ companyId: foreignCompany }, 422, 'companyId'],
      [{ ownerId: foreignUser }, 422, 'ownerId'],
      [{ customFields: { budget: 5 } }, 422, 'customFields.budget'],
      [{ amount: 5 }, 422, 'body'],
    ];
    for (const [payload, status, field] of cases) {
      const response = await t.request(sales(), { method: 'POST', url: '/api/v1/deals', payload: { name: 'Invalid', ...payload } });
      expect({ field, status: response.statusCode, named: firstErrorField(response.json()) }).toEqual({ field, status, named: field });
    }
    const badSort = await t.request(sales(), { method: 'GET', url: '/api/v1/deals?sort=name' });
    expect([badSort.statusCode, firstErrorField(badSort.json())]).toEqual([422, 'sort']);
    const badCursor = await t.request(sales(), { method: 'GET', url: '/api/v1/deals?cursor=garbage' });
    expect([badCursor.statusCode, firstErrorField(badCursor.json())]).toEqual([422, 'cursor']);
    const badLimit = await t.request(sales(), { method: 'GET', url: '/api/v1/deals?limit=201' });
    expect([badLimit.statusCode, firstErrorField(badLimit.json())]).toEqual([422, 'querystring.limit']);
  });

  it("checks custom values against the workspace's deal fields, merging changes and removing nulls", async () => {
    const declared = await t.request(workspace.keys.admin, {
      method: 'POST',
      url: '/api/v1/custom-fields',
      payload: { object: 'deal', key: 'region', label: 'Region', type: 'select', dataCategory: 'system.operations', options: ['EMEA', 'APAC'] },
    });
    expect(declared.statusCode).toBe(201);
    const deal = await createDeal({ customFields: { region: 'EMEA' } });
    expect(deal.customFields).toEqual({ region: 'EMEA' });
    const wrongOption = await patchDeal(deal, { customFields: { region: 'Mars' } });
    expect([wrongOption.statusCode, firstErrorField(wrongOption.json())]).toEqual([422, 'customFields.region']);
    const cleared = await patchDeal(deal, { customFields: { region: null } });
    expect(cleared.json().data.customFields).toEqual({});
  });

  it('filters deals by pipeline, stage, owner, company and contact', async () => {
    const ownerId = await addTestUser(t, workspace.id);
    const companyId = await addBareCompany(t, workspace.id);
    const contactId = await addBareContact(t, workspace.id);
    const renewal = await createDeal({ pipelineId: secondPipeline.id });
    const owned = await createDeal({ ownerId, stageId: stageNamed(salesPipeline, 'Negotiation').id });
    const forCompany = await createDeal({ companyId });
    const withContact = await createDeal({ contactIds: [contactId] });
    expect(await listDealIds(`pipelineId=${secondPipeline.id}&limit=200`)).toContain(renewal.id);
    expect(await listDealIds(`pipelineId=${secondPipeline.id}&limit=200`)).not.toContain(owned.id);
    expect(await listDealIds(`stageId=${stageNamed(salesPipeline, 'Negotiation').id}`)).toEqual([owned.id]);
    expect(await listDealIds(`ownerId=${ownerId}`)).toEqual([owned.id]);
    expect(await listDealIds(`companyId=${companyId}`)).toEqual([forCompany.id]);
    expect(await listDealIds(`contactId=${contactId}`)).toEqual([withContact.id]);
  });

  it('sorts by amount and expected close date with empty values last', async () => {
    const companyId = await addBareCompany(t, workspace.id);
    const small = await createDeal({ companyId, amountMinor: 100, currency: 'USD', expectedCloseDate: '2026-05-01' });
    const none = await createDeal({ companyId });
    const large = await createDeal({ companyId, amountMinor: 9_000, currency: 'USD', expectedCloseDate: '2026-01-15' });
    expect(await listDealIds(`companyId=${companyId}&sort=amount`)).toEqual([small.id, large.id, none.id]);
    expect(await listDealIds(`companyId=${companyId}&sort=-amountMinor`)).toEqual([large.id, small.id, none.id]);
    expect(await listDealIds(`companyId=${companyId}&sort=expectedCloseDate`)).toEqual([large.id, small.id, none.id]);
    expect(await listDealIds(`companyId=${companyId}&sort=amount&limit=2`)).toEqual([small.id, large.id]);
  });

  it('pages through deals without repeats or gaps while deals are inserted between pages', async () => {
    const companyId = await addBareCompany(t, workspace.id);
    const before: string[] = [];
    for (let index = 0; index < 5; index += 1) before.push((await createDeal({ companyId, amountMinor: 500, currency: 'EUR' })).id);
    for (const sort of ['createdAt', '-createdAt', 'amount']) {
      const seen: string[] = [];
      let cursor: string | null = null;
      let insertedDuring: string[] = [];
      do {
        const url: string = `/api/v1/deals?companyId=${companyId}&sort=${sort}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const response = await t.request(sales(), { method: 'GET', url });
        expect(response.statusCode).toBe(200);
        seen.push(...response.json().data.map((deal: Deal) => deal.id));
        cursor = response.json().nextCursor;
        if (insertedDuring.length < 2) insertedDuring.push((await createDeal({ companyId, amountMinor: 500, currency: 'EUR' })).id);
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      for (const id of before) expect(seen).toContain(id);
      before.push(...insertedDuring);
      insertedDuring = [];
    }
  });

  it('needs If-Match to change a deal, refuses a stale one with 412, and replaces contacts', async () => {
    const [first, second] = [await addBareContact(t, workspace.id), await addBareContact(t, workspace.id)];
    const deal = await createDeal({ contactIds: [first] });
    const missing = await t.request(sales(), { method: 'PATCH', url: `/api/v1/deals/${deal.id}`, payload: { name: 'No match' } });
    expect(missing.statusCode).toBe(428);
    const updated = await patchDeal(deal, { name: 'Renamed', contactIds: [second], amountMinor: 42, currency: 'GBP' });
    expect(updated.statusCode).toBe(200);
    expect(updated.headers.etag).toBe('"2"');
    expect(updated.json().data).toMatchObject({ name: 'Renamed', contactIds: [second], amountMinor: 42, currency: 'GBP', version: 2 });
    const stale = await patchDeal(deal, { name: 'Lost update' });
    expect(stale.statusCode).toBe(412);
    const read = await t.request(sales(), { method: 'GET', url: `/api/v1/deals/${deal.id}` });
    expect(read.json().data.name).toBe('Renamed');
  });

  it('deletes a deal for good and records each change with field names only', async () => {
    const deal = await createDeal({ amountMinor: 7, currency: 'EUR' });
    await patchDeal(deal, { name: 'Before delete' });
    const deleted = await t.request(sales(), { method: 'DELETE', url: `/api/v1/deals/${deal.id}` });
    expect(deleted.statusCode).toBe(204);
    expect((await t.request(sales(), { method: 'GET', url: `/api/v1/deals/${deal.id}` })).statusCode).toBe(404);
    expect((await t.request(sales(), { method: 'DELETE', url: `/api/v1/deals/${deal.id}` })).statusCode).toBe(404);
    const audit = await t.database.db
      .select({ action: auditEntries.action, fields: auditEntries.fields, detail: auditEntries.detail })
      .from(auditEntries)
      .where(and(eq(auditEntries.tenantId, workspace.id), arrayContains(auditEntries.recordIds, [deal.id])))
      .orderBy(auditEntries.sequence);
    // Reads are audited too (deal.read); the changes are these three.
    expect(audit.map((entry) => entry.action).filter((action) => action !== 'deal.read')).toEqual(['deal.created', 'deal.updated', 'deal.deleted']);
    expect(audit.find((entry) => entry.action === 'deal.updated')?.fields).toContain('name');
    expect(JSON.stringify(audit)).not.toContain('Before delete');
  });

  it('creates one deal for two requests with the same Idempotency-Key', async () => {
    const headers = { 'idempotency-key': 'deal-create-42' };
    const payload = { name: 'Retried deal', amountMinor: 1, currency: 'EUR' };
    const first = await t.request(sales(), { method: 'POST', url: '/api/v1/deals', payload, headers });
    const second = await t.request(sales(), { method: 'POST', url: '/api/v1/deals', payload, headers });
    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
    expect(second.json().data.id).toBe(first.json().data.id);
    const changedBody = await t.request(sales(), { method: 'POST', url: '/api/v1/deals', payload: { ...payload, amountMinor: 2 }, headers });
    expect(changedBody.statusCode).toBe(422);
  });

  it('follows the role matrix: analysts cannot read deals, support and marketing only read, privacy officers cannot write', async () => {
    const deal = await createDeal({});
    expect((await t.request(workspace.keys.analyst, { method: 'GET', url: '/api/v1/deals' })).statusCode).toBe(403);
    expect((await t.request(workspace.keys.analyst, { method: 'GET', url: `/api/v1/deals/${deal.id}` })).statusCode).toBe(403);
    for (const role of ['support', 'marketing', 'privacy_officer'] as const) {
      expect((await t.request(workspace.keys[role], { method: 'GET', url: `/api/v1/deals/${deal.id}` })).statusCode).toBe(200);
      expect((await t.request(workspace.keys[role], { method: 'POST', url: '/api/v1/deals', payload: { name: 'Nope' } })).statusCode).toBe(403);
      expect((await patchDeal(deal, { name: 'Nope' }, workspace.keys[role])).statusCode).toBe(403);
      expect((await t.request(workspace.keys[role], { method: 'DELETE', url: `/api/v1/deals/${deal.id}` })).statusCode).toBe(403);
    }
    expect((await t.request(workspace.keys.admin, { method: 'DELETE', url: `/api/v1/deals/${deal.id}` })).statusCode).toBe(204);
  });

  it("answers 404 for another workspace's deal and never lists it", async () => {
    const deal = await createDeal({});
    const key = other.keys.sales;
    expect((await t.request(key, { method: 'GET', url: `/api/v1/deals/${deal.id}` })).statusCode).toBe(404);
    expect((await patchDeal(deal, { name: 'Taken over' }, key)).statusCode).toBe(404);
    expect((await t.request(key, { method: 'DELETE', url: `/api/v1/deals/${deal.id}` })).statusCode).toBe(404);
    expect(await listDealIds('limit=200', key)).not.toContain(deal.id);
    expect((await t.request(key, { method: 'GET', url: '/api/v1/deals/123' })).statusCode).toBe(422);
    const foreignStage = await t.request(key, { method: 'POST', url: '/api/v1/deals', payload: { name: 'X', stageId: deal.stageId } });
    expect(foreignStage.statusCode).toBe(422);
  });
});
