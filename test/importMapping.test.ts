import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeBlocks, curlCommands, curlRequest, matchesDocumented, readmeSection, shellWords } from './support/readme.ts';
import { createTestApp, errorFields, type TestApp, type TestWorkspace } from './support/testApp.ts';

/* POST /imports/mapping: how an import would map a header row, for the import wizard's mapping step. */

let t: TestApp;
let workspace: TestWorkspace;

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
});
afterAll(() => t?.close());

const headerRow = (file: string) =>
  (readFileSync(new URL(`../examples/${file}`, import.meta.url), 'utf8').split('\n')[0] ?? '').split(',').map((name) => name.replace(/"/g, ''));

function previewMapping(body: object, key = workspace.keys.sales) {
  return t.request(key, { method: 'POST', url: '/api/v1/imports/mapping', payload: body });
}

describe('POST /imports/mapping', () => {
  it('maps the example HubSpot export column by column and names the preset it recognised', async () => {
    const response = await previewMapping({ object: 'contact', headers: headerRow('hubspot-export.csv') });
    expect(response.statusCode).toBe(200);
    const { data } = response.json();
    expect(data.format).toBe('hubspot');
    expect(data.columns.slice(0, 4)).toEqual([
      { column: 0, header: 'Record ID', field: 'externalId' },
      { column: 1, header: 'First Name', field: 'firstName' },
      { column: 2, header: 'Last Name', field: 'lastName' },
      { column: 3, header: 'Email', field: 'email' },
    ]);
    expect(data.unmapped).toEqual([]);
    expect(data.fields).toContain('lifecycleStage');
  });

  it('takes map as POST /imports does: a Salesforce mobile column mapped by hand to phone, the phone column then left out', async () => {
    const response = await previewMapping({ object: 'contact', headers: headerRow('salesforce-Contact.csv'), map: ['Mobile=phone'] });
    const { data } = response.json();
    expect(data.format).toBe('salesforce');
    const fieldOf = (header: string) => data.columns.find((column: { header: string }) => column.header === header)?.field;
    expect(fieldOf('Mobile')).toBe('phone');
    expect(fieldOf('Phone')).toBeNull();
    expect(data.unmapped).toEqual(['Phone']);
  });

  it('refuses a mapping to a field the object does not have, naming map', async () => {
    const response = await previewMapping({ object: 'contact', headers: ['Email'], map: ['Email=shoeSize'] });
    expect(response.statusCode).toBe(422);
    expect(errorFields(response.json())).toEqual(['map']);
  });

  it('is refused to a role that may not import', async () => {
    const response = await previewMapping({ object: 'contact', headers: ['Email'] }, workspace.keys.analyst);
    expect(response.statusCode).toBe(403);
  });
});

describe('README: Mapping the columns first', () => {
  it('answers its curl example with the JSON it shows', async () => {
    const section = readmeSection('Import and export');
    const start = section.indexOf('**Mapping the columns first.**');
    const [command] = curlCommands(codeBlocks(section.slice(start), 'sh')[0] ?? '');
    const [documented] = codeBlocks(section.slice(start), 'json');
    const request = curlRequest(shellWords(command ?? '', { CANDOR: 'http://localhost:3000', KEY: workspace.keys.sales }));
    const response = await t.app.inject({ method: request.method as 'POST', url: request.url, headers: request.headers, payload: request.body });
    expect(response.statusCode, response.body).toBe(200);
    expect(matchesDocumented(response.json(), JSON.parse(documented ?? 'null')), response.body).toBe(true);
  });
});
