import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultActivitySort } from '../src/crm/activities/activities.ts';
import { defaultDealSort } from '../src/crm/deals/deals.ts';
import { defaultPurchaseSort } from '../src/crm/purchases/purchases.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';
import { expectReadmeIndexesMatchMigration, matchesDocumented } from './support/readme.ts';

/*
 * Runs every example of README.md's "Paging and counts" section: the table of sorts, the
 * two requests with the answers shown, and the CREATE INDEX CONCURRENTLY statements. (The
 * README walk, test/readmeWalk.test.ts, also runs the two requests on the demo workspace.)
 */

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const section = readme.slice(readme.indexOf('### Paging and counts'), readme.indexOf('\n### ', readme.indexOf('### Paging and counts') + 1));
const blocks = (language: string) => [...section.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((match) => match[1].trim());

let t: TestApp;
let workspace: TestWorkspace;

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
});
afterAll(() => t.close());

const get = async (url: string) => {
  const response = await t.request(workspace.keys.admin, { method: 'GET', url });
  return { status: response.statusCode, body: response.json() };
};

describe('README: Paging and counts', () => {
  it('lists for each list exactly the sorts it allows', async () => {
    const rows = [...section.matchAll(/^\| `GET (\/api\/v1\/\w+)` \| (.+?) \| `(-?\w+)` \|$/gm)];
    expect(rows.map((row) => row[1])).toEqual(['/api/v1/contacts', '/api/v1/companies', '/api/v1/deals', '/api/v1/activities', '/api/v1/purchases']);
    for (const [, url, sortsCell] of rows) {
      const documented = [...sortsCell.matchAll(/`(\w+)`/g)].map((match) => match[1]).sort();
      // The refusal of an unknown sort names the allowed ones.
      const refused = await get(`${url}?sort=notASort`);
      expect(refused.status).toBe(422);
      const allowed = /use one of ([\w, ]+) \(/.exec(refused.body.errors[0].reason)?.[1].split(', ') ?? [];
      expect({ url, sorts: documented }).toEqual({ url, sorts: allowed.sort() });
      for (const sort of documented) expect((await get(`${url}?sort=-${sort}&limit=1`)).status).toBe(200);
    }
  });

  it("names each list's default sort", async () => {
    const defaults = Object.fromEntries([...section.matchAll(/^\| `GET (\/api\/v1\/\w+)` \| .+? \| `(-?\w+)` \|$/gm)].map((row) => [row[1], row[2]]));
    expect(defaults).toMatchObject({ '/api/v1/deals': defaultDealSort, '/api/v1/activities': defaultActivitySort, '/api/v1/purchases': defaultPurchaseSort });
    // Contacts and companies: the cursor of a default-sorted page names the sort it was made for.
    const other = await t.createWorkspace();
    for (const [url, payload] of [
      ['/api/v1/contacts', { firstName: 'Default' }],
      ['/api/v1/companies', { name: 'Default Ltd' }],
    ] as const) {
      for (let index = 0; index < 2; index += 1) await t.request(other.keys.admin, { method: 'POST', url, payload });
      const page = (await t.request(other.keys.admin, { method: 'GET', url: `${url}?limit=1` })).json();
      expect(JSON.parse(Buffer.from(page.nextCursor, 'base64url').toString('utf8'))[0]).toBe(defaults[url]);
    }
  });

  it('answers the two requests as shown, in a workspace with five leads, and ends on a page without a next cursor', async () => {
    for (let index = 0; index < 5; index += 1) {
      expect(
        (await t.request(workspace.keys.admin, { method: 'POST', url: '/api/v1/contacts', payload: { firstName: `Lead ${index}`, lifecycleStage: 'lead' } }))
          .statusCode,
      ).toBe(201);
    }
    const [firstRequest, nextRequest] = blocks('sh')
      .filter((block) => block.includes('lifecycleStage=lead'))
      .map((block) => /"\$CANDOR(\/api\/v1\/[^"]+)"/.exec(block)![1]);
    const [firstAnswer, nextAnswer] = blocks('json').map((block) => JSON.parse(block));
    const first = await get(firstRequest);
    expect(first.status).toBe(200);
    expect(matchesDocumented(first.body, firstAnswer), JSON.stringify(first.body)).toBe(true);
    expect(first.body.total).toBe(5);
    const pageAfter = (cursor: string) => get(nextRequest.replace('$NEXT_CURSOR', encodeURIComponent(cursor)));
    const next = await pageAfter(first.body.nextCursor);
    expect(next.status).toBe(200);
    expect(matchesDocumented(next.body, nextAnswer), JSON.stringify(next.body)).toBe(true);
    const last = await pageAfter(next.body.nextCursor);
    expect(last.body.data).toHaveLength(1);
    expect(last.body.nextCursor).toBeNull();
  });

  it('builds, concurrently, the same indexes the migration builds', async () => {
    await expectReadmeIndexesMatchMigration(t.database.db, blocks('sql')[0].split('\n'), 'keyset_indexes');
  });
});
