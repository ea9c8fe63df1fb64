import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, openPage, type RecordedPage } from './support/browser.ts';
import { callApi, e2eServer } from './support/e2eServer.ts';
import { expectCandorOnly } from './support/pageRules.ts';
import { checkScreen } from './support/screenshots.ts';

// The links Candor e-mails open pages of the app: accepting an invitation, and a password
// reset asked for from the sign-in page. The mail is read from the demo mailbox.

const invitee = 'nina.newcomer@example.test';
let browser: Browser;
let recorded: RecordedPage;
const tokens: string[] = [];

beforeAll(async () => {
  browser = await openBrowser();
  recorded = await openPage(browser);
});
afterAll(() => browser?.close());

/** The link in the newest mail to `to` in the demo mailbox, whose token travels after `#`. */
async function linkInMail(to: string, path: string): Promise<string> {
  const mailbox = (await (await fetch(`${e2eServer().url}/dev/mail.json`)).json()) as { data: Array<{ to: string; text: string }> };
  const mail = mailbox.data.find((message) => message.to === to);
  const link = new RegExp(`https?://[^\\s]+${path}#token=([^\\s]+)`).exec(mail?.text ?? '');
  if (!link) throw new Error(`no ${path} link in the newest mail to ${to}`);
  tokens.push(decodeURIComponent(link[1]));
  return link[0];
}

describe('an invitation link', () => {
  it("opens the app's invitation page, which takes the token out of the address bar", async () => {
    const invited = await callApi('admin', '/api/v1/users/invitations', { method: 'POST', body: JSON.stringify({ email: invitee, role: 'support' }) });
    expect(invited.status).toBe(201);
    const { page } = recorded;
    await page.goto(await linkInMail(invitee, '/accept-invitation'));
    await page.getByRole('heading', { name: 'Accept your invitation' }).waitFor();
    expect(new URL(page.url()).hash).toBe('');
    await checkScreen(page, 'accept-invitation');
  });

  it("shows the server's reason next to the field it refuses, then signs the new user in on accepting", async () => {
    const { page } = recorded;
    await page.getByLabel('Your name').fill('Nina Newcomer');
    // The browser checks the minimum length; the maximum is the server's to refuse.
    await page.getByLabel('Password', { exact: true }).fill('x'.repeat(257));
    await page.getByRole('button', { name: 'Join the workspace' }).click();
    const passwordField = page.locator('.field', { has: page.getByLabel('Password', { exact: true }) });
    await expect.poll(() => passwordField.textContent()).toContain('must be at most 256 characters');
    expect(await page.getByLabel('Password', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Password', { exact: true }).fill('a long enough password for Nina');
    await page.getByRole('button', { name: 'Join the workspace' }).click();
    await page.getByRole('table', { name: 'Contacts' }).waitFor();
    expect(await page.getByRole('banner').textContent()).toContain('Nina Newcomer');
    expect(
      await page
        .getByRole('banner')
        .getByRole('button', { name: /Purpose/ })
        .textContent(),
    ).toContain('Support');
  });
});

describe('a forgotten password', () => {
  it('is reset from the sign-in page: a link by mail, a new password, and signing in with it', async () => {
    const { page } = recorded;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    // The sign-in form has fields of the same names: fill them only on the reset page.
    await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
    await page.getByLabel('Workspace').fill('demo');
    await page.getByLabel('E-mail address').fill(invitee);
    await page.getByRole('button', { name: 'Send the reset link' }).click();
    await page.getByText('If that account exists').waitFor();
    await expect.poll(() => linkInMail(invitee, '/reset-password').catch(() => null), { timeout: 10_000 }).not.toBeNull();
    await page.goto(await linkInMail(invitee, '/reset-password'));
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    expect(new URL(page.url()).hash).toBe('');
    await checkScreen(page, 'reset-password');
    await page.getByLabel('New password', { exact: true }).fill('another long password for Nina');
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await page.getByRole('heading', { name: 'Your password is changed' }).waitFor();
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByLabel('Workspace').fill('demo');
    await page.getByLabel('E-mail address').fill(invitee);
    await page.getByLabel('Password', { exact: true }).fill('another long password for Nina');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('table', { name: 'Contacts' }).waitFor();
  });
});

describe('the pages seen', () => {
  it('sent no one-time token in any address: it stays after # and goes only in the form post', () => {
    expect(tokens.length).toBeGreaterThanOrEqual(2);
    const addresses = recorded.requests.map((request) => request.url);
    for (const token of tokens) expect(addresses.filter((address) => address.includes(token) || address.includes(encodeURIComponent(token)))).toEqual([]);
  });

  it('asked nothing of another origin, came with the strict CSP, and broke none of its rules', () => {
    expectCandorOnly(recorded, e2eServer().url);
  });
});
