import { generateKeyPairSync } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, openPage, type RecordedPage } from './support/browser.ts';
import { callApi, e2eServer } from './support/e2eServer.ts';
import { expectCandorOnly } from './support/pageRules.ts';
import { checkScreen } from './support/screenshots.ts';
import { signInAsAdmin } from './support/signIn.ts';

// The privacy console's Agents page (admins): an authorised agent of the Data Rights Protocol
// registered with its id, key and callback URL, listed, and deactivated after confirming; the
// workspace's business id (Candor's, not typed) shown read-only with a Copy button; the API has
// each change. The agent's id is this run's own.

let browser: Browser;
let admin: RecordedPage;
const agentId = `E2E_AGENT_${Date.now().toString(36).toUpperCase()}`;
const verifyKey = Buffer.from(String(generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x), 'base64url').toString('base64');

type Agent = { agentId: string; name: string; verifyKey: string; callbackUrl: string | null; businessId: string; status: string };

async function registered(): Promise<Agent | undefined> {
  const response = await callApi('admin', '/api/v1/drp-agents');
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: Agent[] }).data.find((agent) => agent.agentId === agentId);
}

beforeAll(async () => {
  browser = await openBrowser();
  admin = await openPage(browser);
  await signInAsAdmin(admin.page);
});
afterAll(() => browser?.close());

async function workspaceBusinessId(): Promise<string> {
  const response = await callApi('admin', '/api/v1/drp-business');
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: { businessId: string } }).data.businessId;
}

describe('the authorised agents page', () => {
  it("shows the workspace's business id read-only and copies it", async () => {
    const { page } = admin;
    const businessId = await workspaceBusinessId();
    expect(businessId).toMatch(/^CANDOR_[A-Z]{16}$/);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: e2eServer().url });
    await page.goto(`${e2eServer().url}/privacy/agents`);
    const panel = page.getByRole('region', { name: 'Your business id' });
    await panel.getByText(businessId, { exact: true }).waitFor();
    expect(await panel.getByRole('textbox').count()).toBe(0);
    await panel.getByRole('button', { name: 'Copy the business id' }).click();
    await panel.getByRole('status').getByText('Copied to the clipboard.').waitFor();
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(businessId);
    await checkScreen(page, 'drp-agents-business-id', { fullPage: true });
  });

  it('registers an agent with its key and callback URL under the business id, lists it, and deactivates it after confirming', async () => {
    const { page } = admin;
    await page.goto(`${e2eServer().url}/privacy/agents`);
    await page.getByRole('heading', { level: 1, name: 'Authorised agents' }).waitFor();
    await page.getByRole('button', { name: 'Register an agent' }).click();
    await page.getByLabel('Agent id').fill(agentId);
    await page.getByLabel('Name').fill('Permission Slip (test)');
    await page.getByLabel('Verify key').fill('not a key');
    await page.getByLabel('Callback URL').fill('https://agent.example.org/drp/status');
    // No business id to type: the form asks only for the agent's own details.
    expect(await page.getByRole('region', { name: 'Register an agent' }).getByLabel('Business id').count()).toBe(0);
    await page.getByRole('button', { name: 'Register the agent' }).click();
    // The API's reason, beside the field it names.
    await page.getByText('is not a base64 Ed25519 public key (32 bytes)').first().waitFor();
    expect(await registered()).toBeUndefined();
    await checkScreen(page, 'drp-agents-register-refused', { fullPage: true });
    await page.getByLabel('Verify key').fill(verifyKey);
    // Leaving the field clears its server error, which moves the button up: leave it first, so the click lands.
    await page.getByLabel('Verify key').blur();
    await page.getByRole('button', { name: 'Register the agent' }).click();

    const row = page.getByRole('table', { name: 'Agents' }).getByRole('row').filter({ hasText: agentId });
    await row.waitFor();
    expect(await row.textContent()).toContain('Active');
    expect(await row.textContent()).toContain('Not set up yet');
    expect(await registered()).toMatchObject({
      agentId,
      name: 'Permission Slip (test)',
      verifyKey,
      callbackUrl: 'https://agent.example.org/drp/status',
      businessId: await workspaceBusinessId(),
      status: 'active',
    });
    await checkScreen(page, 'drp-agents', { fullPage: true });

    await row.getByRole('button', { name: 'Deactivate Permission Slip (test)' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Deactivate this agent?' });
    await checkScreen(page, 'drp-agents-deactivate');
    await dialog.getByRole('button', { name: 'Deactivate the agent' }).click();
    await expect.poll(async () => (await registered())?.status).toBe('inactive');
    await row.getByRole('button', { name: 'Activate Permission Slip (test)', exact: true }).waitFor();
    expect(await row.textContent()).toContain('Inactive');
  });

  it('asked nothing of another origin, came with the strict CSP, and broke none of its rules', () => {
    expectCandorOnly(admin, e2eServer().url);
  });
});
