import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

/*
 * Merging two contacts keeps the person's rights requests and legal holds with them: the
 * duplicate's requests and holds point at the surviving contact afterwards, instead of
 * losing their link (requests) or holding an id that no longer exists (holds).
 */

let t: TestApp;
let workspace: TestWorkspace;
beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
});
afterAll(() => t.close());

async function createContact(email: string): Promise<string> {
  const response = await t.request(workspace.keys.admin, { method: 'POST', url: '/api/v1/contacts?allowDuplicate=true', payload: { firstName: 'Mia', email } });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().data.id;
}

const desk = (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) =>
  t.request(workspace.keys.privacy_officer, { method, url, payload, purpose: 'legal_compliance' });

describe('merging two contacts', () => {
  it("re-points the duplicate's rights requests and released legal holds to the surviving contact, and leaves the survivor's own", async () => {
    const survivorId = await createContact('mia.merge@example.org');
    const duplicateId = await createContact('mia.merge@example.org');
    const ofDuplicate = await desk('POST', '/api/v1/requests', {
      kind: 'access',
      regime: 'gdpr',
      jurisdiction: 'DE',
      email: 'mia.merge@example.org',
      contactId: duplicateId,
    });
    const ofSurvivor = await desk('POST', '/api/v1/requests', {
      kind: 'objection',
      regime: 'gdpr',
      jurisdiction: 'DE',
      email: 'mia.merge@example.org',
      contactId: survivorId,
    });
    expect([ofDuplicate.statusCode, ofSurvivor.statusCode]).toEqual([201, 201]);
    const hold = await t.request(workspace.keys.privacy_officer, {
      method: 'POST',
      url: '/api/v1/legal-holds',
      payload: { subjectId: duplicateId, reason: 'Case 7: audit' },
    });
    expect(hold.statusCode, hold.body).toBe(201);
    const released = await t.request(workspace.keys.privacy_officer, { method: 'POST', url: `/api/v1/legal-holds/${hold.json().data.id}/release` });
    expect(released.statusCode, released.body).toBe(200);

    const merged = await t.request(workspace.keys.admin, { method: 'POST', url: `/api/v1/contacts/${survivorId}/merge`, payload: { duplicateId } });
    expect(merged.statusCode, merged.body).toBe(200);

    for (const created of [ofDuplicate, ofSurvivor]) {
      const read = await desk('GET', `/api/v1/requests/${created.json().data.id}`);
      expect(read.json().data.contactId).toBe(survivorId);
    }
    const holds = await t.request(workspace.keys.privacy_officer, {
      method: 'GET',
      url: `/api/v1/legal-holds?subjectId=${survivorId}&includeReleased=true`,
    });
    expect(holds.json().data.map((row: { id: string }) => row.id)).toEqual([hold.json().data.id]);
    const left = await t.database.query<{ n: number }>(
      'select (select count(*) from rights_requests where tenant_id = $1 and subject_id = $2) + (select count(*) from legal_holds where tenant_id = $1 and subject_id = $2) as n',
      [workspace.id, duplicateId],
    );
    expect(Number(left[0]!.n)).toBe(0);
  });

  it('refuses to merge away a contact under an active legal hold (409 naming duplicateId), and merges the other way round', async () => {
    const heldId = await createContact('hal.held@example.org');
    const otherId = await createContact('hal.held@example.org');
    const hold = await t.request(workspace.keys.privacy_officer, {
      method: 'POST',
      url: '/api/v1/legal-holds',
      payload: { subjectId: heldId, reason: 'Case 8: dispute' },
    });
    expect(hold.statusCode, hold.body).toBe(201);

    const refused = await t.request(workspace.keys.admin, { method: 'POST', url: `/api/v1/contacts/${otherId}/merge`, payload: { duplicateId: heldId } });
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.json().errors).toEqual([{ field: 'duplicateId', reason: 'legal_hold' }]);
    const held = await t.request(workspace.keys.admin, { method: 'GET', url: `/api/v1/contacts/${heldId}`, purpose: 'sales' });
    expect(held.statusCode, held.body).toBe(200);

    const merged = await t.request(workspace.keys.admin, { method: 'POST', url: `/api/v1/contacts/${heldId}/merge`, payload: { duplicateId: otherId } });
    expect(merged.statusCode, merged.body).toBe(200);
    const holds = await t.request(workspace.keys.privacy_officer, { method: 'GET', url: `/api/v1/legal-holds?subjectId=${heldId}` });
    expect(holds.json().data.map((row: { id: string }) => row.id)).toEqual([hold.json().data.id]);
  });
});
