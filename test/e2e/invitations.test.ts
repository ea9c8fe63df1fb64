import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, openPage, type RecordedPage } from './support/browser.ts';
import { callApi, e2eServer } from './support/e2eServer.ts';
import { expectCandorOnly } from './support/pageRules.ts';
import { checkScreen } from './support/screenshots.ts';
import { signInAsAdmin } from './support/signIn.ts';

// Pending invitations on the People page: an admin invites someone, sees the invitation
// waiting, sends it again (a new link, the old one dead) and withdraws it after confirming;
// the withdrawn link no longer accepts. The invitee's address is made up by this file.

let browser: Browser;
let admin: RecordedPage;
const tag = `i${Date.now().toString(36)}`;
const invitee = `pending.${tag}@invitations-e2e.example.com`;

type Listed = { id: string; email: string; state: string };

beforeAll(async () => {
  browser = await openBrowser();
  admin = await openPage(browser);
  await signInAsAdmin(admin.page);
});
afterAll(async () => {
  // Withdraws what a failed run left pending, so the demo workspace keeps no stray invitation.
  for (const invitation of await invitationsOf(invitee, 'pending')) await callApi('admin', `/api/v1/invitations/${invitation.id}`, { method: 'DELETE' });
  await browser?.close();
});

async function invitationsOf(email: string, state: string): Promise<Listed[]> {
  const response = await callApi('admin', `/api/v1/invitations?state=${state}&limit=200&sort=-created_at`);
  return ((await response.json()) as { data: Listed[] }).data.filter((invitation) => invitation.email === email);
}

/** The tokens mailed to `to` (the demo mailbox), newest first. */
async function mailedTokens(to: string): Promise<string[]> {
  const mailbox = (await (await fetch(`${e2eServer().url}/dev/mail.json`)).json()) as { data: Array<{ to: string; text: string }> };
  return mailbox.data
    .filter((message) => message.to === to)
    .map((message) => decodeURIComponent(/accept-invitation#token=(\S+)/.exec(message.text)?.[1] ?? ''));
}

const accept = (token: string) =>
  fetch(`${e2eServer().url}/api/v1/auth/accept-invitation`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, displayName: `Pat ${tag}`, password: 'a long enough password for Pat' }),
  });

const pendingTable = (page: Page) => page.getByRole('region', { name: 'Pending invitations' });
const inviteeRow = (page: Page) => pendingTable(page).getByRole('row', { name: new RegExp(invitee.replace(/\./g, '\\.')) });

describe('pending invitations', () => {
  it('shows a new invitation as pending at once, with its role and until when its link works', async () => {
    const { page } = admin;
    await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Administration' }).click();
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'People' }).click();
    await page.getByLabel('E-mail address').fill(invitee);
    await page.getByRole('button', { name: /Role/ }).click();
    await page.getByRole('option', { name: 'Marketing', exact: true }).click();
    await page.getByRole('button', { name: 'Send the invitation' }).click();
    await inviteeRow(page).waitFor();
    expect(await inviteeRow(page).textContent()).toContain('Marketing');
    expect(await invitationsOf(invitee, 'pending')).toHaveLength(1);
    await checkScreen(page, 'invitations', { fullPage: true });
  });

  it('sends it again with a new link; the old link no longer works', async () => {
    const { page } = admin;
    const [first] = await mailedTokens(invitee);
    await inviteeRow(page)
      .getByRole('button', { name: `Send again to ${invitee}` })
      .click();
    await expect.poll(async () => (await mailedTokens(invitee)).length).toBe(2);
    await expect.poll(() => inviteeRow(page).getByRole('status').textContent()).toBe('Sent again; the old link no longer works.');
    expect((await accept(first)).status).toBe(422);
    await checkScreen(page, 'invitations-resent');
  });

  it('withdraws it from the keyboard after confirming; it leaves the list and its link stops working', async () => {
    const { page } = admin;
    const [newest] = await mailedTokens(invitee);
    await inviteeRow(page)
      .getByRole('button', { name: `Withdraw the invitation to ${invitee}` })
      .focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('alertdialog', { name: `Withdraw the invitation to ${invitee}?` });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Withdraw', exact: true }).focus();
    await page.keyboard.press('Enter');
    await inviteeRow(page).waitFor({ state: 'detached' });
    expect(await invitationsOf(invitee, 'pending')).toEqual([]);
    expect((await invitationsOf(invitee, 'revoked')).map((invitation) => invitation.state)).toEqual(['revoked']);
    expect((await accept(newest)).status).toBe(422);
  });
});

describe('the pages seen', () => {
  it('asked nothing of another origin, came with the strict CSP, and broke none of its rules', () => {
    expectCandorOnly(admin, e2eServer().url);
  });
});
