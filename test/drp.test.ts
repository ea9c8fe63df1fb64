import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db/rows.ts';
import { drpAgentClient, newSigningKey, type DrpAgentClient } from './support/drpAgentClient.ts';
import { eventually, startTestJobRunner, type TestJobRunner } from './support/jobs.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

/*
 * The Data Rights Protocol 1.0 (data/drp/): an admin registers an authorised agent; the agent,
 * signing as the spec says (test/support/drpAgentClient.ts), sets up its bearer token and files
 * access and deletion requests that run through the same workflow, deadlines and audit as a
 * person's; it reads their status, revokes them, and hears of every change of state at its
 * callback URL (an HTTP server in this process). Every validation failure is refused.
 */

const businessId = 'CANDOR_TEST_BUSINESS';
let t: TestApp;
let workspace: TestWorkspace;
let runner: TestJobRunner;
let agent: DrpAgent;
let callbacks: Array<Record<string, unknown>>;
let receiver: Server;
let callbackUrl: string;

type DrpAgent = DrpAgentClient & { id: string };

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
  runner = await startTestJobRunner(t.database);
  callbacks = [];
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      callbacks.push({ path: request.url, contentType: request.headers['content-type'], ...JSON.parse(body) });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/drp/callback`;
  agent = await registeredAgent('CR_AA_DRP_ID_001', { callbackUrl });
  expect((await agent.setUp()).statusCode).toBe(200);
});
afterAll(async () => {
  await runner.stop();
  await new Promise((resolve) => receiver.close(resolve));
  await t.close();
});

const admin = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: Record<string, unknown>, key = workspace.keys.admin) =>
  t.request(key, { method, url, payload });
const desk = (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) =>
  t.request(workspace.keys.privacy_officer, { method, url, payload, purpose: 'legal_compliance' });

async function registeredAgent(agentId: string, extra: Record<string, unknown> = {}): Promise<DrpAgent> {
  const client = drpAgentClient(t.app, agentId, businessId);
  const response = await admin('POST', '/api/v1/drp-agents', { agentId, name: `Agent ${agentId}`, verifyKey: client.verifyKey, businessId, ...extra });
  expect(response.statusCode, response.body).toBe(201);
  return Object.assign(client, { id: response.json().data.id as string });
}

async function createContact(email: string): Promise<string> {
  const response = await t.request(workspace.keys.admin, { method: 'POST', url: '/api/v1/contacts', payload: { firstName: 'Dora', email }, purpose: 'sales' });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().data.id;
}

const requestCount = async () =>
  Number(rowsOf<{ n: number }>(await t.database.db.execute(sql`select count(*)::int as n from rights_requests where tenant_id = ${workspace.id}`))[0].n);

async function rightsRequestOf(drpRequestId: string): Promise<string> {
  const [row] = rowsOf<{ request_id: string }>(await t.database.db.execute(sql`select request_id from drp_requests where id = ${drpRequestId}`));
  return row.request_id;
}

async function auditEntries(recordId: string): Promise<Array<{ action: string; actor: string; purpose: string | null }>> {
  return rowsOf<{ action: string; actor: string; purpose: string | null }>(
    await t.database.db.execute(
      sql`select action, actor_type || ':' || actor_id as actor, purpose, detail from audit_entries
          where tenant_id = ${workspace.id} and ${recordId}::uuid = any(record_ids) order by sequence`,
    ),
  );
}
const auditActions = async (recordId: string) => (await auditEntries(recordId)).map((entry) => entry.action);

const refusalOf = (response: { statusCode: number; headers: Record<string, unknown>; body: string }) => ({
  status: response.statusCode,
  refusal: response.headers['candor-refusal'],
});

async function filed(claims: Record<string, unknown>, client: DrpAgent = agent): Promise<Record<string, string>> {
  const response = await client.exercise({ exercise: 'access', regime: 'ccpa', ...claims });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

const callbacksFor = (requestId: string) => callbacks.filter((callback) => callback.request_id === requestId);

describe('registering agents (admin)', () => {
  it('registers an agent with its key, callback URL and business id, and refuses other roles, bad keys and duplicates', async () => {
    const listed = (await admin('GET', '/api/v1/drp-agents')).json().data;
    expect(listed).toContainEqual(
      expect.objectContaining({ agentId: 'CR_AA_DRP_ID_001', businessId, callbackUrl, status: 'active', tokenIssuedAt: expect.any(String) }),
    );
    const payload = { agentId: 'OTHER', name: 'Other', verifyKey: agent.verifyKey, businessId };
    expect((await admin('POST', '/api/v1/drp-agents', payload, workspace.keys.privacy_officer)).statusCode).toBe(403);
    const badKey = await admin('POST', '/api/v1/drp-agents', { ...payload, verifyKey: 'bm90IGEga2V5' });
    expect(badKey.statusCode).toBe(422);
    expect(badKey.json().errors[0].field).toBe('verifyKey');
    const duplicate = await admin('POST', '/api/v1/drp-agents', { ...payload, agentId: 'CR_AA_DRP_ID_001' });
    expect(duplicate.statusCode).toBe(409);
    expect(await auditActions(agent.id)).toEqual(expect.arrayContaining(['drp_agent.registered', 'drp_agent.token_issued']));
  });
});

describe('the pair-wise key setup (POST /v1/agent/{id})', () => {
  it('gives a token for a message signed with the registered key; GET /v1/agent/{id} answers {} for it', async () => {
    const client = await registeredAgent('SETUP_AGENT');
    const response = await client.setUp();
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ 'agent-id': 'SETUP_AGENT', token: expect.stringMatching(/^drp_/) });
    const checked = await client.checkToken();
    expect({ status: checked.statusCode, body: checked.json() }).toEqual({ status: 200, body: {} });
    expect(refusalOf(await client.checkToken('CR_AA_DRP_ID_001'))).toEqual({ status: 403, refusal: 'wrong_agent' });
    expect(refusalOf(await client.checkToken('SETUP_AGENT', null))).toEqual({ status: 401, refusal: 'missing_token' });
    expect(refusalOf(await client.checkToken('SETUP_AGENT', 'drp_unknown'))).toEqual({ status: 403, refusal: 'unknown_token' });
    // A new setup replaces the token.
    const old = client.token;
    expect((await client.setUp()).statusCode).toBe(200);
    expect(refusalOf(await client.checkToken('SETUP_AGENT', old))).toEqual({ status: 403, refusal: 'unknown_token' });
  });

  it('refuses with a bare 403 every message that fails validation, saying why in Candor-Refusal', async () => {
    const client = await registeredAgent('REFUSED_SETUP');
    const now = Date.now();
    const cases: Array<[string, string, string?]> = [
      [client.signed({}, { key: newSigningKey() }), 'bad_signature'],
      [client.signed({ 'agent-id': 'SOMEONE_ELSE' }), 'wrong_agent'],
      [client.signed({ 'business-id': 'OTHER_BUSINESS' }), 'wrong_business'],
      [client.signed({ 'expires-at': new Date(now - 1000).toISOString(), 'issued-at': new Date(now - 60_000).toISOString() }), 'expired'],
      [client.signed({ 'issued-at': new Date(now + 60_000).toISOString() }), 'issued_in_future'],
      [client.signed({ 'expires-at': new Date(now + 61 * 60_000).toISOString() }), 'window_too_long'],
      [client.signed({ 'drp.version': '0.5' }), 'invalid_claim'],
      ['not base64 at all!', 'not_base64'],
      [client.signed(), 'unknown_agent', 'NOBODY'],
    ];
    for (const [body, refusal, agentId] of cases) {
      const response = await client.setUp(body, agentId);
      expect({ refusal, status: response.statusCode, header: response.headers['candor-refusal'], body: response.body }).toEqual({
        refusal,
        status: 403,
        header: refusal,
        body: '',
      });
    }
    const once = client.signed();
    expect((await client.setUp(once)).statusCode).toBe(200);
    expect(refusalOf(await client.setUp(once))).toEqual({ status: 403, refusal: 'replayed' });
    expect((await admin('PATCH', `/api/v1/drp-agents/${client.id}`, { status: 'inactive' })).statusCode).toBe(200);
    expect(refusalOf(await client.setUp())).toEqual({ status: 403, refusal: 'inactive_agent' });
    expect(refusalOf(await client.checkToken())).toEqual({ status: 403, refusal: 'inactive_agent' });
  });

  it('accepts a 15-minute window by default and one up to the configured maximum', async () => {
    const client = await registeredAgent('WINDOWS');
    const now = Date.now();
    const window = (minutes: number) =>
      client.signed({ 'issued-at': new Date(now - 1000).toISOString(), 'expires-at': new Date(now + minutes * 60_000).toISOString() });
    expect((await client.setUp(window(15))).statusCode).toBe(200);
    expect((await client.setUp(window(59))).statusCode).toBe(200);
    expect(refusalOf(await client.setUp(window(62)))).toEqual({ status: 403, refusal: 'window_too_long' });
  });
});

describe('exercising a right (POST /v1/data-rights-request)', () => {
  it('refuses every message that fails validation with the protocol error, and receives no request', async () => {
    const before = await requestCount();
    const now = Date.now();
    const person = { exercise: 'access', regime: 'ccpa', email: 'refused@example.org' };
    const cases: Array<[string, number, string, boolean]> = [
      [agent.signed(person, { key: newSigningKey() }), 403, 'bad_signature', true],
      [agent.signed({ ...person, 'agent-id': 'SETUP_AGENT' }), 403, 'wrong_agent', true],
      [agent.signed({ ...person, 'business-id': 'OTHER_BUSINESS' }), 403, 'wrong_business', true],
      [
        agent.signed({ ...person, 'issued-at': new Date(now - 120_000).toISOString(), 'expires-at': new Date(now - 60_000).toISOString() }),
        400,
        'expired',
        true,
      ],
      [agent.signed({ ...person, 'issued-at': new Date(now + 120_000).toISOString() }), 400, 'issued_in_future', false],
      [agent.signed({ ...person, 'expires-at': new Date(now + 2 * 60 * 60_000).toISOString() }), 400, 'window_too_long', true],
      [agent.signed({ ...person, exercise: 'sale:opt-in' }), 400, 'unsupported_exercise', true],
      [agent.signed({ ...person, email: undefined }), 400, 'invalid_claim', true],
      [agent.signed({ ...person, status_callback: 'https://elsewhere.example/steal' }), 400, 'invalid_claim', true],
      [Buffer.from('{"agent-id":"x"}').toString('base64'), 400, 'not_base64', true],
    ];
    for (const [body, status, refusal, fatal] of cases) {
      const response = await agent.exercise(person, body);
      expect({ refusal, status: response.statusCode, header: response.headers['candor-refusal'], type: response.headers['content-type'] }).toEqual({
        refusal,
        status,
        header: refusal,
        type: expect.stringMatching(/^application\/json/),
      });
      expect(response.json()).toMatchObject({ code: String(status), message: expect.any(String), refusal, ...(fatal ? { fatal: true } : {}) });
    }
    const noToken = await t.app.inject({
      method: 'POST',
      url: '/v1/data-rights-request',
      headers: { 'content-type': 'text/plain' },
      payload: agent.signed(person),
    });
    expect(refusalOf(noToken)).toEqual({ status: 401, refusal: 'missing_token' });
    const replayed = agent.signed({ ...person, email: 'replayed@example.org' });
    expect((await agent.exercise(person, replayed)).statusCode).toBe(200);
    const again = await agent.exercise(person, replayed);
    expect({ ...refusalOf(again), fatal: again.json().fatal }).toEqual({ status: 409, refusal: 'replayed', fatal: true });
    expect(await requestCount()).toBe(before + 1);
    // Each refusal of the agent's (token-bearing) calls is in the trail by its code, never the message.
    const refused = rowsOf<{ detail: { call: string; refusal: string } }>(
      await t.database.db.execute(
        sql`select detail from audit_entries where tenant_id = ${workspace.id} and action = 'drp_request.refused' and actor_id = ${`drp-agent:${agent.id}`} order by sequence`,
      ),
    ).map((row) => (typeof row.detail === 'string' ? JSON.parse(row.detail) : row.detail));
    expect(refused.map((detail) => detail.refusal)).toEqual([...cases.map(([, , refusal]) => refusal), 'replayed']);
    expect(refused.every((detail) => detail.call === 'exercise')).toBe(true);
  });

  it("runs an agent's access request through the person's workflow, deadlines and audit, and tells the agent it was fulfilled", async () => {
    const contactId = await createContact('dora.access@example.org');
    const status = await filed({
      email: 'Dora.Access@example.org',
      email_verified: true,
      name: 'Dora A',
      phone_number: '+14155550100',
      address: { locality: 'Oakland', region: 'CA' },
      'agent-request-id': 'agent-ref-1',
      status_callback: `${new URL(callbackUrl).origin}/drp/callback/one`,
    });
    expect(status).toEqual({
      request_id: expect.any(String),
      agent_request_id: 'agent-ref-1',
      status: 'in_progress',
      received_at: expect.any(String),
      expected_by: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    const requestId = await rightsRequestOf(status.request_id);
    expect(requestId).not.toBe(status.request_id);
    const read = (await desk('GET', `/api/v1/requests/${requestId}`)).json().data;
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
      await t.database.db.execute(sql`select requester_identity from rights_requests where id = ${requestId}`),
    );
    expect(sealed.requester_identity).not.toMatch(/dora|4155550100|Oakland/i);
    // The same deadlines as a CCPA access request staff enter now.
    const staff = (await desk('POST', '/api/v1/requests', { kind: 'access', regime: 'ccpa', email: 'someone@example.org' })).json().data;
    expect({ respondBy: read.respondBy, acknowledgeBy: read.acknowledgeBy }).toEqual({ respondBy: staff.respondBy, acknowledgeBy: staff.acknowledgeBy });

    expect((await desk('POST', `/api/v1/requests/${requestId}/start`)).statusCode).toBe(200);
    const completed = await desk('POST', `/api/v1/requests/${requestId}/complete`);
    expect(completed.statusCode, completed.body).toBe(200);
    expect(completed.json().data.outcome).toMatchObject({ accessExportId: expect.any(String) });
    const final = (await agent.status(status.request_id)).json();
    expect(final).toMatchObject({ request_id: status.request_id, agent_request_id: 'agent-ref-1', status: 'fulfilled', expires_at: expect.any(String) });
    await eventually(async () => callbacksFor(status.request_id).some((callback) => callback.status === 'fulfilled'), { what: 'the fulfilled callback' });
    const heard = callbacksFor(status.request_id);
    // Started is still in_progress, which the agent knew from the answer: only the change to fulfilled is sent.
    expect(heard.map((callback) => callback.status)).toEqual(['fulfilled']);
    expect(heard.every((callback) => callback.path === '/drp/callback/one' && callback.contentType === 'application/json')).toBe(true);
    // The agent's own actions and staff's, in one trail, each for legal_compliance.
    const entries = await auditEntries(requestId);
    expect(entries.filter((entry) => entry.actor === `system:drp-agent:${agent.id}`).map((entry) => entry.action)).toEqual([
      'rights_request.receive',
      'rights_request.verify',
      'drp_request.received',
      'drp_request.status_read',
    ]);
    expect(entries.every((entry) => entry.purpose === 'legal_compliance')).toBe(true);
    expect(JSON.stringify(entries)).not.toMatch(/dora|4155550100/i);
    expect(await auditActions(requestId)).toEqual([
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
    const contactId = await createContact('dora.erase@example.org');
    const status = await filed({ exercise: 'deletion', email: 'dora.erase@example.org', email_verified: false });
    expect(status).toMatchObject({ status: 'open', received_at: expect.any(String) });
    expect(status.expected_by).toBeUndefined();
    const requestId = await rightsRequestOf(status.request_id);
    expect((await desk('GET', `/api/v1/requests/${requestId}`)).json().data).toMatchObject({ kind: 'erasure', state: 'received', contactId });
    expect((await desk('POST', `/api/v1/requests/${requestId}/verify`)).statusCode).toBe(200);
    expect((await agent.status(status.request_id)).json()).toMatchObject({ status: 'in_progress', expected_by: expect.any(String) });
    await eventually(async () => callbacksFor(status.request_id).length >= 1, { what: 'the in_progress callback' });
    const completed = await desk('POST', `/api/v1/requests/${requestId}/complete`);
    expect(completed.statusCode, completed.body).toBe(200);
    expect(completed.json().data.outcome).toMatchObject({ erased: true });
    expect((await t.request(workspace.keys.admin, { method: 'GET', url: `/api/v1/contacts/${contactId}`, purpose: 'sales' })).statusCode).toBe(404);
    expect((await agent.status(status.request_id)).json()).toMatchObject({ status: 'fulfilled' });
    await eventually(async () => callbacksFor(status.request_id).length >= 2, { what: 'two callbacks' });
    expect(callbacksFor(status.request_id).map((callback) => callback.status)).toEqual(['in_progress', 'fulfilled']);
    expect(callbacksFor(status.request_id).every((callback) => callback.path === '/drp/callback')).toBe(true);
    expect(await auditActions(requestId)).toEqual(
      expect.arrayContaining(['rights_request.receive', 'drp_request.received', 'rights_request.verify', 'rights_request.complete']),
    );
  });
});

describe('refused calls from one address', () => {
  it('are limited: past 50 in 15 minutes the address is answered 429 with Retry-After, and a successful call does not count', async () => {
    const from = { remoteAddress: '203.0.113.77' };
    const good = await t.app.inject({ ...from, method: 'GET', url: `/v1/agent/${agent.agentId}`, headers: { authorization: `Bearer ${agent.token}` } });
    expect(good.statusCode).toBe(200);
    const refusedCall = () => t.app.inject({ ...from, method: 'GET', url: `/v1/agent/${agent.agentId}`, headers: { authorization: 'Bearer drp_wrong' } });
    for (let call = 0; call < 50; call += 1) expect((await refusedCall()).statusCode).toBe(403);
    const limited = await refusedCall();
    expect({ ...refusalOf(limited), retryAfter: limited.headers['retry-after'] }).toEqual({
      status: 429,
      refusal: 'rate_limited',
      retryAfter: expect.any(String),
    });
    const setUp = await t.app.inject({
      ...from,
      method: 'POST',
      url: `/v1/agent/${agent.agentId}`,
      headers: { 'content-type': 'text/plain' },
      payload: agent.signed(),
    });
    expect(refusalOf(setUp)).toEqual({ status: 429, refusal: 'rate_limited' });
    // Another address is not held back.
    expect((await agent.checkToken()).statusCode).toBe(200);
  });
});

describe('every state of the protocol', () => {
  it('answers need_user_verification, an extension with its reason, and each denial reason', async () => {
    const waiting = await filed({ email: 'waiting@example.org' });
    const waitingId = await rightsRequestOf(waiting.request_id);
    expect((await desk('POST', `/api/v1/requests/${waitingId}/send-verification`)).statusCode).toBe(200);
    expect((await agent.status(waiting.request_id)).json()).toMatchObject({
      status: 'in_progress',
      reason: 'need_user_verification',
      processing_details: expect.any(String),
    });

    const extended = await filed({ email: 'extended@example.org', email_verified: true });
    const extendedId = await rightsRequestOf(extended.request_id);
    const before = (await agent.status(extended.request_id)).json().expected_by;
    expect((await desk('POST', `/api/v1/requests/${extendedId}/extend`, { reason: 'Many records to gather' })).statusCode).toBe(200);
    const after = (await agent.status(extended.request_id)).json();
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
      const denied = await filed({ email: `denied.${code}@example.org` });
      const deniedId = await rightsRequestOf(denied.request_id);
      expect((await desk('POST', `/api/v1/requests/${deniedId}/deny`, { reason: `Denied: ${code}`, code })).statusCode).toBe(200);
      expect((await agent.status(denied.request_id)).json()).toMatchObject({ status: 'denied', reason, processing_details: `Denied: ${code}` });
    }
  });

  it("revokes an open request (DELETE), refuses to revoke it twice or another agent's, and answers expired once the record is past keeping", async () => {
    const open = await filed({ email: 'revoke@example.org' });
    const revoked = await agent.revoke(open.request_id, { reason: 'I changed my mind' });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json()).toMatchObject({ request_id: open.request_id, status: 'revoked', processing_details: 'I changed my mind' });
    const requestId = await rightsRequestOf(open.request_id);
    expect((await desk('GET', `/api/v1/requests/${requestId}`)).json().data).toMatchObject({ state: 'withdrawn', withdrawalReason: 'I changed my mind' });
    expect(refusalOf(await agent.revoke(open.request_id))).toEqual({ status: 409, refusal: 'already_final' });
    expect(await auditActions(requestId)).toEqual(expect.arrayContaining(['rights_request.withdraw', 'drp_request.revoked']));
    await eventually(async () => callbacksFor(open.request_id).some((callback) => callback.status === 'revoked'), { what: 'the revoked callback' });

    const other = await registeredAgent('OTHER_AGENT');
    expect((await other.setUp()).statusCode).toBe(200);
    const theirs = await filed({ email: 'theirs@example.org' }, other);
    expect(refusalOf(await agent.status(theirs.request_id))).toEqual({ status: 403, refusal: 'not_your_request' });
    expect(refusalOf(await agent.revoke(theirs.request_id))).toEqual({ status: 403, refusal: 'not_your_request' });
    expect(refusalOf(await agent.status('5f0c7f36-8a4e-4b7e-9d6a-0f1e2d3c4b5a'))).toEqual({ status: 404, refusal: 'unknown_request' });

    await t.database.db.execute(sql`update rights_requests set closed_at = now() - interval '61 days' where id = ${requestId}`);
    expect((await agent.status(open.request_id)).json()).toEqual({ request_id: open.request_id, status: 'expired' });
  });
});
