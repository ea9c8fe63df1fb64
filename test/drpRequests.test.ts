import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db/rows.ts';
import { eventually } from './support/jobs.ts';
import { type DrpTestbed, openDrpTestbed, refusalOf } from './support/drpTestbed.ts';

/*
 * The Data Rights Protocol 1.0 (data/drp/), what an agent's requests become: access and
 * deletion requests run through the same workflow, deadlines and audit as a person's; the agent
 * reads their status, revokes them, and hears of every change of state at its callback URL (an
 * HTTP server in this process, test/support/drpTestbed.ts); every state and reason of the spec.
 */

let bed: DrpTestbed;
beforeAll(async () => {
  bed = await openDrpTestbed({ callbacks: true });
});
afterAll(() => bed.close());

describe('exercising a right (POST /v1/data-rights-request)', () => {
  it("runs an agent's access request through the person's workflow, deadlines and audit, and tells the agent it was fulfilled", async () => {
    const contactId = await bed.createContact('dora.access@example.org');
    const status = await bed.filed({
      email: 'Dora.Access@example.org',
      email_verified: true,
      name: 'Dora A',
      phone_number: '+14155550100',
      address: { locality: 'Oakland', region: 'CA' },
      'agent-request-id': 'agent-ref-1',
      status_callback: `${new URL(bed.callbackUrl).origin}/drp/callback/one`,
    });
    expect(status).toEqual({
      request_id: expect.any(String),
      agent_request_id: 'agent-ref-1',
      status: 'in_progress',
      received_at: expect.any(String),
      expected_by: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    const requestId = await bed.rightsRequestOf(status.request_id);
    expect(requestId).not.toBe(status.request_id);
    const read = (await bed.desk('GET', `/api/v1/requests/${requestId}`)).json().data;
    expect(read).toMatchObject({
      kind: 'access',
      regime: 'ccpa',
      jurisdiction: 'US-CA',
      channel: 'agent',
      state: 'verified',
      contactId,
      dueOn: status.expected_by,
    });
    expect(read.identity).toEqual({
      email: 'dora.access@example.org',
      name: 'Dora A',
      details: null,
      vouched: { phone_number: '+14155550100', email_verified: true, address: { locality: 'Oakland', region: 'CA' } },
    });
    const [sealed] = rowsOf<{ requester_identity: string }>(
      await bed.t.database.db.execute(sql`select requester_identity from rights_requests where id = ${requestId}`),
    );
    expect(sealed.requester_identity).not.toMatch(/dora|4155550100|Oakland/i);
    // The same deadlines as a CCPA access request staff enter now.
    const staff = (await bed.desk('POST', '/api/v1/requests', { kind: 'access', regime: 'ccpa', email: 'someone@example.org' })).json().data;
    expect({ respondBy: read.respondBy, acknowledgeBy: read.acknowledgeBy }).toEqual({ respondBy: staff.respondBy, acknowledgeBy: staff.acknowledgeBy });

    expect((await bed.desk('POST', `/api/v1/requests/${requestId}/start`)).statusCode).toBe(200);
    const completed = await bed.desk('POST', `/api/v1/requests/${requestId}/complete`);
    expect(completed.statusCode, completed.body).toBe(200);
    expect(completed.json().data.outcome).toMatchObject({ accessExportId: expect.any(String) });
    const final = (await bed.agent.status(status.request_id)).json();
    expect(final).toMatchObject({ request_id: status.request_id, agent_request_id: 'agent-ref-1', status: 'fulfilled', expires_at: expect.any(String) });
    await eventually(async () => bed.callbacksFor(status.request_id).some((callback) => callback.status === 'fulfilled'), { what: 'the fulfilled callback' });
    const heard = bed.callbacksFor(status.request_id);
    // Started is still in_progress, which the agent knew from the answer: only the change to fulfilled is sent.
    expect(heard.map((callback) => callback.status)).toEqual(['fulfilled']);
    expect(heard.every((callback) => callback.path === '/drp/callback/one' && callback.contentType === 'application/json')).toBe(true);
    // The agent's own actions and staff's, in one trail, each for legal_compliance.
    const entries = await bed.auditEntries(requestId);
    expect(entries.filter((entry) => entry.actor === `system:drp-agent:${bed.agent.id}`).map((entry) => entry.action)).toEqual([
      'rights_request.receive',
      'rights_request.verify',
      'drp_request.received',
      'drp_request.status_read',
    ]);
    expect(entries.every((entry) => entry.purpose === 'legal_compliance')).toBe(true);
    expect(JSON.stringify(entries)).not.toMatch(/dora|4155550100/i);
    expect(await bed.auditActions(requestId)).toEqual([
      'rights_request.receive',
      'rights_request.verify',
      'drp_request.received',
      'rights_request.identity_opened',
      'rights_request.start',
      'rights_request.complete',
      'drp_request.status_read',
    ]);
  });

  it("erases the person of an agent's deletion request once staff verify and complete it, and the agent hears each step", async () => {
    const contactId = await bed.createContact('dora.erase@example.org');
    const status = await bed.filed({ exercise: 'deletion', email: 'dora.erase@example.org', email_verified: false });
    expect(status).toMatchObject({ status: 'open', received_at: expect.any(String) });
    expect(status.expected_by).toBeUndefined();
    const requestId = await bed.rightsRequestOf(status.request_id);
    expect((await bed.desk('GET', `/api/v1/requests/${requestId}`)).json().data).toMatchObject({ kind: 'erasure', state: 'received', contactId });
    expect((await bed.desk('POST', `/api/v1/requests/${requestId}/verify`)).statusCode).toBe(200);
    expect((await bed.agent.status(status.request_id)).json()).toMatchObject({ status: 'in_progress', expected_by: expect.any(String) });
    await eventually(async () => bed.callbacksFor(status.request_id).length >= 1, { what: 'the in_progress callback' });
    const completed = await bed.desk('POST', `/api/v1/requests/${requestId}/complete`);
    expect(completed.statusCode, completed.body).toBe(200);
    expect(completed.json().data.outcome).toMatchObject({ erased: true });
    expect((await bed.t.request(bed.workspace.keys.admin, { method: 'GET', url: `/api/v1/contacts/${contactId}`, purpose: 'sales' })).statusCode).toBe(404);
    expect((await bed.agent.status(status.request_id)).json()).toMatchObject({ status: 'fulfilled' });
    await eventually(async () => bed.callbacksFor(status.request_id).length >= 2, { what: 'two callbacks' });
    expect(bed.callbacksFor(status.request_id).map((callback) => callback.status)).toEqual(['in_progress', 'fulfilled']);
    expect(bed.callbacksFor(status.request_id).every((callback) => callback.path === '/drp/callback')).toBe(true);
    expect(await bed.auditActions(requestId)).toEqual(
      expect.arrayContaining(['rights_request.receive', 'drp_request.received', 'rights_request.verify', 'rights_request.complete']),
    );
  });
});

describe('every state of the protocol', () => {
  it('answers need_user_verification, an extension with its reason, and each denial reason', async () => {
    const waiting = await bed.filed({ email: 'waiting@example.org' });
    const waitingId = await bed.rightsRequestOf(waiting.request_id);
    expect((await bed.desk('POST', `/api/v1/requests/${waitingId}/send-verification`)).statusCode).toBe(200);
    expect((await bed.agent.status(waiting.request_id)).json()).toMatchObject({
      status: 'in_progress',
      reason: 'need_user_verification',
      processing_details: expect.any(String),
    });

    const extended = await bed.filed({ email: 'extended@example.org', email_verified: true });
    const extendedId = await bed.rightsRequestOf(extended.request_id);
    const before = (await bed.agent.status(extended.request_id)).json().expected_by;
    expect((await bed.desk('POST', `/api/v1/requests/${extendedId}/extend`, { reason: 'Many records to gather' })).statusCode).toBe(200);
    const after = (await bed.agent.status(extended.request_id)).json();
    expect(after).toMatchObject({ status: 'in_progress', processing_details: 'Many records to gather' });
    expect(after.expected_by > before).toBe(true);

    const reasons = {
      suspected_fraud: 'suspected_fraud',
      insufficient_verification: 'insuf_verification',
      no_match: 'no_match',
      not_covered: 'claim_not_covered',
      outside_jurisdiction: 'outside_jurisdiction',
      too_many_requests: 'too_many_requests',
      other: 'other',
    };
    for (const [code, reason] of Object.entries(reasons)) {
      const denied = await bed.filed({ email: `denied.${code}@example.org` });
      const deniedId = await bed.rightsRequestOf(denied.request_id);
      expect((await bed.desk('POST', `/api/v1/requests/${deniedId}/deny`, { reason: `Denied: ${code}`, code })).statusCode).toBe(200);
      expect((await bed.agent.status(denied.request_id)).json()).toMatchObject({ status: 'denied', reason, processing_details: `Denied: ${code}` });
    }
  });

  it("revokes an open request (DELETE), refuses to revoke it twice or another agent's, and answers expired once the record is past keeping", async () => {
    const open = await bed.filed({ email: 'revoke@example.org' });
    const revoked = await bed.agent.revoke(open.request_id, { reason: 'I changed my mind' });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json()).toMatchObject({ request_id: open.request_id, status: 'revoked', processing_details: 'I changed my mind' });
    const requestId = await bed.rightsRequestOf(open.request_id);
    expect((await bed.desk('GET', `/api/v1/requests/${requestId}`)).json().data).toMatchObject({ state: 'withdrawn', withdrawalReason: 'I changed my mind' });
    expect(refusalOf(await bed.agent.revoke(open.request_id))).toEqual({ status: 409, refusal: 'already_final' });
    expect(await bed.auditActions(requestId)).toEqual(expect.arrayContaining(['rights_request.withdraw', 'drp_request.revoked']));
    await eventually(async () => bed.callbacksFor(open.request_id).some((callback) => callback.status === 'revoked'), { what: 'the revoked callback' });

    const other = await bed.registeredAgent('OTHER_AGENT');
    expect((await other.setUp()).statusCode).toBe(200);
    const theirs = await bed.filed({ email: 'theirs@example.org' }, other);
    expect(refusalOf(await bed.agent.status(theirs.request_id))).toEqual({ status: 403, refusal: 'not_your_request' });
    expect(refusalOf(await bed.agent.revoke(theirs.request_id))).toEqual({ status: 403, refusal: 'not_your_request' });
    expect(refusalOf(await bed.agent.status('5f0c7f36-8a4e-4b7e-9d6a-0f1e2d3c4b5a'))).toEqual({ status: 404, refusal: 'unknown_request' });

    await bed.t.database.db.execute(sql`update rights_requests set closed_at = now() - interval '61 days' where id = ${requestId}`);
    expect((await bed.agent.status(open.request_id)).json()).toEqual({ request_id: open.request_id, status: 'expired' });
  });
});
