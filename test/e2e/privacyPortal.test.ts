import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, openPage, type RecordedPage } from './support/browser.ts';
import { mailedCode, newestMailTo } from './support/devMailbox.ts';
import { callApi, e2eServer } from './support/e2eServer.ts';
import { focusedName, tabTo } from './support/keyboard.ts';
import { expectCandorOnly } from './support/pageRules.ts';
import { checkScreen } from './support/screenshots.ts';
import { createTestContact, deleteTestContacts, type TestContact, uniqueSurname } from './support/testContacts.ts';

// The customer privacy portal, as the person whose data the demo workspace holds uses it: a
// code from the mailbox signs them in; they read their data, why it is held, their consents
// with receipts and who accessed it; by keyboard alone and on a phone too.

let browser: Browser;
let visitor: RecordedPage;
let contact: TestContact;
const marker = uniqueSurname('Portalmark');
const email = `${marker.toLowerCase()}@example.test`;
const portal = (path = '') => `${e2eServer().url}/portal/demo${path}`;

const horizontalOverflow = (page: RecordedPage['page']) =>
  page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth') as Promise<number>;

beforeAll(async () => {
  contact = await createTestContact({ firstName: 'Portia', lastName: marker, email });
  // Recorded by the admin: the sales role is not granted e-mail marketing.
  const consent = await callApi('admin', `/api/v1/contacts/${contact.id}/consents`, {
    method: 'POST',
    purpose: 'sales',
    body: JSON.stringify({ purposeKey: 'email_marketing', state: 'given', note: 'Ticked the newsletter box' }),
  });
  expect(consent.status, await consent.clone().text()).toBe(201);
  const note = await callApi('sales', '/api/v1/activities', {
    method: 'POST',
    purpose: 'sales',
    body: JSON.stringify({ type: 'note', subject: `Called ${marker} about the newsletter`, links: { contactIds: [contact.id] } }),
  });
  expect(note.status, await note.clone().text()).toBe(201);
  browser = await openBrowser();
  visitor = await openPage(browser);
});
afterAll(async () => {
  await deleteTestContacts();
  await browser?.close();
});

describe('signing in to the privacy portal', () => {
  it('mails a code to the address typed, refuses a wrong code, and signs in with the right one', async () => {
    const { page } = visitor;
    await page.goto(portal());
    await page.getByRole('heading', { level: 1, name: 'Your privacy portal' }).waitFor();
    await checkScreen(page, 'portal-sign-in');
    const before = await newestMailTo(email);
    await page.getByLabel('Your e-mail address', { exact: true }).fill(email);
    await page.getByRole('button', { name: 'Send me a code' }).click();
    await page.getByLabel('Code from the e-mail').waitFor();
    expect(await page.getByRole('status').first().textContent()).toContain(email);
    const code = await mailedCode(email, before);
    await checkScreen(page, 'portal-code');

    const wrong = code === '000000' ? '111111' : '000000';
    await page.getByLabel('Code from the e-mail').fill(wrong);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'That code did not work' }).waitFor();
    expect(await page.getByLabel('Code from the e-mail').getAttribute('aria-invalid')).toBe('true');
    await checkScreen(page, 'portal-code-refused');

    await page.getByLabel('Code from the e-mail').fill(code);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1 }).filter({ hasText: 'holds about you' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/portal/demo/me');
  });
});

describe("the person's portal", () => {
  it('shows their data with the marker, why it is held, their consents and who accessed it', async () => {
    const { page } = visitor;
    const data = page.getByRole('region', { name: 'Your data', exact: true });
    await data.getByText(marker).first().waitFor();
    expect(await data.textContent()).toContain(email);
    await data.getByRole('region', { name: 'Calls, meetings, notes and tasks' }).getByText(`Called ${marker} about the newsletter`).waitFor();
    const why = page.getByRole('region', { name: 'Why we hold it', exact: true });
    expect(await why.textContent()).toContain('Legal basis');
    const consents = page.getByRole('region', { name: 'Your consents', exact: true });
    const marketing = consents
      .getByRole('list', { name: 'Consent purposes' })
      .getByRole('listitem')
      .filter({ has: page.getByText('E-mail marketing', { exact: true }) });
    await marketing.getByText('Given', { exact: true }).waitFor();
    await marketing.getByRole('button', { name: 'See the receipt for E-mail marketing' }).click();
    await marketing.getByRole('status').filter({ hasText: 'Valid, and the consent is live' }).waitFor();
    const trail = page.getByRole('region', { name: 'Who accessed your data', exact: true });
    await trail.getByRole('list').first().waitFor();
    await checkScreen(page, 'portal', { fullPage: true });
  });

  it('fits a 375 px wide phone without scrolling sideways', async () => {
    const { page } = visitor;
    await page.setViewportSize({ width: 375, height: 800 });
    await page.getByRole('region', { name: 'Who accessed your data', exact: true }).waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await checkScreen(page, 'portal-phone', { fullPage: true });
    await page.setViewportSize({ width: 1400, height: 900 });
  });

  it('signs out, back to the sign-in page', async () => {
    const { page } = visitor;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor();
    await page.goto(portal('/me'));
    await page.getByLabel('Your e-mail address', { exact: true }).waitFor();
  });
});

describe('the portal by keyboard alone', () => {
  it('signs in without a pointer, even for an address the workspace does not hold', async () => {
    const keyboard = await openPage(browser, { width: 375, height: 800 });
    const { page } = keyboard;
    const stranger = `${uniqueSurname('stranger').toLowerCase()}@example.test`;
    await page.goto(portal());
    await tabTo(page, 'Your e-mail address');
    await page.keyboard.type(stranger);
    await page.keyboard.press('Enter');
    await page.getByLabel('Code from the e-mail').waitFor();
    // The code field takes the focus: the next keys type the code.
    expect(await focusedName(page)).toBe('Code from the e-mail');
    await page.keyboard.type(await mailedCode(stranger));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1 }).filter({ hasText: 'holds about you' }).waitFor();
    expect(await page.getByRole('region', { name: 'Your data', exact: true }).textContent()).toContain('We hold no data');
    await tabTo(page, 'Sign out');
    await page.keyboard.press('Enter');
    await page.getByText('You are signed out.').waitFor();
    expectCandorOnly(keyboard, e2eServer().url);
  });
});

describe('the pages seen', () => {
  it('asked nothing of another origin, came with the strict CSP, and broke none of its rules', () => {
    expectCandorOnly(visitor, e2eServer().url);
  });
});
