import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditTrailForSubject,
  liftRestriction,
  readPermittedContact,
  recordErasure,
  recordObjection,
  recordRestriction,
  systemContext,
  type PurposeContext,
} from '../src/kernel/index.ts';
import { rowsOf } from '../src/db/rows.ts';
import { grantTestDefaults } from './support/contactPolicy.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

/*
 * The kernel's writers of a data subject's state (Art. 18 restriction, Art. 21 objection,
 * Art. 17 erasure): each takes a purpose the role must hold, leaves one audit entry that
 * names the subject by pseudonym, is idempotent, and changes what the policy decides.
 */

let t: TestApp;
let workspace: TestWorkspace;
let rights: PurposeContext;

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
  await grantTestDefaults(t, workspace.id);
  rights = { tenantId: workspace.id, actor: { type: 'api_key', id: 'rights-desk', role: 'privacy_officer', createdBy: null }, purpose: 'legal_compliance' };
});
afterAll(() => t.close());

async function newContact(): Promise<string> {
  const created = await t.request(workspace.keys.admin, {
    method: 'POST',
    url: '/api/v1/contacts',
    payload: { firstName: 'Statey', email: `statey.${Date.now()}.${Math.random()}@example.org` },
    purpose: 'sales',
  });
  expect(created.statusCode).toBe(201);
  return created.json().data.id;
}

const salesCtx = (): PurposeContext => systemContext(workspace.id, 'reader', 'sales');
const withheldReasons = async (ctx: PurposeContext, id: string) => [
  ...new Set((await readPermittedContact(t.database.db, ctx, id))?.withheld.map((entry) => entry.reason) ?? ['missing']),
];

async function rowCount(table: 'restrictions' | 'objections' | 'erasures', subjectId: string): Promise<number> {
  const result = await t.database.db.execute(
    sql`select count(*)::int as count from ${sql.identifier(table)} where tenant_id = ${workspace.id}::uuid and subject_id = ${subjectId}::uuid`,
  );
  return rowsOf<{ count: number }>(result)[0].count;
}

const trailActions = async (subjectId: string) => (await auditTrailForSubject(t.database.db, workspace.id, { subjectId })).map((entry) => entry.action);

describe('restriction (Art. 18)', () => {
  it('is recorded once however often it is asked for, audited each time under the subject, and lifted again', async () => {
    const id = await newContact();
    expect(await withheldReasons(salesCtx(), id)).toEqual([]);
    const first = await recordRestriction(t.database.db, rights, id);
    const again = await recordRestriction(t.database.db, rights, id);
    expect(first.recorded).toBe(true);
    expect(again).toEqual({ recorded: false, restrictedAt: first.restrictedAt });
    expect(await rowCount('restrictions', id)).toBe(1);
    expect(await withheldReasons(salesCtx(), id)).toEqual(['restricted']);

    expect(await liftRestriction(t.database.db, rights, id)).toEqual({ lifted: true });
    expect(await liftRestriction(t.database.db, rights, id)).toEqual({ lifted: false });
    expect(await withheldReasons(salesCtx(), id)).toEqual([]);

    const trail = (await auditTrailForSubject(t.database.db, workspace.id, { subjectId: id })).filter((entry) => entry.action.startsWith('subject.'));
    expect(trail.map((entry) => [entry.action, entry.purpose, entry.detail.recorded ?? entry.detail.lifted])).toEqual([
      ['subject.restricted', 'legal_compliance', true],
      ['subject.restricted', 'legal_compliance', false],
      ['subject.restriction_lifted', 'legal_compliance', true],
      ['subject.restriction_lifted', 'legal_compliance', false],
    ]);
    expect(JSON.stringify(trail)).not.toContain(id);
  });
});

describe('objection (Art. 21)', () => {
  it('to one purpose stops that purpose only, and is recorded once', async () => {
    const id = await newContact();
    expect((await recordObjection(t.database.db, rights, id, { purposeKey: 'sales' })).recorded).toBe(true);
    expect((await recordObjection(t.database.db, rights, id, { purposeKey: 'sales' })).recorded).toBe(false);
    expect(await rowCount('objections', id)).toBe(1);
    expect(await withheldReasons(salesCtx(), id)).toEqual(['objected']);
    expect(await withheldReasons(systemContext(workspace.id, 'reader', 'support'), id)).not.toContain('objected');
    expect(await trailActions(id)).toContain('subject.objected');
  });

  it('to all direct marketing stops every marketing purpose, whatever its basis', async () => {
    const id = await newContact();
    await recordObjection(t.database.db, rights, id, { directMarketing: true });
    expect(await withheldReasons(systemContext(workspace.id, 'reader', 'email_marketing_existing_customers'), id)).toContain('objected');
    expect(await withheldReasons(salesCtx(), id)).toEqual([]);
    const [entry] = (await auditTrailForSubject(t.database.db, workspace.id, { subjectId: id })).filter((e) => e.action === 'subject.objected');
    expect(entry.detail).toMatchObject({ directMarketing: true, recorded: true });
  });

  it('to a purpose the workspace does not have is refused with 422 naming purposeKey', async () => {
    const id = await newContact();
    await expect(recordObjection(t.database.db, rights, id, { purposeKey: 'no_such_purpose' })).rejects.toMatchObject({
      code: 'validation_failed',
      issues: [{ field: 'purposeKey' }],
    });
  });
});

describe('erasure (Art. 17)', () => {
  it('is recorded once, keeps the first time, and from then on every purpose is denied', async () => {
    const id = await newContact();
    const first = await recordErasure(t.database.db, rights, id);
    const again = await recordErasure(t.database.db, rights, id);
    expect(first.recorded).toBe(true);
    expect(again).toEqual({ recorded: false, erasedAt: first.erasedAt });
    expect(await rowCount('erasures', id)).toBe(1);
    expect(await withheldReasons(salesCtx(), id)).toEqual(['erased']);
    expect(await trailActions(id)).toEqual(expect.arrayContaining(['subject.erased']));
    // Nothing more can be recorded of an erased subject: it is gone.
    await expect(recordRestriction(t.database.db, rights, id)).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('every writer', () => {
  it('refuses a role the workspace does not grant the purpose, before writing anything', async () => {
    const id = await newContact();
    const analyst: PurposeContext = { ...rights, actor: { type: 'api_key', id: 'analyst-key', role: 'analyst', createdBy: null } };
    for (const write of [
      () => recordRestriction(t.database.db, analyst, id),
      () => liftRestriction(t.database.db, analyst, id),
      () => recordObjection(t.database.db, analyst, id, { purposeKey: 'sales' }),
      () => recordErasure(t.database.db, analyst, id),
    ]) {
      await expect(write()).rejects.toMatchObject({ code: 'purpose_not_granted' });
    }
    expect((await rowCount('restrictions', id)) + (await rowCount('objections', id)) + (await rowCount('erasures', id))).toBe(0);
  });

  it('answers 404 for a subject that is no contact or visitor of the workspace', async () => {
    const other = await t.createWorkspace();
    const created = await t.request(other.keys.admin, { method: 'POST', url: '/api/v1/contacts', payload: { firstName: 'Elsewhere' }, purpose: 'sales' });
    const foreign = created.json().data.id as string;
    await expect(recordRestriction(t.database.db, rights, foreign)).rejects.toMatchObject({ code: 'not_found' });
    await expect(recordErasure(t.database.db, rights, foreign)).rejects.toMatchObject({ code: 'not_found' });
  });
});
