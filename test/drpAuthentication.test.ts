import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db/rows.ts';
import { drpAgentClient, newSigningKey } from './support/drpAgentClient.ts';
import { type DrpTestbed, openDrpTestbed, refusalOf } from './support/drpTestbed.ts';

/*
 * The Data Rights Protocol 1.0 (data/drp/), who may call: an admin registers an authorised
 * agent; the agent, signing as the spec says (test/support/drpAgentClient.ts), sets up its
 * bearer token; every message that fails validation (bad signature, wrong agent, wrong business,
 * expired, issued in the future, window too long, replayed…) is refused as the spec says and
 * audited, and an address whose calls keep being refused is held back.
 */

let bed: DrpTestbed;
beforeAll(async () => {
  bed = await openDrpTestbed({ callbacks: false });
});
afterAll(() => bed.close());

describe('registering agents (admin)', () => {
  it('registers an agent with its key, callback URL and business id, and refuses other roles, bad keys and duplicates', async () => {
    const listed = (await bed.admin('GET', '/api/v1/drp-agents')).json().data;
    expect(listed).toContainEqual(
      expect.objectContaining({
        agentId: 'CR_AA_DRP_ID_001',
        businessId: bed.businessId,
        callbackUrl: bed.callbackUrl,
        status: 'active',
        tokenIssuedAt: expect.any(String),
      }),
    );
    const payload = { agentId: 'OTHER', name: 'Other', verifyKey: bed.agent.verifyKey };
    expect((await bed.admin('POST', '/api/v1/drp-agents', payload, bed.workspace.keys.privacy_officer)).statusCode).toBe(403);
    const badKey = await bed.admin('POST', '/api/v1/drp-agents', { ...payload, verifyKey: 'bm90IGEga2V5' });
    expect(badKey.statusCode).toBe(422);
    expect(badKey.json().errors[0].field).toBe('verifyKey');
    const duplicate = await bed.admin('POST', '/api/v1/drp-agents', { ...payload, agentId: 'CR_AA_DRP_ID_001' });
    expect(duplicate.statusCode).toBe(409);
    expect(await bed.auditActions(bed.agent.id)).toEqual(expect.arrayContaining(['drp_agent.registered', 'drp_agent.token_issued']));
  });

  it("gives the workspace one business id of Candor's making, accepts it back and refuses any other with a 422 naming businessId", async () => {
    expect(bed.businessId).toMatch(/^CANDOR_[A-Z]{16}$/);
    expect((await bed.admin('GET', '/api/v1/drp-business')).json().data).toEqual({ businessId: bed.businessId });
    const payload = { agentId: 'OWN_BUSINESS', name: 'Own', verifyKey: bed.agent.verifyKey };
    const own = await bed.admin('POST', '/api/v1/drp-agents', { ...payload, businessId: bed.businessId });
    expect(own.statusCode, own.body).toBe(201);
    expect(own.json().data.businessId).toBe(bed.businessId);
    const typed = await bed.admin('POST', '/api/v1/drp-agents', { ...payload, agentId: 'TYPED_BUSINESS', businessId: 'MY_OWN_CHOICE' });
    expect({ status: typed.statusCode, field: typed.json().errors[0].field }).toEqual({ status: 422, field: 'businessId' });
    const changed = await bed.admin('PATCH', `/api/v1/drp-agents/${own.json().data.id}`, { businessId: 'MY_OWN_CHOICE' });
    expect({ status: changed.statusCode, field: changed.json().errors[0].field }).toEqual({ status: 422, field: 'businessId' });
  });
});

describe("another workspace and this workspace's business id", () => {
  it("lets workspace B neither register an agent under workspace A's business id nor receive the requests that name it", async () => {
    const other = await bed.t.createWorkspace();
    const adminOfB = (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) => bed.t.request(other.keys.admin, { method, url, payload });
    const businessOfB: string = (await adminOfB('GET', '/api/v1/drp-business')).json().data.businessId;
    expect(businessOfB).not.toBe(bed.businessId);
    // B copies A's agent (its public id and key) and names A's business id: refused, without saying A has it.
    const copied = { agentId: bed.agent.agentId, name: 'Copied agent', verifyKey: bed.agent.verifyKey };
    const squatted = await adminOfB('POST', '/api/v1/drp-agents', { ...copied, businessId: bed.businessId });
    expect({ status: squatted.statusCode, field: squatted.json().errors[0].field }).toEqual({ status: 422, field: 'businessId' });
    // Registered without one, the copy is B's under B's business id.
    const registered = await adminOfB('POST', '/api/v1/drp-agents', copied);
    expect(registered.statusCode, registered.body).toBe(201);
    expect(registered.json().data.businessId).toBe(businessOfB);
    // The agent sets up naming A's business id: it is A's registration that answers, and its request lands in A, not in B.
    const before = await bed.requestCount();
    expect((await bed.agent.setUp()).statusCode).toBe(200);
    await bed.filed({ email: 'lands-in-a@example.org' });
    expect(await bed.requestCount()).toBe(before + 1);
    const inB = rowsOf<{ n: number }>(await bed.t.database.db.execute(sql`select count(*)::int as n from rights_requests where tenant_id = ${other.id}`));
    expect(Number(inB[0].n)).toBe(0);
    // An agent registered only in B whose messages name A's business id is refused as the wrong business.
    const onlyInB = drpAgentClient(bed.t.app, 'ONLY_IN_B', bed.businessId);
    expect((await adminOfB('POST', '/api/v1/drp-agents', { agentId: 'ONLY_IN_B', name: 'Only in B', verifyKey: onlyInB.verifyKey })).statusCode).toBe(201);
    expect(refusalOf(await onlyInB.setUp())).toEqual({ status: 403, refusal: 'wrong_business' });
    const inBAgain = rowsOf<{ n: number }>(
      await bed.t.database.db.execute(sql`select count(*)::int as n from drp_agent_lookup where tenant_id = ${other.id} and token_hash is not null`),
    );
    expect(Number(inBAgain[0].n)).toBe(0);
  });
});

describe('the pair-wise key setup (POST /v1/agent/{id})', () => {
  it('gives a token for a message signed with the registered key; GET /v1/agent/{id} answers {} for it', async () => {
    const client = await bed.registeredAgent('SETUP_AGENT');
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
    const client = await bed.registeredAgent('REFUSED_SETUP');
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
    expect((await bed.admin('PATCH', `/api/v1/drp-agents/${client.id}`, { status: 'inactive' })).statusCode).toBe(200);
    expect(refusalOf(await client.setUp())).toEqual({ status: 403, refusal: 'inactive_agent' });
    expect(refusalOf(await client.checkToken())).toEqual({ status: 403, refusal: 'inactive_agent' });
  });

  it('accepts a 15-minute window by default and one up to the configured maximum', async () => {
    const client = await bed.registeredAgent('WINDOWS');
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
    const before = await bed.requestCount();
    const now = Date.now();
    const person = { exercise: 'access', regime: 'ccpa', email: 'refused@example.org' };
    const cases: Array<[string, number, string, boolean]> = [
      [bed.agent.signed(person, { key: newSigningKey() }), 403, 'bad_signature', true],
      [bed.agent.signed({ ...person, 'agent-id': 'SETUP_AGENT' }), 403, 'wrong_agent', true],
      [bed.agent.signed({ ...person, 'business-id': 'OTHER_BUSINESS' }), 403, 'wrong_business', true],
      [
        bed.agent.signed({ ...person, 'issued-at': new Date(now - 120_000).toISOString(), 'expires-at': new Date(now - 60_000).toISOString() }),
        400,
        'expired',
        true,
      ],
      [bed.agent.signed({ ...person, 'issued-at': new Date(now + 120_000).toISOString() }), 400, 'issued_in_future', false],
      [bed.agent.signed({ ...person, 'expires-at': new Date(now + 2 * 60 * 60_000).toISOString() }), 400, 'window_too_long', true],
      [bed.agent.signed({ ...person, exercise: 'sale:opt-in' }), 400, 'unsupported_exercise', true],
      [bed.agent.signed({ ...person, email: undefined }), 400, 'invalid_claim', true],
      [bed.agent.signed({ ...person, status_callback: 'https://elsewhere.example/steal' }), 400, 'invalid_claim', true],
      [Buffer.from('{"agent-id":"x"}').toString('base64'), 400, 'not_base64', true],
    ];
    for (const [body, status, refusal, fatal] of cases) {
      const response = await bed.agent.exercise(person, body);
      expect({ refusal, status: response.statusCode, header: response.headers['candor-refusal'], type: response.headers['content-type'] }).toEqual({
        refusal,
        status,
        header: refusal,
        type: expect.stringMatching(/^application\/json/),
      });
      expect(response.json()).toMatchObject({ code: String(status), message: expect.any(String), refusal, ...(fatal ? { fatal: true } : {}) });
    }
    const noToken = await bed.t.app.inject({
      method: 'POST',
      url: '/v1/data-rights-request',
      headers: { 'content-type': 'text/plain' },
      payload: bed.agent.signed(person),
    });
    expect(refusalOf(noToken)).toEqual({ status: 401, refusal: 'missing_token' });
    const replayed = bed.agent.signed({ ...person, email: 'replayed@example.org' });
    expect((await bed.agent.exercise(person, replayed)).statusCode).toBe(200);
    const again = await bed.agent.exercise(person, replayed);
    expect({ ...refusalOf(again), fatal: again.json().fatal }).toEqual({ status: 409, refusal: 'replayed', fatal: true });
    expect(await bed.requestCount()).toBe(before + 1);
    // Each refusal of the agent's (token-bearing) calls is in the trail by its code, never the message.
    const refused = rowsOf<{ detail: { call: string; refusal: string } }>(
      await bed.t.database.db.execute(
        sql`select detail from audit_entries where tenant_id = ${bed.workspace.id} and action = 'drp_request.refused' and actor_id = ${`drp-agent:${bed.agent.id}`} order by sequence`,
      ),
    ).map((row) => (typeof row.detail === 'string' ? JSON.parse(row.detail) : row.detail));
    expect(refused.map((detail) => detail.refusal)).toEqual([...cases.map(([, , refusal]) => refusal), 'replayed']);
    expect(refused.every((detail) => detail.call === 'exercise')).toBe(true);
  });
});

describe('revoking a request (DELETE /v1/data-rights-request/{id})', () => {
  it('accepts the message §2.04 shows — {reason} alone, signed — also without a content type, as the reference agent sends it', async () => {
    const open = await bed.filed({ email: 'revoke-bare@example.org' });
    const revoked = await bed.agent.revoke(open.request_id, { reason: "I don't want my account deleted." }, { bare: true, contentType: null });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json()).toMatchObject({ request_id: open.request_id, status: 'revoked', processing_details: "I don't want my account deleted." });
    const again = await bed.filed({ email: 'revoke-bare-2@example.org' });
    // Ed25519 is deterministic: the same reason for another request is the same bytes, and is not a replay.
    expect((await bed.agent.revoke(again.request_id, { reason: "I don't want my account deleted." }, { bare: true })).json().status).toBe('revoked');
  });

  it('refuses a {reason} that another key signed, a partial set of claims, and a full set that fails as any message would', async () => {
    const open = await bed.filed({ email: 'revoke-refused@example.org' });
    const revoke = (claims: Record<string, unknown>, options: { bare?: boolean; key?: ReturnType<typeof newSigningKey> } = {}) =>
      bed.agent.revoke(open.request_id, claims, options);
    expect(refusalOf(await revoke({ reason: 'x' }, { bare: true, key: newSigningKey() }))).toEqual({ status: 403, refusal: 'bad_signature' });
    const partial = await revoke({ 'agent-id': bed.agent.agentId, 'business-id': bed.businessId, reason: 'x' }, { bare: true });
    expect(refusalOf(partial)).toEqual({ status: 400, refusal: 'invalid_claim' });
    expect(partial.json()).toMatchObject({ field: 'issued-at', fatal: true });
    expect(refusalOf(await revoke({ 'business-id': 'ANOTHER_BUSINESS' }))).toEqual({ status: 403, refusal: 'wrong_business' });
    expect(refusalOf(await revoke({ 'agent-id': 'ANOTHER_AGENT' }))).toEqual({ status: 403, refusal: 'wrong_agent' });
    const past = Date.now() - 60 * 60_000;
    expect(refusalOf(await revoke({ 'issued-at': new Date(past).toISOString(), 'expires-at': new Date(past + 60_000).toISOString() }))).toEqual({
      status: 400,
      refusal: 'expired',
    });
    expect((await bed.agent.status(open.request_id)).json().status).toBe('open');
    const body = bed.agent.signed({ reason: 'with claims' });
    const replay = () =>
      bed.t.app.inject({
        method: 'DELETE',
        url: `/v1/data-rights-request/${open.request_id}`,
        headers: { 'content-type': 'text/plain', authorization: `Bearer ${bed.agent.token}` },
        payload: body,
      });
    expect((await replay()).json()).toMatchObject({ status: 'revoked', processing_details: 'with claims' });
    expect(refusalOf(await replay())).toEqual({ status: 409, refusal: 'replayed' });
  });
});

describe('refused calls from one address', () => {
  it('are limited: past 50 in 15 minutes the address is answered 429 with Retry-After, and a successful call does not count', async () => {
    const from = { remoteAddress: '203.0.113.77' };
    const good = await bed.t.app.inject({
      ...from,
      method: 'GET',
      url: `/v1/agent/${bed.agent.agentId}`,
      headers: { authorization: `Bearer ${bed.agent.token}` },
    });
    expect(good.statusCode).toBe(200);
    const refusedCall = () =>
      bed.t.app.inject({ ...from, method: 'GET', url: `/v1/agent/${bed.agent.agentId}`, headers: { authorization: 'Bearer drp_wrong' } });
    for (let call = 0; call < 50; call += 1) expect((await refusedCall()).statusCode).toBe(403);
    const limited = await refusedCall();
    expect({ ...refusalOf(limited), retryAfter: limited.headers['retry-after'] }).toEqual({
      status: 429,
      refusal: 'rate_limited',
      retryAfter: expect.any(String),
    });
    const setUp = await bed.t.app.inject({
      ...from,
      method: 'POST',
      url: `/v1/agent/${bed.agent.agentId}`,
      headers: { 'content-type': 'text/plain' },
      payload: bed.agent.signed(),
    });
    expect(refusalOf(setUp)).toEqual({ status: 429, refusal: 'rate_limited' });
    // Another address is not held back.
    expect((await bed.agent.checkToken()).statusCode).toBe(200);
  });
});
