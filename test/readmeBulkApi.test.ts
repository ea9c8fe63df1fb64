import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';
import { grantTestDefaults } from './support/contactPolicy.ts';
import { codeBlocks, curlRequest, matchesDocumented, readmeSection, shellWords } from './support/readme.ts';

// The README's "Bulk API" section is run as written: its curl command is parsed (method,
// URL, headers, body) and sent to the app, and the answer must match the JSON the README
// shows ("…" stands for any value, a "…" key for any further keys). Its `candor import`
// line is run by test/importCli.test.ts.

let t: TestApp;
let workspace: TestWorkspace;

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
  await grantTestDefaults(t, workspace.id);
});
afterAll(() => t.close());

describe('README: Bulk API', () => {
  it('answers its curl example with the JSON it shows, and replays it for the same Idempotency-Key', async () => {
    const section = readmeSection('Bulk API');
    const [curl] = codeBlocks(section, 'sh').filter((block) => block.trimStart().startsWith('curl'));
    const [shown] = codeBlocks(section, 'json');
    const request = curlRequest(shellWords(curl, { KEY: workspace.keys.sales, CANDOR: 'http://localhost:3000' }));
    const send = () => t.app.inject({ method: request.method as 'POST', url: request.url, headers: request.headers, payload: request.body });
    const response = await send();
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(matchesDocumented(body, JSON.parse(shown)), JSON.stringify(body)).toBe(true);
    const retry = await send();
    expect(retry.json()).toEqual(body);
  });

  it('matches documented JSON strictly apart from its placeholders', () => {
    expect(matchesDocumented({ a: 1, b: 2 }, { a: 1, '…': '…' })).toBe(true);
    expect(matchesDocumented({ a: 1, b: 2 }, { a: 1 })).toBe(false);
    expect(matchesDocumented([1, 2], [1])).toBe(false);
    expect(matchesDocumented([1, 2], [1, '…'])).toBe(true);
    expect(matchesDocumented([], [1, '…'])).toBe(false);
    expect(matchesDocumented([2, 1], [1, '…'])).toBe(false);
    expect(matchesDocumented({ id: 'x' }, { id: '…' })).toBe(true);
  });
});
