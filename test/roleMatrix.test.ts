import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can, roles, type Resource, type Role, type Verb } from '../src/accounts/roles.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

let t: TestApp;
let workspace: TestWorkspace;

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
});
afterAll(() => t.close());

type Target = { resource: Extract<Resource, 'contact' | 'company'>; path: string; body: Record<string, unknown> };
const targets: Target[] = [
  { resource: 'contact', path: '/api/v1/contacts', body: { firstName: 'Matrix' } },
  { resource: 'company', path: '/api/v1/companies', body: { name: 'Matrix Ltd' } },
];
const successStatus: Record<Verb, number> = { read: 200, write: 201, delete: 204 };

/** A fresh record made by the admin, so each case acts on its own row. */
async function freshRecord(target: Target): Promise<string> {
  const response = await t.request(workspace.keys.admin, { method: 'POST', url: target.path, payload: target.body });
  return response.json().data.id as string;
}

async function attempt(role: Role, target: Target, verb: Verb): Promise<number> {
  const key = workspace.keys[role];
  if (verb === 'write') return (await t.request(key, { method: 'POST', url: target.path, payload: target.body })).statusCode;
  const id = await freshRecord(target);
  const method = verb === 'read' ? 'GET' : 'DELETE';
  return (await t.request(key, { method, url: `${target.path}/${id}` })).statusCode;
}

const cases = roles.flatMap((role) => targets.flatMap((target) => (['read', 'write', 'delete'] as Verb[]).map((verb) => ({ role, target, verb }))));

describe('the role matrix on contacts and companies', () => {
  it.each(cases.map((entry) => [`${entry.role} ${entry.verb} ${entry.target.resource}`, entry] as const))('%s', async (_name, { role, target, verb }) => {
    const expected = can(role, `${target.resource}:${verb}`) ? successStatus[verb] : 403;
    expect(await attempt(role, target, verb)).toBe(expected);
  });

  it('keeps the documented examples: an analyst can neither read nor delete a contact; support cannot delete one', () => {
    expect(can('analyst', 'contact:read')).toBe(false);
    expect(can('analyst', 'contact:delete')).toBe(false);
    expect(can('support', 'contact:delete')).toBe(false);
    expect(can('support', 'contact:write')).toBe(true);
  });

  it('refuses a merge to a role that may write but not delete contacts', async () => {
    const survivor = await freshRecord(targets[0]);
    const duplicate = await freshRecord(targets[0]);
    const response = await t.request(workspace.keys.support, { method: 'POST', url: `/api/v1/contacts/${survivor}/merge`, payload: { duplicateId: duplicate } });
    expect(response.statusCode).toBe(403);
  });

  it('refuses every contact and company route without credentials with 401', async () => {
    for (const [method, url] of [['GET', '/api/v1/contacts'], ['POST', '/api/v1/contacts'], ['POST', '/api/v1/contacts/search'], ['GET', '/api/v1/companies'], ['GET', '/api/v1/custom-fields']] as const) {
      const response = await t.app.inject({ method, url, payload: method === 'POST' ? {} : undefined });
      expect({ url, status: response.statusCode }).toEqual({ url, status: 401 });
    }
  });
});
