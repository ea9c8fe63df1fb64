import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { activeLegalHold, assertNoLegalHold, heldSubjects } from '../src/privacy/retention/legalHolds.ts';
import { DomainError } from '../src/shared/domainError.ts';
import { createTestApp, errorFields, type TestApp, type TestWorkspace } from './support/testApp.ts';

let t: TestApp;
let workspace: TestWorkspace;
let other: TestWorkspace;

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
  other = await t.createWorkspace();
});
afterAll(() => t.close());

type Hold = { id: string; subjectId: string; reason: string; createdBy: string; releasedAt: string | null };
type AuditEntry = { action: string; recordIds: string[]; subjectPseudonyms: string[]; fields: string[]; detail: Record<string, unknown> };

async function newContact(ws = workspace): Promise<string> {
  const response = await t.request(ws.keys.admin, {
    method: 'POST',
    url: '/api/v1/contacts',
    payload: { firstName: 'Holda', email: `${randomUUID()}@example.org` },
    purpose: 'sales',
  });
  expect(response.statusCode).toBe(201);
  return response.json().data.id;
}

const place = (subjectId: string, reason = 'Case 2026-114, tax audit', key = workspace.keys.privacy_officer) =>
  t.request(key, { method: 'POST', url: '/api/v1/legal-holds', payload: { subjectId, reason } });

async function auditEntries(action: string): Promise<AuditEntry[]> {
  const response = await t.request(workspace.keys.admin, { method: 'GET', url: `/api/v1/audit?action=${action}&limit=100` });
  expect(response.statusCode).toBe(200);
  return response.json().data;
}

describe('placing a legal hold', () => {
  it('holds a contact: the hold is listed, names who placed it, and stops every erasure with 409 legal_hold', async () => {
    const subjectId = await newContact();
    const response = await place(subjectId);
    expect(response.statusCode).toBe(201);
    const hold = response.json().data as Hold;
    expect(hold).toMatchObject({ subjectId, reason: 'Case 2026-114, tax audit', releasedAt: null });
    expect(hold.createdBy).toMatch(/^api_key:/);

    expect((await activeLegalHold(t.database.db, workspace.id, subjectId))?.id).toBe(hold.id);
    const refusal = await assertNoLegalHold(t.database.db, workspace.id, subjectId).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(DomainError);
    expect(refusal).toMatchObject({ code: 'conflict', issues: [{ field: 'subjectId', reason: 'legal_hold' }] });
    expect([...(await heldSubjects(t.database.db, workspace.id, [subjectId, randomUUID()]))]).toEqual([subjectId]);

    const listed = await t.request(workspace.keys.admin, { method: 'GET', url: `/api/v1/legal-holds?subjectId=${subjectId}` });
    expect(listed.json().data.map((entry: Hold) => entry.id)).toEqual([hold.id]);
  });

  it('audits placing, listing and releasing with the subject as a pseudonym and without the reason or the id in clear', async () => {
    const subjectId = await newContact();
    const hold = (await place(subjectId, 'Litigation hold LH-77')).json().data as Hold;
    await t.request(workspace.keys.privacy_officer, { method: 'GET', url: '/api/v1/legal-holds' });
    await t.request(workspace.keys.privacy_officer, { method: 'POST', url: `/api/v1/legal-holds/${hold.id}/release` });
    for (const action of ['legal_hold.placed', 'legal_hold.listed', 'legal_hold.released']) {
      const entries = (await auditEntries(action)).filter((entry) => entry.recordIds.includes(hold.id));
      expect(entries, action).toHaveLength(1);
      expect(entries[0].subjectPseudonyms.length, action).toBeGreaterThan(0);
      const text = JSON.stringify(entries[0]);
      expect(text).not.toContain('LH-77');
      expect(text).not.toContain(subjectId);
    }
  });

  it('refuses an id that is no contact or visitor of the workspace (404), and a blank reason (422 naming reason)', async () => {
    expect((await place(randomUUID())).statusCode).toBe(404);
    expect((await place(await newContact(other))).statusCode).toBe(404);
    const blank = await place(await newContact(), '   ');
    expect(blank.statusCode).toBe(422);
    expect(errorFields(blank.json())).toContain('reason');
  });

  it('is for privacy officers and admins only', async () => {
    const subjectId = await newContact();
    for (const role of ['sales', 'support', 'marketing', 'analyst'] as const) {
      expect((await place(subjectId, 'x', workspace.keys[role])).statusCode, role).toBe(403);
      expect((await t.request(workspace.keys[role], { method: 'GET', url: '/api/v1/legal-holds' })).statusCode, role).toBe(403);
    }
    expect((await place(subjectId, 'Admin hold', workspace.keys.admin)).statusCode).toBe(201);
  });
});

describe('releasing a legal hold', () => {
  it('ends it: the subject may be erased again, the hold is kept as released, and a second release changes nothing', async () => {
    const subjectId = await newContact();
    const hold = (await place(subjectId)).json().data as Hold;
    const released = await t.request(workspace.keys.privacy_officer, { method: 'POST', url: `/api/v1/legal-holds/${hold.id}/release` });
    expect(released.statusCode).toBe(200);
    expect(released.json().data.releasedAt).not.toBeNull();
    await expect(assertNoLegalHold(t.database.db, workspace.id, subjectId)).resolves.toBeUndefined();

    const again = await t.request(workspace.keys.privacy_officer, { method: 'POST', url: `/api/v1/legal-holds/${hold.id}/release` });
    expect(again.json().data.releasedAt).toBe(released.json().data.releasedAt);
    const active = await t.request(workspace.keys.admin, { method: 'GET', url: `/api/v1/legal-holds?subjectId=${subjectId}` });
    expect(active.json().data).toEqual([]);
    const all = await t.request(workspace.keys.admin, { method: 'GET', url: `/api/v1/legal-holds?subjectId=${subjectId}&includeReleased=true` });
    expect(all.json().data.map((entry: Hold) => entry.id)).toEqual([hold.id]);
  });

  it("cannot release another workspace's hold (404)", async () => {
    const hold = (await place(await newContact())).json().data as Hold;
    const response = await t.request(other.keys.admin, { method: 'POST', url: `/api/v1/legal-holds/${hold.id}/release` });
    expect(response.statusCode).toBe(404);
  });
});
