import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DrpTestbed, openDrpTestbed } from './support/drpTestbed.ts';
import { eventually } from './support/jobs.ts';
import { portalRequest, signedIn } from './support/portalSessions.ts';

/*
 * An authorised agent's request that needs the person (Data Rights Protocol §3.02.1): its
 * status carries user_verification_url, a privacy-portal page that names the request only;
 * the person signs in there with the address the request names and verifies it, and the
 * agent hears it is in progress. Anyone else — another address, another workspace's session —
 * is told it does not exist, exactly as for an unknown id.
 */

let bed: DrpTestbed;
let drpRequestId: string;
let verificationUrl: string;
beforeAll(async () => {
  bed = await openDrpTestbed({ callbacks: true });
  const filed = await bed.filed({ email: 'pat.verify@example.org', name: 'Pat' });
  drpRequestId = filed.request_id;
  const requestId = await bed.rightsRequestOf(drpRequestId);
  expect((await bed.desk('POST', `/api/v1/requests/${requestId}/send-verification`)).statusCode).toBe(200);
});
afterAll(() => bed.close());

const agentRequest = (session: Awaited<ReturnType<typeof signedIn>>, id = drpRequestId, query = '') =>
  portalRequest(bed.t, session, { path: `/me/agent-requests/${id}${query}` });
const verify = (session: Awaited<ReturnType<typeof signedIn>>, payload: Record<string, unknown> = {}, csrf = true) =>
  portalRequest(bed.t, session, { method: 'POST', path: `/me/agent-requests/${drpRequestId}/verify`, payload, csrf });

describe('user_verification_url', () => {
  it('is the portal page of the request on the public URL, with no secret and nothing about the person, in the status and its callback', async () => {
    const status = (await bed.agent.status(drpRequestId)).json();
    expect(status).toMatchObject({ status: 'in_progress', reason: 'need_user_verification' });
    verificationUrl = status.user_verification_url;
    expect(verificationUrl).toBe(`http://localhost:3000/portal/${bed.workspace.slug}/requests/${drpRequestId}/verify`);
    expect(verificationUrl).not.toMatch(/pat|example\.org|token|code/i);
    await eventually(async () => bed.callbacksFor(drpRequestId).some((callback) => callback.user_verification_url === verificationUrl), {
      what: 'the need_user_verification callback with its URL',
    });
  });
});

describe('the portal page of an agent’s request', () => {
  it('is not found for another address, for another workspace’s session and for an unknown id, alike', async () => {
    const stranger = await signedIn(bed.t, bed.workspace.slug, 'someone.else@example.org');
    const unknown = await agentRequest(stranger, '5f0c7f36-8a4e-4b7e-9d6a-0f1e2d3c4b5a');
    expect(unknown.statusCode).toBe(404);
    const theirs = await agentRequest(stranger);
    expect(theirs.statusCode).toBe(404);
    expect(theirs.json()).toEqual(unknown.json());
    expect((await verify(stranger)).statusCode).toBe(404);

    const elsewhere = await bed.t.createWorkspace();
    const sameAddressElsewhere = await signedIn(bed.t, elsewhere.slug, 'pat.verify@example.org');
    expect((await agentRequest(sameAddressElsewhere)).statusCode).toBe(404);
    expect((await verify(sameAddressElsewhere)).statusCode).toBe(404);
    // A session of one workspace is no session in another.
    expect((await portalRequest(bed.t, sameAddressElsewhere, { path: `/me/agent-requests/${drpRequestId}`, slug: bed.workspace.slug })).statusCode).toBe(401);
    expect((await bed.agent.status(drpRequestId)).json().reason).toBe('need_user_verification');
  });

  it('shows the request to the address it names, which verifies it (CSRF checked), and the agent hears it is in progress', async () => {
    const pat = await signedIn(bed.t, bed.workspace.slug, 'Pat.Verify@Example.org');
    const shown = await agentRequest(pat, drpRequestId.toUpperCase(), `?redirectTo=${encodeURIComponent(`${bed.callbackUrl}/done`)}`);
    expect(shown.statusCode, shown.body).toBe(200);
    expect(shown.json().data).toMatchObject({
      requestId: drpRequestId,
      agentName: 'Agent CR_AA_DRP_ID_001',
      kind: 'access',
      state: 'awaiting_verification',
      needsVerification: true,
      returnUrl: `${bed.callbackUrl}/done`,
    });
    expect(shown.body).not.toContain('pat.verify');
    expect((await agentRequest(pat, drpRequestId, '?redirectTo=https%3A%2F%2Fevil.example%2F')).json().data.returnUrl).toBeNull();

    expect((await verify(pat, {}, false)).json()).toMatchObject({ code: 'csrf_failed' });
    const verified = await verify(pat);
    expect(verified.statusCode, verified.body).toBe(200);
    expect(verified.json().data).toMatchObject({ state: 'verified', needsVerification: false, returnUrl: null });
    expect((await verify(pat)).statusCode).toBe(409);

    const status = (await bed.agent.status(drpRequestId)).json();
    expect(status).toMatchObject({ status: 'in_progress', expected_by: expect.any(String) });
    expect(status.reason).toBeUndefined();
    expect(status.user_verification_url).toBeUndefined();
    await eventually(async () => bed.callbacksFor(drpRequestId).at(-1)?.status === 'in_progress' && !bed.callbacksFor(drpRequestId).at(-1)?.reason, {
      what: 'the in_progress callback',
    });
    const requestId = await bed.rightsRequestOf(drpRequestId);
    const entries = await bed.auditEntries(requestId);
    expect(entries.map((entry) => entry.action)).toEqual(
      expect.arrayContaining(['rights_request.identity_compared', 'rights_request.verify', 'drp_request.verified_by_person']),
    );
    expect(entries.find((entry) => entry.action === 'drp_request.verified_by_person')).toMatchObject({ actor: 'system:data-subject-portal' });
    expect(JSON.stringify(entries)).not.toMatch(/pat\.verify/i);
    expect(bed.t.logs.join('')).not.toMatch(/pat\.verify/i);
  });
});
