import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSigningKey, signCombined, validClaims, verifyKeyOf } from '../support/drpAgentClient.ts';
import { openBrowser, openPage, type RecordedPage } from './support/browser.ts';
import { mailedCode, newestMailTo } from './support/devMailbox.ts';
import { callApi, e2eServer } from './support/e2eServer.ts';
import { expectCandorOnly } from './support/pageRules.ts';
import { checkScreen } from './support/screenshots.ts';
import { callAsStaff, staffSession } from './support/staffSession.ts';
import { createTestContact, deleteTestContacts, type TestContact, uniqueSurname } from './support/testContacts.ts';

// An authorised agent's request that needs the person (Data Rights Protocol §3.02.1): the agent
// files it, the privacy desk mails a verification, the agent reads user_verification_url from
// the status and sends the person there; the person signs in with the code mailed to the
// address the request names, sees the agent's request, verifies it, and the agent reads
// in_progress. The agent (this run's own id) signs as the spec says, over plain HTTP.

let browser: Browser;
let person: RecordedPage;
let contact: TestContact;
const marker = uniqueSurname('Agentverify');
const email = `${marker.toLowerCase()}@example.test`;
const agentId = `E2E_VERIFY_${Date.now().toString(36).toUpperCase()}`;
/** The workspace's business id (GET /api/v1/drp-business), which the agent's messages name. */
let businessId = '';
const signingKey = newSigningKey();
let token = '';
let drpRequestId = '';

/** A signed body of the agent's, with the spec's claims (a 15-minute window). */
function signed(claims: Record<string, unknown> = {}): string {
  return signCombined(JSON.stringify({ ...validClaims(agentId, businessId), ...claims }), signingKey);
}

async function agentCall(method: string, path: string, body?: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${e2eServer().url}${path}`, {
    method,
    headers: { ...(body ? { 'content-type': 'text/plain' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  const text = await response.text();
  expect(response.status, text).toBe(200);
  return JSON.parse(text);
}

beforeAll(async () => {
  contact = await createTestContact({ firstName: 'Vera', lastName: marker, email });
  const business = await callApi('admin', '/api/v1/drp-business');
  expect(business.status, await business.clone().text()).toBe(200);
  businessId = ((await business.json()) as { data: { businessId: string } }).data.businessId;
  const registered = await callApi('admin', '/api/v1/drp-agents', {
    method: 'POST',
    body: JSON.stringify({ agentId, name: 'Permission Agent', verifyKey: verifyKeyOf(signingKey) }),
  });
  expect(registered.status, await registered.clone().text()).toBe(201);
  token = String((await agentCall('POST', `/v1/agent/${agentId}`, signed())).token);
  const filed = await agentCall('POST', '/v1/data-rights-request', signed({ exercise: 'access', regime: 'ccpa', email, name: `Vera ${marker}` }));
  drpRequestId = String(filed.request_id);
  const desk = await staffSession('privacy_officer');
  const listed = await callAsStaff(desk, '/api/v1/requests?state=received&limit=100', 'legal_compliance');
  expect(listed.status, await listed.clone().text()).toBe(200);
  const requests = ((await listed.json()) as { data: Array<{ id: string; contactId: string | null; channel: string }> }).data;
  const ours = requests.find((request) => request.contactId === contact.id && request.channel === 'agent');
  expect(ours, 'the agent’s request in the queue').toBeDefined();
  const sent = await callAsStaff(desk, `/api/v1/requests/${ours!.id}/send-verification`, 'legal_compliance', {});
  expect(sent.status, await sent.clone().text()).toBe(200);
  browser = await openBrowser();
  person = await openPage(browser);
});
afterAll(async () => {
  await deleteTestContacts();
  await browser?.close();
});

describe('verifying an authorised agent’s request in the privacy portal', () => {
  it('takes the person from user_verification_url through sign-in to the request, which they verify; the agent then reads in_progress', async () => {
    const status = await agentCall('GET', `/v1/data-rights-request/${drpRequestId}`);
    expect(status).toMatchObject({ status: 'in_progress', reason: 'need_user_verification' });
    const url = String(status.user_verification_url);
    expect(url).toBe(`${e2eServer().url}/portal/demo/requests/${drpRequestId}/verify`);

    const { page } = person;
    // As the agent presents it (§3.02.1): with request_id and redirect_to.
    await page.goto(`${url}?request_id=${drpRequestId}&redirect_to=${encodeURIComponent('https://agent.example.org/done')}`);
    await page.getByRole('heading', { level: 1, name: 'Verify a request made for you' }).waitFor();
    await checkScreen(page, 'drp-verification-sign-in');
    const before = await newestMailTo(email);
    await page.getByLabel('Your e-mail address', { exact: true }).fill(email);
    await page.getByRole('button', { name: 'Send me a code' }).click();
    await page.getByLabel('Code from the e-mail').fill(await mailedCode(email, before));
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.getByRole('button', { name: 'Verify this request' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/portal/demo/requests/${drpRequestId}/verify`);
    const shown = await page.getByRole('main').textContent();
    expect(shown).toContain('Permission Agent');
    expect(shown).toContain('A copy of your data');
    expect(shown).toContain('Waiting for you to confirm your address');
    await checkScreen(page, 'drp-verification-request', { fullPage: true });

    await page.getByRole('button', { name: 'Verify this request' }).click();
    await page.getByRole('status').filter({ hasText: 'the request is verified' }).waitFor();
    await checkScreen(page, 'drp-verification-done');
    // The redirect_to is not on the agent's registered callback origin (it has none): no way back is offered.
    expect(await page.getByRole('link', { name: /Back to/ }).count()).toBe(0);

    const after = await agentCall('GET', `/v1/data-rights-request/${drpRequestId}`);
    expect(after).toMatchObject({ status: 'in_progress', expected_by: expect.any(String) });
    expect(after.reason).toBeUndefined();
    expectCandorOnly(person, e2eServer().url);
  });
});
