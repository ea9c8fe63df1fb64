import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditEntries, recordErasure, recordObjection, recordRestriction, type PurposeContext } from '../src/kernel/index.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

/*
 * `?explain=true` on the contact list: how many people the filters matched that the purpose
 * left out, and why, without singling anyone out — a count below 5 (0 included) reads
 * "fewer than 5" and every reason that can apply is always listed.
 */

let t: TestApp;
let workspace: TestWorkspace;
let rights: PurposeContext;

type Explain = { leftOut: Array<{ reason: string; count: number | string; message: string }>; countIsLowerBound: boolean };

async function company(name: string): Promise<string> {
  const response = await t.request(workspace.keys.admin, { method: 'POST', url: '/api/v1/companies', payload: { name }, purpose: 'sales' });
  return response.json().data.id;
}

async function contactAt(companyId: string, firstName: string): Promise<string> {
  const response = await t.request(workspace.keys.admin, { method: 'POST', url: '/api/v1/contacts', payload: { firstName, companyId }, purpose: 'sales' });
  expect(response.statusCode).toBe(201);
  return response.json().data.id;
}

async function explained(query: string, purpose = 'sales'): Promise<{ ids: string[]; explain: Explain }> {
  const response = await t.request(workspace.keys.admin, { method: 'GET', url: `/api/v1/contacts?${query}&explain=true`, purpose });
  expect(response.statusCode).toBe(200);
  const body = response.json();
  return { ids: body.data.map((row: { id: string }) => row.id), explain: body.explain };
}

const counts = (explain: Explain) => Object.fromEntries(explain.leftOut.map((entry) => [entry.reason, entry.count]));

beforeAll(async () => {
  t = await createTestApp({ config: { countCap: 8 } });
  workspace = await t.createWorkspace();
  rights = { tenantId: workspace.id, actor: { type: 'api_key', id: 'rights-desk', role: 'privacy_officer', createdBy: null }, purpose: 'legal_compliance' };
});
afterAll(() => t.close());

describe('a list that explains who it left out', () => {
  it('cannot tell a company whose one contact objected from one whose one contact did not', async () => {
    const objectingCompany = await company('Objecting Ltd');
    const quietCompany = await company('Quiet Ltd');
    const objecting = await contactAt(objectingCompany, 'Olga');
    const quiet = await contactAt(quietCompany, 'Quinn');
    await recordObjection(t.database.db, rights, objecting, { purposeKey: 'sales' });

    const ofObjecting = await explained(`companyId=${objectingCompany}`);
    const ofQuiet = await explained(`companyId=${quietCompany}`);
    expect(ofObjecting.ids).toEqual([]);
    expect(ofQuiet.ids).toEqual([quiet]);
    expect(ofObjecting.explain).toEqual({
      leftOut: [
        { reason: 'erased', count: 'fewer than 5', message: 'erased at their request' },
        { reason: 'restricted', count: 'fewer than 5', message: 'restricted the processing of their data (GDPR Art. 18)' },
        { reason: 'objected', count: 'fewer than 5', message: 'objected to sales (GDPR Art. 21)' },
      ],
      countIsLowerBound: false,
    });
    expect(ofQuiet.explain).toEqual(ofObjecting.explain);
  });

  it('gives counts of 5 and more, by reason, under the same filters as the list', async () => {
    const companyId = await company('Many Ltd');
    const people = [];
    for (let index = 0; index < 7; index += 1) people.push(await contactAt(companyId, `Many${index}`));
    for (const id of people.slice(0, 5)) await recordObjection(t.database.db, rights, id, { purposeKey: 'sales' });
    await recordRestriction(t.database.db, rights, people[5]);
    const { ids, explain } = await explained(`companyId=${companyId}`);
    expect(ids).toEqual([people[6]]);
    expect(counts(explain)).toEqual({ erased: 'fewer than 5', restricted: 'fewer than 5', objected: 5 });
    // Another purpose, another answer: the objection was to sales only.
    const support = await explained(`companyId=${companyId}`, 'support');
    expect(support.ids.sort()).toEqual([...people.slice(0, 5), people[6]].sort());
    expect(counts(support.explain)).toEqual({ erased: 'fewer than 5', restricted: 'fewer than 5' });
  });

  it('lists the consent rule for a consent purpose, and says when it stopped counting at the cap', async () => {
    const companyId = await company('Consentless Ltd');
    for (let index = 0; index < 9; index += 1) await contactAt(companyId, `Silent${index}`);
    const { ids, explain } = await explained(`companyId=${companyId}`, 'email_marketing');
    expect(ids).toEqual([]);
    expect(counts(explain)).toEqual({ erased: 'fewer than 5', restricted: 'fewer than 5', objected: 'fewer than 5', no_live_consent: 8 });
    expect(explain.countIsLowerBound).toBe(true);
    expect(explain.leftOut.find((entry) => entry.reason === 'no_live_consent')?.message).toBe(
      'no consent to email_marketing: never given, withdrawn or expired',
    );
  });

  it('counts an erased person as erased, and says nothing of anyone unless asked', async () => {
    const companyId = await company('Erased Ltd');
    const erased = [];
    for (let index = 0; index < 5; index += 1) erased.push(await contactAt(companyId, `Gone${index}`));
    for (const id of erased) await recordErasure(t.database.db, rights, id);
    expect(counts((await explained(`companyId=${companyId}`)).explain)).toMatchObject({ erased: 5 });
    const plain = await t.request(workspace.keys.admin, { method: 'GET', url: `/api/v1/contacts?companyId=${companyId}`, purpose: 'sales' });
    expect(plain.json()).not.toHaveProperty('explain');
  });

  it('notes in the list’s audit entry that it counted who was left out, naming nobody it left out', async () => {
    const objecting = await contactAt(await company('Audited Ltd'), 'Aud');
    await recordObjection(t.database.db, rights, objecting, { purposeKey: 'sales' });
    await explained('lifecycleStage=lead');
    const [entry] = (await listAuditEntries(t.database.db, workspace.id, { limit: 100_000 })).slice(-1);
    expect(entry).toMatchObject({ action: 'contact.listed', detail: { leftOutCounted: true } });
    expect(entry.subjectPseudonyms.length).toBeGreaterThan(0);
    const withoutExplain = await t.request(workspace.keys.admin, { method: 'GET', url: '/api/v1/contacts?lifecycleStage=lead', purpose: 'sales' });
    expect(withoutExplain.statusCode).toBe(200);
    const [plainEntry] = (await listAuditEntries(t.database.db, workspace.id, { limit: 100_000 })).slice(-1);
    expect(plainEntry.detail).toEqual({});
    expect(plainEntry.subjectPseudonyms).toEqual(entry.subjectPseudonyms);
  });
});
