import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordObjection } from '../src/kernel/index.ts';
import { codeBlocks, curlRequest, matchesDocumented, readmeSection, shellWords } from './support/readme.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

// The README's examples of its API conventions, run as written: the refusal of an unknown
// query parameter ("API conventions") and a list that explains who it left out ("Paging and
// counts"). Each curl command is parsed and sent; the answer must match the JSON shown.

let t: TestApp;
let workspace: TestWorkspace;

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
});
afterAll(() => t.close());

/** The curl example of a section that contains `marker`, sent as written, and the JSON block after it. */
async function runExample(section: string, marker: string, variables: Record<string, string>) {
  const text = readmeSection(section);
  const blocks = codeBlocks(text, 'sh');
  const index = blocks.findIndex((block) => block.includes(marker));
  expect(index, `a curl example with ${marker} in ${section}`).toBeGreaterThanOrEqual(0);
  const request = curlRequest(shellWords(blocks[index], { CANDOR: 'http://localhost:3000', KEY: workspace.keys.sales, ...variables }));
  const response = await t.app.inject({ method: request.method as 'GET', url: request.url, headers: request.headers });
  const shown = codeBlocks(text.slice(text.indexOf(blocks[index]) + blocks[index].length), 'json')[0];
  return { response, shown: JSON.parse(shown) as unknown };
}

describe('README: API conventions', () => {
  it('refuses the unknown query parameter of its example with the problem it shows', async () => {
    const { response, shown } = await runExample('API conventions', 'updatedSince', {});
    expect(response.statusCode).toBe(400);
    expect(matchesDocumented(response.json(), shown), response.body).toBe(true);
  });

  it('explains a list of one company whose one contact objected as it shows', async () => {
    const company = await t.request(workspace.keys.sales, { method: 'POST', url: '/api/v1/companies', payload: { name: 'Objection Ltd' } });
    const companyId = company.json().data.id;
    const contact = await t.request(workspace.keys.sales, { method: 'POST', url: '/api/v1/contacts', payload: { firstName: 'Olu', companyId } });
    const rights = {
      tenantId: workspace.id,
      actor: { type: 'api_key' as const, id: 'rights-desk', role: 'privacy_officer' as const, createdBy: null },
      purpose: 'legal_compliance',
    };
    await recordObjection(t.database.db, rights, contact.json().data.id, { purposeKey: 'sales' });
    const { response, shown } = await runExample('Paging and counts', 'explain=true', { COMPANY_ID: companyId });
    expect(response.statusCode).toBe(200);
    expect(matchesDocumented(response.json(), shown), response.body).toBe(true);
  });
});
