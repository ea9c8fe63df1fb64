import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDeal } from '../src/crm/deals/deals.ts';
import { pseudonymsOfSubject, listAuditEntries, recordObjection, recordRestriction, type AuditEntry, type PurposeContext } from '../src/kernel/index.ts';
import { grantTestDefaults } from './support/contactPolicy.ts';
import { createTestApp, withheldCodes, type TestApp, type TestWorkspace } from './support/testApp.ts';

/*
 * Deals, purchases and companies hold no personal values, but deals and purchases say who
 * bought or is involved: each read is grant-checked and audited once, naming the people it
 * links to, and a linked person the purpose may not process is not revealed as linked.
 */

let t: TestApp;
let workspace: TestWorkspace;
let rights: PurposeContext;
let free: string;
let restricted: string;
let companyId: string;
let dealId: string;
let restrictedPurchase: string;
let freePurchase: string;

const get = (url: string, key = workspace.keys.sales, purpose = 'sales') => t.request(key, { method: 'GET', url, purpose });

async function contact(name: string): Promise<string> {
  const created = await t.request(workspace.keys.admin, { method: 'POST', url: '/api/v1/contacts', payload: { firstName: name }, purpose: 'sales' });
  expect(created.statusCode).toBe(201);
  return created.json().data.id;
}

async function purchase(orderNumber: string, contactId: string): Promise<string> {
  const created = await t.request(workspace.keys.admin, {
    method: 'POST',
    url: '/api/v1/purchases',
    purpose: 'sales',
    payload: { orderNumber, currency: 'EUR', lines: [{ name: 'Mug', quantity: 1, unitPriceMinor: 1500 }], contactId },
  });
  expect(created.statusCode).toBe(201);
  return created.json().data.id;
}

/** Audit entries written while `work` ran. */
async function entriesDuring(work: () => Promise<unknown>): Promise<AuditEntry[]> {
  const [last] = (await listAuditEntries(t.database.db, workspace.id, { limit: 100_000 })).slice(-1);
  await work();
  return listAuditEntries(t.database.db, workspace.id, { after: last?.sequence ?? 0, limit: 1000 });
}

async function pseudonym(subjectId: string): Promise<string> {
  const found = await pseudonymsOfSubject(t.database.db, workspace.id, subjectId);
  if (!found) throw new Error(`no audit pseudonym for ${subjectId}`);
  return found.pseudonym;
}

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
  await grantTestDefaults(t, workspace.id);
  rights = { tenantId: workspace.id, actor: { type: 'api_key', id: 'rights-desk', role: 'privacy_officer', createdBy: null }, purpose: 'legal_compliance' };
  free = await contact('Free');
  restricted = await contact('Restricted');
  companyId = (await t.request(workspace.keys.admin, { method: 'POST', url: '/api/v1/companies', payload: { name: 'Linked Co' }, purpose: 'sales' })).json()
    .data.id;
  const deal = await t.request(workspace.keys.admin, {
    method: 'POST',
    url: '/api/v1/deals',
    payload: { name: 'Linked deal', companyId, contactIds: [free, restricted] },
    purpose: 'sales',
  });
  expect(deal.statusCode).toBe(201);
  dealId = deal.json().data.id;
  restrictedPurchase = await purchase('R-1', restricted);
  freePurchase = await purchase('F-1', free);
  await recordRestriction(t.database.db, rights, restricted);
});
afterAll(() => t.close());

describe('deal reads', () => {
  it('leave a restricted person out of contactIds, say why, and leave one audit entry naming every linked person', async () => {
    let response!: Awaited<ReturnType<typeof get>>;
    const entries = await entriesDuring(async () => {
      response = await get(`/api/v1/deals/${dealId}`);
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().data.contactIds).toEqual([free]);
    expect(withheldCodes(response.json())).toEqual([{ field: 'contactIds', reason: 'restricted' }]);
    expect(entries.map((entry) => entry.action)).toEqual(['deal.read']);
    const [entry] = entries;
    expect(entry).toMatchObject({
      object: 'deal',
      purpose: 'sales',
      recordIds: [dealId],
      decision: 'partial',
      reasons: [{ field: 'contactIds', reason: 'restricted' }],
    });
    expect(entry.subjectPseudonyms).toEqual([await pseudonym(free), await pseudonym(restricted)].sort());
    expect(JSON.stringify(entry)).not.toContain(free);
  });

  it('in a list are policed set-wise with one audit entry for the page', async () => {
    let response!: Awaited<ReturnType<typeof get>>;
    const entries = await entriesDuring(async () => {
      response = await get('/api/v1/deals');
    });
    expect(response.json().data.map((deal: { contactIds: string[] }) => deal.contactIds)).toEqual([[free]]);
    expect(withheldCodes(response.json())).toEqual([{ field: 'contactIds', reason: 'restricted' }]);
    expect(entries.map((entry) => [entry.action, entry.recordIds])).toEqual([['deal.listed', [dealId]]]);
    expect(entries[0].subjectPseudonyms).toHaveLength(2);
  });

  it('filtered by a person the purpose may not process return nothing, saying why', async () => {
    const response = await get(`/api/v1/deals?contactId=${restricted}`);
    expect(response.json().data).toEqual([]);
    expect(withheldCodes(response.json())).toEqual([{ field: 'contactId', reason: 'restricted' }]);
    expect((await get(`/api/v1/deals?contactId=${free}`)).json().data.map((deal: { id: string }) => deal.id)).toEqual([dealId]);
  });

  it('apply an objection under the purpose objected to only', async () => {
    const objecting = await contact('Objecting');
    const deal = await t.request(workspace.keys.admin, {
      method: 'POST',
      url: '/api/v1/deals',
      payload: { name: 'Objection deal', contactIds: [objecting] },
      purpose: 'sales',
    });
    await recordObjection(t.database.db, rights, objecting, { purposeKey: 'sales' });
    const sales = await get(`/api/v1/deals/${deal.json().data.id}`);
    expect(sales.json()).toMatchObject({ data: { contactIds: [] }, withheld: [{ field: 'contactIds', reason: 'objected' }] });
    const support = await get(`/api/v1/deals/${deal.json().data.id}`, workspace.keys.support, 'support');
    expect(support.json()).toMatchObject({ data: { contactIds: [objecting] }, withheld: [] });
  });

  it('refuse in the kernel a role the workspace does not grant the purpose, and audit the refusal', async () => {
    const analyst: PurposeContext = {
      tenantId: workspace.id,
      actor: { type: 'api_key', id: 'analyst-key', role: 'analyst', createdBy: null },
      purpose: 'sales',
    };
    const entries = await entriesDuring(() => expect(getDeal(t.database.db, analyst, dealId)).rejects.toMatchObject({ code: 'purpose_not_granted' }));
    expect(entries.map((entry) => [entry.action, entry.decision])).toEqual([['deal.read', 'deny']]);
  });
});

describe('purchase reads', () => {
  it("leave out a restricted buyer's contactId, say why, and audit the buyer", async () => {
    let response!: Awaited<ReturnType<typeof get>>;
    const entries = await entriesDuring(async () => {
      response = await get(`/api/v1/purchases/${restrictedPurchase}`);
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().data).not.toHaveProperty('contactId');
    expect(response.json().data.orderNumber).toBe('R-1');
    expect(withheldCodes(response.json())).toEqual([{ field: 'contactId', reason: 'restricted' }]);
    expect(entries.map((entry) => [entry.action, entry.object, entry.recordIds, entry.subjectPseudonyms])).toEqual([
      ['purchase.read', 'purchase', [restrictedPurchase], [await pseudonym(restricted)]],
    ]);
    const open = await get(`/api/v1/purchases/${freePurchase}`);
    expect(open.json()).toMatchObject({ data: { contactId: free }, withheld: [] });
  });

  it('in a list name every buyer in one entry, and a filter by a restricted buyer finds nothing', async () => {
    let response!: Awaited<ReturnType<typeof get>>;
    const entries = await entriesDuring(async () => {
      response = await get('/api/v1/purchases?sort=purchasedAt');
    });
    const rows = response.json().data as Array<{ id: string; contactId?: string }>;
    expect(rows.map((row) => [row.id, row.contactId])).toEqual([
      [restrictedPurchase, undefined],
      [freePurchase, free],
    ]);
    expect(entries.map((entry) => entry.action)).toEqual(['purchase.listed']);
    expect(entries[0].subjectPseudonyms).toEqual([await pseudonym(free), await pseudonym(restricted)].sort());
    const filtered = await get(`/api/v1/purchases?contactId=${restricted}`);
    expect(filtered.json()).toMatchObject({ data: [], withheld: [{ field: 'contactId', reason: 'restricted' }] });
  });
});

describe('company reads', () => {
  it('are audited once per call, by the company ids', async () => {
    const entries = await entriesDuring(async () => {
      expect((await get(`/api/v1/companies/${companyId}`)).statusCode).toBe(200);
      expect((await get('/api/v1/companies')).json().data.map((company: { id: string }) => company.id)).toEqual([companyId]);
    });
    expect(entries.map((entry) => [entry.action, entry.object, entry.purpose, entry.recordIds, entry.decision])).toEqual([
      ['company.read', 'company', 'sales', [companyId], 'allow'],
      ['company.listed', 'company', 'sales', [companyId], 'allow'],
    ]);
  });
});
