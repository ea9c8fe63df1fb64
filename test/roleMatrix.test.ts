import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can, roles, type Resource, type Role, type Verb } from '../src/shared/roles.ts';
import { defaultRoleGrants, toPolicyPurpose } from '../src/kernel/policy/index.ts';
import { defaultPurposes } from '../src/privacy/defaultPurposes.ts';
import { createTestApp, defaultPurposeByRole, type TestApp, type TestWorkspace } from './support/testApp.ts';

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

// What a new workspace grants each role (src/kernel/policy/roleGrants.ts).
const grants = defaultRoleGrants(defaultPurposes.map(toPolicyPurpose));
const isGranted = (role: Role, purpose: string) => grants.some((grant) => grant.role === role && grant.purposeKey === purpose);

/** Each role acts for its key's default purpose (granted) and, where there is one, for a purpose it is not granted. */
const ungrantedPurpose: Partial<Record<Role, string>> = { sales: 'web_analytics', support: 'email_marketing', marketing: 'support', analyst: 'sales' };

/**
 * The outcome both rules give: the purpose grant is decided first (before the route runs,
 * whatever the route), then the role matrix.
 */
function expectedOutcome(role: Role, resource: Target['resource'], verb: Verb, purpose: string): { status: number; code?: string } {
  if (!isGranted(role, purpose)) return { status: 403, code: 'purpose_not_granted' };
  if (!can(role, `${resource}:${verb}`)) return { status: 403, code: 'forbidden' };
  return { status: successStatus[verb] };
}

/** A fresh record made by the admin, so each case acts on its own row. */
async function freshRecord(target: Target): Promise<string> {
  const response = await t.request(workspace.keys.admin, { method: 'POST', url: target.path, payload: target.body });
  return response.json().data.id as string;
}

async function attempt(role: Role, target: Target, verb: Verb, purpose: string): Promise<{ status: number; code?: string }> {
  const key = workspace.keys[role];
  const response =
    verb === 'write'
      ? await t.request(key, { method: 'POST', url: target.path, payload: target.body, purpose })
      : await t.request(key, { method: verb === 'read' ? 'GET' : 'DELETE', url: `${target.path}/${await freshRecord(target)}`, purpose });
  return response.statusCode < 400 ? { status: response.statusCode } : { status: response.statusCode, code: response.json().code };
}

const cases = roles.flatMap((role) =>
  [defaultPurposeByRole[role], ungrantedPurpose[role]]
    .filter((purpose): purpose is string => purpose !== undefined)
    .flatMap((purpose) => targets.flatMap((target) => (['read', 'write', 'delete'] as Verb[]).map((verb) => ({ role, purpose, target, verb })))),
);

describe('the role matrix and the role grants on contacts and companies', () => {
  it('gives every role a default purpose it is granted and tests one it is not, where there is one', () => {
    for (const role of roles) expect({ role, granted: isGranted(role, defaultPurposeByRole[role]) }).toEqual({ role, granted: true });
    for (const [role, purpose] of Object.entries(ungrantedPurpose))
      expect({ role, granted: isGranted(role as Role, purpose) }).toEqual({ role, granted: false });
  });

  it.each(cases.map((entry) => [`${entry.role} acting for ${entry.purpose}: ${entry.verb} ${entry.target.resource}`, entry] as const))(
    '%s',
    async (_name, { role, purpose, target, verb }) => {
      expect(await attempt(role, target, verb, purpose)).toEqual(expectedOutcome(role, target.resource, verb, purpose));
    },
  );

  it('keeps the documented examples: an analyst can neither read nor delete a contact; support cannot delete one', () => {
    expect(can('analyst', 'contact:read')).toBe(false);
    expect(can('analyst', 'contact:delete')).toBe(false);
    expect(can('support', 'contact:delete')).toBe(false);
    expect(can('support', 'contact:write')).toBe(true);
  });

  it('refuses a merge to a role that may write but not delete contacts', async () => {
    const survivor = await freshRecord(targets[0]);
    const duplicate = await freshRecord(targets[0]);
    const response = await t.request(workspace.keys.support, {
      method: 'POST',
      url: `/api/v1/contacts/${survivor}/merge`,
      payload: { duplicateId: duplicate },
    });
    expect(response.statusCode).toBe(403);
  });

  it('refuses every contact and company route without credentials with 401', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/contacts'],
      ['POST', '/api/v1/contacts'],
      ['POST', '/api/v1/contacts/search'],
      ['GET', '/api/v1/companies'],
      ['GET', '/api/v1/custom-fields'],
    ] as const) {
      const response = await t.app.inject({ method, url, payload: method === 'POST' ? {} : undefined });
      expect({ url, status: response.statusCode }).toEqual({ url, status: 401 });
    }
  });
});
