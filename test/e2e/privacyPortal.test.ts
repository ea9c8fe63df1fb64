import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, openPage, type RecordedPage } from './support/browser.ts';
import { mailedCode, newestMailTo } from './support/devMailbox.ts';
import { callApi, e2eServer } from './support/e2eServer.ts';
import { focusedName, tabTo } from './support/keyboard.ts';
import { expectCandorOnly } from './support/pageRules.ts';
import { checkScreen } from './support/screenshots.ts';
import { fillSignInForm } from './support/signIn.ts';
import { createTestContact, deleteTestContacts, readTestContact, type TestContact, uniqueSurname } from './support/testContacts.ts';

// The customer privacy portal, as the person whose data the demo workspace holds uses it: a
// code from the mailbox signs them in; they read their data, download a copy, withdraw their
// e-mail marketing consent and ask to be erased; a privacy officer completes the erasure
// from the request queue, and the contact is gone. By keyboard alone and on a phone too.

let browser: Browser;
let visitor: RecordedPage;
let contact: TestContact;
const marker = uniqueSurname('Portalmark');
const email = `${marker.toLowerCase()}@example.test`;
const portal = (path = '') => `${e2eServer().url}/portal/demo${path}`;

/** The contact's consent events for e-mail marketing, as staff read them. */
async function marketingConsentStates(): Promise<string[]> {
  const answer = await callApi('admin', `/api/v1/contacts/${contact.id}/consents`, { purpose: 'sales' });
  expect(answer.status).toBe(200);
  const events = ((await answer.json()) as { data: Array<{ purposeKey: string; state: string }> }).data;
  return events.filter((event) => event.purposeKey === 'email_marketing').map((event) => event.state);
}

/** The text of the person's request of a kind in the portal's list, once it is there. */
async function listedRequest(kind: string): Promise<string | null> {
  const requests = visitor.page.getByRole('region', { name: 'Your requests', exact: true });
  const listed = requests.getByRole('list', { name: 'Your requests so far' }).getByRole('listitem').filter({ hasText: kind });
  await listed.waitFor();
  return listed.textContent();
}

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
  it('mails a code to the address typed, refuses a wrong one, sends a new one on asking, and signs in with it', async () => {
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

    // A new code, as when the first never came: a sign-in of its own, and only its code opens it.
    const first = await newestMailTo(email);
    await page.getByRole('button', { name: 'Send a new code' }).click();
    await page.getByRole('status').filter({ hasText: 'We sent a new code to' }).waitFor();
    const newCode = await mailedCode(email, first);
    await page.getByLabel('Code from the e-mail').fill(newCode);
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

  it('prepares a copy, follows it until it is ready, and downloads it holding the marker', async () => {
    const { page } = visitor;
    const copy = page.getByRole('region', { name: 'Your copy', exact: true });
    await copy.getByText('For another service (JSON)').click();
    expect(await copy.getByRole('radio', { name: /JSON/ }).isChecked()).toBe(true);
    await copy.getByRole('button', { name: 'Prepare my copy' }).click();
    const downloadButton = copy.getByRole('button', { name: /Download your copy/ });
    await downloadButton.waitFor({ timeout: 30_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), downloadButton.click()]);
    const file = readFileSync(await download.path(), 'utf8');
    expect(file).toContain(marker);
    expect(() => JSON.parse(file)).not.toThrow();
  });

  it('withdraws the e-mail marketing consent, shows its receipt, and the API has it withdrawn', async () => {
    const { page } = visitor;
    expect((await marketingConsentStates()).at(-1)).toBe('given');
    const consents = page.getByRole('region', { name: 'Your consents', exact: true });
    const marketing = consents
      .getByRole('list', { name: 'Consent purposes' })
      .getByRole('listitem')
      .filter({ has: page.getByText('E-mail marketing', { exact: true }) });
    await marketing.getByRole('button', { name: 'Withdraw my consent to E-mail marketing' }).click();
    await marketing.getByText('Withdrawn', { exact: true }).waitFor();
    await expect.poll(async () => (await marketingConsentStates()).at(-1)).toBe('withdrawn');
    // The receipt shown (opened above) is now the withdrawal's: signed, valid, and the consent not live.
    await marketing.getByRole('status').filter({ hasText: 'Valid; the consent is not live now' }).waitFor();
    await marketing.getByRole('button', { name: 'Give my consent to E-mail marketing' }).waitFor();
    const history = consents.getByRole('list', { name: 'Your consent history' }).getByRole('listitem');
    expect(await history.first().textContent()).toMatch(/^E-mail marketing: Withdrawn.*through this portal/);
    await checkScreen(page, 'portal-consents', { fullPage: true });
  });

  it('asks for a correction with the value a field should hold, and lists it with its due date', async () => {
    const { page } = visitor;
    const requests = page.getByRole('region', { name: 'Your requests', exact: true });
    const correction = requests.getByRole('region', { name: 'Correct your data' });
    await correction.getByRole('button', { name: /What to correct/ }).click();
    await page.getByRole('option', { name: 'First name', exact: true }).click();
    await correction.getByLabel('New value for First name').fill('Portiana');
    await correction.getByRole('button', { name: 'Ask for the correction' }).click();
    await correction.getByRole('status').filter({ hasText: 'We have your request for a correction' }).waitFor();
    expect(await listedRequest('Correction')).toContain('Answer due by');
  });

  it('asks for erasure only after an explicit confirmation, and lists the request with its due date', async () => {
    const { page } = visitor;
    const requests = page.getByRole('region', { name: 'Your requests', exact: true });
    await requests.getByRole('button', { name: 'Ask us to erase my data' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Erase all your data?' });
    await dialog.waitFor();
    await checkScreen(page, 'portal-erasure-confirmation');
    await dialog.getByRole('button', { name: 'Yes, erase my data' }).click();
    await requests.getByRole('status').filter({ hasText: 'We have your request to erase your data' }).waitFor();
    expect(await listedRequest('Erasure')).toContain('Answer due by');
  });

  it('fits a 375 px wide phone without scrolling sideways', async () => {
    const { page } = visitor;
    await page.setViewportSize({ width: 375, height: 800 });
    await page.getByRole('region', { name: 'Your requests', exact: true }).waitFor();
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

describe('the erasure asked for in the portal', () => {
  it('is completed by a privacy officer from the request queue, and the contact is gone', async () => {
    const officer = await openPage(browser);
    const { page } = officer;
    await page.goto(`${e2eServer().url}/sign-in`);
    await fillSignInForm(page, 'privacy_officer');
    await page.getByRole('heading', { level: 1, name: 'Contacts' }).waitFor();
    await page.goto(`${e2eServer().url}/privacy/requests`);
    // The only erasure request of the run: the one the person made in the portal, verified by their sign-in.
    const erasures = page.getByRole('table', { name: 'Queue' }).getByRole('row').filter({ hasText: 'erasure' });
    await erasures.filter({ hasText: 'verified' }).waitFor();
    expect(await erasures.count()).toBe(1);
    await erasures.getByRole('button', { name: 'Complete' }).click();
    await erasures.filter({ hasText: 'completed' }).waitFor();
    await checkScreen(page, 'portal-erasure-completed', { fullPage: true });
    expect(await readTestContact(contact.id)).toBeNull();
    expectCandorOnly(officer, e2eServer().url);
  });
});

describe('the portal by keyboard alone', () => {
  it('signs in and objects to direct marketing without a pointer, even for an address the workspace does not hold', async () => {
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
    await checkScreen(page, 'portal-unknown-address', { fullPage: true });
    // An objection to direct marketing, asked by keyboard: the header's link to the section, then its button.
    await tabTo(page, 'Your requests');
    await page.keyboard.press('Enter');
    await tabTo(page, 'Send my objection');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'We have your request' }).waitFor();
    await page.getByRole('list', { name: 'Your requests so far' }).getByRole('listitem').filter({ hasText: 'Objection' }).waitFor();
    await tabTo(page, 'Sign out', { backwards: true });
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
