import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../src/kernel/accessContext.ts';
import { listAuditEntries } from '../src/kernel/audit.ts';
import { recordRestriction } from '../src/kernel/index.ts';
import { grantTestDefaults } from './support/contactPolicy.ts';
import { createTestApp, errorFields, type TestApp, type TestWorkspace } from './support/testApp.ts';

/*
 * Search as people type it: several name words, names with apostrophes and hyphens, phone
 * numbers in the workspace's national format. Each case names whom it must find and, by
 * the exact list, whom it must not.
 */

let t: TestApp;
let workspace: TestWorkspace;
const people: Record<string, string> = {};

const named = {
  emilyHill: { firstName: 'Emily', lastName: 'Hill' },
  emilyStone: { firstName: 'Emily', lastName: 'Stone' },
  hillaryEmmett: { firstName: 'Hillary', lastName: 'Emmett' },
  jonHill: { firstName: 'Jon', lastName: 'Hill' },
  seanOBrien: { firstName: 'Seán', lastName: "O'Brien" },
  olgaBrien: { firstName: 'Olga', lastName: 'Brien' },
  annaSmithJones: { firstName: 'Anna', lastName: 'Smith-Jones' },
  bobSmith: { firstName: 'Bob', lastName: 'Smith' },
  carlJones: { firstName: 'Carl', lastName: 'Jones' },
  phoneOwner: { firstName: 'Dialla', lastName: 'Numbera', phone: '+15550100102' },
  otherPhone: { firstName: 'Dialla', lastName: 'Otherline', phone: '+15550100103' },
  ada: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' },
};

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
  await grantTestDefaults(t, workspace.id);
  for (const [key, payload] of Object.entries(named)) {
    const created = await t.request(workspace.keys.admin, { method: 'POST', url: '/api/v1/contacts', payload });
    expect(created.statusCode).toBe(201);
    people[key] = created.json().data.id;
  }
});
afterAll(() => t.close());

const search = (payload: Record<string, unknown>, key = workspace.keys.admin, purpose?: string) =>
  t.request(key, { method: 'POST', url: '/api/v1/contacts/search', payload, purpose });
const found = async (payload: Record<string, unknown>) => {
  const response = await search(payload);
  expect(response.statusCode).toBe(200);
  return (response.json().data as Array<{ id: string }>).map((row) => row.id).sort();
};
const ids = (...keys: Array<keyof typeof named>) => keys.map((key) => people[key]).sort();

describe('name search as people type it', () => {
  it('narrows "Emily Hill" to the people matching both words, in either order and as prefixes', async () => {
    expect(await found({ name: 'Emily Hill' })).toEqual(ids('emilyHill'));
    expect(await found({ name: 'hill emily' })).toEqual(ids('emilyHill'));
    expect(await found({ name: 'Em Hil' })).toEqual(ids('emilyHill', 'hillaryEmmett'));
    expect(await found({ name: 'Emily H' })).toEqual(ids('emilyHill'));
    expect(await found({ name: 'Emily' })).toEqual(ids('emilyHill', 'emilyStone'));
  });

  it('finds O\'Brien by "O\'Brien", "O’Brien", "O Brien" and "Brien", and not a plain Brien by the apostrophe form', async () => {
    expect(await found({ name: "O'Brien" })).toEqual(ids('seanOBrien'));
    expect(await found({ name: 'o’brien' })).toEqual(ids('seanOBrien'));
    expect(await found({ name: 'Sean O Brien' })).toEqual(ids('seanOBrien'));
    expect(await found({ name: 'Brien' })).toEqual(ids('olgaBrien', 'seanOBrien'));
  });

  it('finds Smith-Jones by the whole name and by each part, and not Smith or Jones by the whole name', async () => {
    expect(await found({ name: 'Smith-Jones' })).toEqual(ids('annaSmithJones'));
    expect(await found({ name: 'smith-jo' })).toEqual(ids('annaSmithJones'));
    expect(await found({ name: 'Smith' })).toEqual(ids('annaSmithJones', 'bobSmith'));
    expect(await found({ name: 'Jones' })).toEqual(ids('annaSmithJones', 'carlJones'));
  });

  it('refuses (422) a search with no word of two letters, or too many words, naming the field', async () => {
    for (const name of ['J H', "O'", 'a b c d e f']) {
      const response = await search({ name });
      expect(response.statusCode, name).toBe(422);
      expect(errorFields(response.json())).toEqual(['name']);
    }
  });

  it('still does not find a person the purpose may not process', async () => {
    const restrictedWorkspace = await t.createWorkspace();
    await grantTestDefaults(t, restrictedWorkspace.id);
    const make = async (payload: Record<string, string>) =>
      (await t.request(restrictedWorkspace.keys.admin, { method: 'POST', url: '/api/v1/contacts', payload, purpose: 'sales' })).json().data.id as string;
    const restricted = await make({ firstName: 'Emily', lastName: "O'Hill-Smith", phone: '(555) 010-0177' });
    const free = await make({ firstName: 'Emily', lastName: "O'Hill-Smith" });
    await recordRestriction(t.database.db, systemContext(restrictedWorkspace.id, 'rights-desk', 'legal_compliance'), restricted);
    const sales = async (payload: Record<string, unknown>) => {
      const response = await search(payload, restrictedWorkspace.keys.sales, 'sales');
      expect(response.statusCode).toBe(200);
      return (response.json().data as Array<{ id: string }>).map((row) => row.id);
    };
    expect(await sales({ name: "Emily O'Hill-Smith" })).toEqual([free]);
    expect(await sales({ phone: '(555) 010-0177' })).toEqual([]);
  });
});

describe('phone search in the workspace default region', () => {
  it('finds the contact stored as +15550100102 by "(555) 010-0102" when the region is US, and no other', async () => {
    expect((await t.request(workspace.keys.admin, { method: 'GET', url: '/api/v1/workspace' })).json().data.defaultRegion).toBe('US');
    expect(await found({ phone: '(555) 010-0102' })).toEqual(ids('phoneOwner'));
    expect(await found({ phone: '555.010.0102' })).toEqual(ids('phoneOwner'));
    expect(await found({ phone: '+1 555 010 0102', name: 'Dial' })).toEqual(ids('phoneOwner'));
  });

  it('writes a national number in E.164 for the region, so a later change of region keeps its meaning', async () => {
    const gb = await t.createWorkspace();
    await grantTestDefaults(t, gb.id);
    const changed = await t.request(gb.keys.admin, { method: 'PATCH', url: '/api/v1/workspace', payload: { defaultRegion: 'GB' } });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().data.defaultRegion).toBe('GB');
    const created = await t.request(gb.keys.admin, { method: 'POST', url: '/api/v1/contacts', payload: { lastName: 'Londoner', phone: '020 7946 0958' } });
    expect(created.json().data.phone).toBe('+442079460958');
    expect((await t.request(gb.keys.admin, { method: 'PATCH', url: '/api/v1/workspace', payload: { defaultRegion: 'US' } })).statusCode).toBe(200);
    const byInternational = await search({ phone: '+44 20 7946 0958' }, gb.keys.admin);
    expect(byInternational.json().data.map((row: { id: string }) => row.id)).toEqual([created.json().data.id]);
  });

  it('refuses a default region that is not a region with phone numbers, naming defaultRegion, and lets only admins change it', async () => {
    for (const defaultRegion of ['XX', 'us', 'USA']) {
      const response = await t.request(workspace.keys.admin, { method: 'PATCH', url: '/api/v1/workspace', payload: { defaultRegion } });
      expect(response.statusCode, defaultRegion).toBe(422);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(errorFields(response.json())).toEqual(['defaultRegion']);
    }
    const bySales = await t.request(workspace.keys.sales, { method: 'PATCH', url: '/api/v1/workspace', payload: { defaultRegion: 'GB' } });
    expect(bySales.statusCode).toBe(403);
  });

  it('records which settings an admin changed in the audit trail, and nothing for a refused change', async () => {
    const audited = async () =>
      (await listAuditEntries(t.database.db, workspace.id, { limit: 100_000 })).filter((entry) => entry.action === 'workspace.updated');
    const before = (await audited()).length;
    expect((await t.request(workspace.keys.admin, { method: 'PATCH', url: '/api/v1/workspace', payload: { defaultRegion: 'XX' } })).statusCode).toBe(422);
    expect(await audited()).toHaveLength(before);
    expect(
      (await t.request(workspace.keys.admin, { method: 'PATCH', url: '/api/v1/workspace', payload: { name: 'Renamed', defaultRegion: 'US' } })).statusCode,
    ).toBe(200);
    const [entry] = (await audited()).slice(before);
    expect({ object: entry?.object, recordIds: entry?.recordIds, fields: entry?.fields, actor: entry?.actor.type }).toEqual({
      object: 'workspace',
      recordIds: [workspace.id],
      fields: ['name', 'defaultRegion'],
      actor: 'api_key',
    });
    expect(JSON.stringify(entry)).not.toContain('Renamed');
  });

  it('keeps what was searched out of logs and audit entries', async () => {
    await found({ name: "Emily O'Brien Smith-Jones" });
    await found({ phone: '(555) 010-0102' });
    const audit = JSON.stringify(await listAuditEntries(t.database.db, workspace.id, { limit: 1000 }));
    const text = `${t.logs.join('\n')}\n${audit}`.toLowerCase();
    for (const needle of ['emily', 'brien', 'smith-jones', '5550100102', '010-0102']) expect(text, needle).not.toContain(needle);
  });
});

describe('the README search section', () => {
  const readme = readFileSync(resolve(import.meta.dirname, '..', 'README.md'), 'utf8');
  const section = (from: string, to: string) => readme.slice(readme.indexOf(from), readme.indexOf(to, readme.indexOf(from)));
  const bodies = (text: string) => [...text.matchAll(/`(\{ "[^`]+\})`/g)].map((match) => JSON.parse(match[1]) as Record<string, string>);

  it('runs every search example and each finds someone', async () => {
    const examples = bodies(section('- **Search** on personal values', '- **Workspace settings**'));
    expect(examples.length).toBeGreaterThanOrEqual(5);
    for (const example of examples) expect((await found(example)).length, JSON.stringify(example)).toBeGreaterThan(0);
  });

  it('runs the workspace settings example', async () => {
    const [example] = bodies(section('- **Workspace settings**', '- **Idempotency**'));
    const fresh = await t.createWorkspace();
    const response = await t.request(fresh.keys.admin, { method: 'PATCH', url: '/api/v1/workspace', payload: example });
    expect(response.statusCode).toBe(200);
    expect(response.json().data).toMatchObject(example);
  });
});
