import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, openPage, type RecordedPage } from './support/browser.ts';
import { callApi, e2eServer } from './support/e2eServer.ts';
import { expectCandorOnly } from './support/pageRules.ts';
import { checkScreen } from './support/screenshots.ts';
import { fillSignInForm } from './support/signIn.ts';

// Administration for an admin: an invitation, then the new account deactivated; an API key
// created (its secret shown once, copied, working), listed with its purposes and revoked; a
// webhook with its signing secret and its delivery log. Everything here is made by this file
// (the demo users and keys other files sign in with are left alone); the webhook is deleted.

let browser: Browser;
let admin: RecordedPage;
const tag = `a${Date.now().toString(36)}`;
const invitee = `invitee.${tag}@admin-e2e.example.com`;
const webhookUrl = `https://hooks-${tag}.example.invalid/candor`;

beforeAll(async () => {
  browser = await openBrowser();
  admin = await openPage(browser);
  await admin.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: e2eServer().url });
  // The admin's first purpose (E-mail marketing) may show no contact: wait for the header instead of the table.
  await admin.page.goto(`${e2eServer().url}/sign-in`);
  await fillSignInForm(admin.page, 'admin');
  await admin.page.getByRole('link', { name: 'Administration' }).waitFor();
});
afterAll(async () => {
  const webhooks = (await (await callApi('admin', '/api/v1/webhooks')).json()) as { data: Array<{ id: string; url: string }> };
  for (const webhook of webhooks.data.filter((item) => item.url === webhookUrl)) await callApi('admin', `/api/v1/webhooks/${webhook.id}`, { method: 'DELETE' });
  await browser?.close();
});

async function openTab(page: Page, tab: string) {
  await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Administration' }).click();
  await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: tab }).click();
}

async function chooseOption(page: Page, select: string, option: string) {
  await page.getByRole('button', { name: new RegExp(select) }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** The token of the newest invitation mailed to `to` (the demo mailbox). */
async function invitationToken(to: string): Promise<string> {
  const mailbox = (await (await fetch(`${e2eServer().url}/dev/mail.json`)).json()) as { data: Array<{ to: string; text: string }> };
  const token = /accept-invitation#token=(\S+)/.exec(mailbox.data.find((message) => message.to === to)?.text ?? '')?.[1];
  if (!token) throw new Error(`no invitation mailed to ${to}`);
  return decodeURIComponent(token);
}

const keyRequest = (key: string) =>
  fetch(`${e2eServer().url}/api/v1/contacts?limit=1`, { headers: { authorization: `Bearer ${key}`, 'candor-purpose': 'sales' } });

describe('people', () => {
  it('invites someone by e-mail with a role, and says until when the link works', async () => {
    const { page } = admin;
    await openTab(page, 'People');
    await page.getByLabel('E-mail address').fill(invitee);
    await chooseOption(page, 'Role', 'Support');
    await page.getByRole('button', { name: 'Send the invitation' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'An invitation was sent' }).textContent()).toContain(`sent to ${invitee} as Support`);
  });

  it('deactivates the account once accepted, after the admin confirms', async () => {
    const { page } = admin;
    const accepted = await fetch(`${e2eServer().url}/api/v1/auth/accept-invitation`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: await invitationToken(invitee), displayName: `Ivo ${tag}`, password: 'a long enough password for Ivo' }),
    });
    expect(accepted.status).toBe(201);
    await openTab(page, 'API keys');
    await openTab(page, 'People');
    const row = page.getByRole('row', { name: new RegExp(invitee.replace(/\./g, '\\.')) });
    await expect.poll(() => row.textContent()).toContain('Active');
    await row.getByRole('button', { name: `Deactivate Ivo ${tag}` }).click();
    await page
      .getByRole('alertdialog', { name: `Deactivate Ivo ${tag}?` })
      .getByRole('button', { name: 'Deactivate', exact: true })
      .click();
    await expect.poll(() => row.textContent()).toContain('Deactivated');
    expect(await row.getByRole('button').count()).toBe(0);
    await checkScreen(page, 'admin-users', { fullPage: true });
  });
});

describe('API keys', () => {
  let secret = '';

  it('creates a key for chosen purposes and shows its secret once, with a copy button that copies it', async () => {
    const { page } = admin;
    await openTab(page, 'API keys');
    await page.getByRole('textbox', { name: 'Name' }).fill(`Sign-up form ${tag}`);
    await chooseOption(page, 'Role', 'Sales');
    // The visible box covers the native input, as in every React Aria checkbox: click its label.
    await page.locator('.checkbox-list').getByText('Sales', { exact: true }).click();
    expect(await page.getByRole('checkbox', { name: 'Sales', exact: true }).isChecked()).toBe(true);
    await chooseOption(page, 'Default purpose', 'Sales');
    await page.getByRole('button', { name: 'Create the key' }).click();
    const shown = page.locator('.secret-value');
    await shown.waitFor();
    secret = (await shown.textContent()) ?? '';
    expect(secret).toMatch(/^cnd_\w+_\S+$/);
    await page.getByRole('button', { name: 'Copy' }).click();
    await expect.poll(() => page.getByText('Copied to the clipboard.').count()).toBe(1);
    // Given as text: it runs in the page, whose DOM this Node project has no types for.
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(secret);
    expect((await keyRequest(secret)).status).toBe(200);
    await checkScreen(page, 'api-key-secret');
  });

  it('lists the key with its purposes and never its secret, once the secret is hidden', async () => {
    const { page } = admin;
    await page.getByRole('button', { name: 'Done, hide it' }).click();
    const row = page.getByRole('row', { name: new RegExp(`Sign-up form ${tag}`) });
    await expect.poll(() => row.textContent()).toContain('Sales (default)');
    expect(await row.textContent()).toContain(secret.split('_')[1]);
    expect(await page.locator('main').textContent()).not.toContain(secret);
    await checkScreen(page, 'api-keys', { fullPage: true });
  });

  it('revokes the key after the admin confirms, and the key stops working', async () => {
    const { page } = admin;
    const row = page.getByRole('row', { name: new RegExp(`Sign-up form ${tag}`) });
    await row.getByRole('button', { name: `Revoke Sign-up form ${tag}` }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Revoke', exact: true }).click();
    await expect.poll(() => row.textContent()).toContain('Revoked');
    expect((await keyRequest(secret)).status).toBe(401);
  });
});

describe('webhooks', () => {
  it('adds a webhook, shows its signing secret once, and its delivery log follows a test delivery', async () => {
    const { page } = admin;
    await openTab(page, 'Webhooks');
    await page.getByLabel('Receiver URL').fill(webhookUrl);
    await page.getByLabel('Events').fill('contact.created, deal.updated');
    await page.getByRole('button', { name: 'Add the webhook' }).click();
    await expect.poll(() => page.locator('.secret-value').textContent()).toMatch(/^whsec_/);
    await page.getByRole('button', { name: 'Done, hide it' }).click();
    await page.getByRole('link', { name: `Delivery log of ${webhookUrl}` }).click();
    await expect.poll(() => page.getByText('Nothing was sent to this webhook yet.').count()).toBe(1);
    await page.getByRole('button', { name: 'Send a test delivery' }).click();
    const log = page.getByRole('table', { name: 'Delivery log' });
    await expect.poll(() => log.getByRole('row').nth(1).textContent()).toContain('webhook.ping');
    // The receiver's name does not resolve: the first attempt is logged with why no status arrived.
    await expect.poll(() => log.getByRole('row').nth(1).textContent(), { timeout: 30_000 }).toMatch(/1\. .+ — (?!HTTP)\S+, \d+ ms/);
    await checkScreen(page, 'webhook-deliveries', { fullPage: true });
  });

  it('made every request to Candor, under its CSP, with nothing blocked', () => {
    expectCandorOnly(admin, e2eServer().url);
  });
});
