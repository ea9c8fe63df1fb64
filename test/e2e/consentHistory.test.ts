import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, openPage, type RecordedPage } from './support/browser.ts';
import { callApi, e2eServer } from './support/e2eServer.ts';
import { expectCandorOnly } from './support/pageRules.ts';
import { checkScreen } from './support/screenshots.ts';
import { signIn } from './support/signIn.ts';
import { createTestContact, deleteTestContacts, type TestContact, uniqueSurname } from './support/testContacts.ts';

// The contact page's consent section: a sales user records a consent to a consent purpose
// their role holds, sees it in the history, opens its receipt (the app's verify call says
// valid and live, and the signed JWS downloads), withdraws, and the history shows both.

let browser: Browser;
let sales: RecordedPage;
let contact: TestContact;
// A consent purpose of the sales data use: a new purpose gets the default grants, so sales holds it.
const purposeKey = `sales_follow_up_${Date.now().toString(36)}`;
/** The public verifier's answer, asked as anyone holding the receipt would (no session). */
async function verifyReceipt(receipt: string): Promise<unknown> {
  const answer = await fetch(`${e2eServer().url}/api/v1/consent-receipts/verify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ receipt }),
  });
  return ((await answer.json()) as { data: unknown }).data;
}
const label = (key: string) => key.charAt(0).toUpperCase() + key.slice(1).replaceAll('_', ' ');

beforeAll(async () => {
  const created = await callApi('admin', '/api/v1/purposes', {
    method: 'POST',
    body: JSON.stringify({
      key: purposeKey,
      description: 'Calls about offers the person asked to hear about',
      legalBasis: 'consent',
      dataUse: 'sales',
      retentionDays: 365,
    }),
  });
  expect(created.status, await created.clone().text()).toBe(201);
  browser = await openBrowser();
  sales = await openPage(browser);
  await signIn(sales.page, 'sales');
  contact = await createTestContact({ firstName: 'Consuela', lastName: uniqueSurname('Receipt') });
});
afterAll(async () => {
  await deleteTestContacts();
  await browser?.close();
});

describe('consent history on the contact page', () => {
  it('records a given consent, shows it with its receipt (valid and live), withdraws, and shows both', async () => {
    const { page } = sales;
    await page.goto(`${e2eServer().url}/contacts/${contact.id}`);
    const section = page.getByRole('region', { name: 'Consent' });
    await section.getByText('No consent recorded for this person yet.').waitFor();

    const form = page.getByRole('form', { name: 'Record consent' });
    await form.getByRole('button', { name: /Purpose/ }).click();
    await page.getByRole('option', { name: label(purposeKey), exact: true }).click();
    await form.getByLabel('Note (optional)').fill('Asked for a call back at the stand');
    await form.getByRole('button', { name: 'Record' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Given: ${label(purposeKey)} is in the consent history.` })
      .waitFor();

    const history = page.getByRole('list', { name: 'Consent history' });
    const entries = history.locator('.consent-entry');
    await entries.first().waitFor();
    expect(await entries.first().locator('.consent-title').textContent()).toBe(`${label(purposeKey)}: Given`);
    // The event names the notice in force when it was recorded (the purpose's first version).
    expect(await entries.first().textContent()).toMatch(/via Staff · notice v1/);

    await entries.first().getByRole('button', { name: 'Receipt' }).click();
    const verdict = entries.first().locator('.receipt-verdict');
    await verdict.waitFor();
    expect(await verdict.textContent()).toBe('Verification: Valid, and the consent is live');
    const [download] = await Promise.all([page.waitForEvent('download'), entries.first().getByRole('link', { name: 'Download the signed receipt' }).click()]);
    const jws = await (await download.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8'));
    expect(jws.split('.')).toHaveLength(3);
    expect(await verifyReceipt(jws)).toMatchObject({ valid: true, live: true, purposeKey, state: 'given' });
    await entries.first().getByText('The receipt, decoded').click();
    expect(await entries.first().locator('.receipt-json').textContent()).toContain('"version": "KI-CR-v1.1.0"');
    await checkScreen(page, 'consent-history', { fullPage: true });

    await form.getByRole('button', { name: /The person/ }).click();
    await page.getByRole('option', { name: 'withdrawn', exact: true }).click();
    await form.getByRole('button', { name: 'Record' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Withdrawn: ${label(purposeKey)} is in the consent history.` })
      .waitFor();
    await expect.poll(() => entries.count()).toBe(2);
    expect(await history.locator('.consent-title').allTextContents()).toEqual([`${label(purposeKey)}: Withdrawn`, `${label(purposeKey)}: Given`]);
    // The receipt of the consent given earlier still verifies, but the consent is no longer live.
    expect(await verifyReceipt(jws)).toMatchObject({ valid: true, live: false });
  });

  it('shows the reason beside the purpose when the role may not record consent to it', async () => {
    const { page } = sales;
    const form = page.getByRole('form', { name: 'Record consent' });
    await form.getByRole('button', { name: /Purpose/ }).click();
    await page.getByRole('option', { name: 'E-mail marketing', exact: true }).click();
    await form.getByRole('button', { name: 'Record' }).click();
    await form.getByText('not granted to this role').waitFor();
  });

  it('held to the page rules: Candor only, strict CSP', () => {
    expectCandorOnly(sales, e2eServer().url);
  });
});
