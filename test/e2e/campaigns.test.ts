import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, openPage, type RecordedPage } from './support/browser.ts';
import { callApi, e2eServer } from './support/e2eServer.ts';
import { expectCandorOnly } from './support/pageRules.ts';
import { checkScreen } from './support/screenshots.ts';
import { signIn } from './support/signIn.ts';

// Segments and campaigns (/campaigns), for a marketing user: a segment of contacts whose
// e-mail marketing consent is live, its count shown live as the filters change (the same as
// the API's); a campaign to it saved as a draft, sent, and its delivery counts read again
// until it is sent (they are the API's). The segment and campaign names are this file's own.

let browser: Browser;
let marketing: RecordedPage;
const suffix = Date.now().toString(36);
const segmentName = `E2E readers ${suffix}`;
const campaignName = `E2E news ${suffix}`;

beforeAll(async () => {
  browser = await openBrowser();
  marketing = await openPage(browser);
  await signIn(marketing.page, 'marketing');
});
afterAll(() => browser?.close());

/** The API's count of a segment's members (the same under any purpose: counting reads no one's data). */
async function apiTotal(filters: Record<string, unknown>): Promise<number> {
  const response = await callApi('marketing', '/api/v1/segments/preview?limit=0', {
    method: 'POST',
    body: JSON.stringify({ filters }),
    purpose: 'email_marketing_existing_customers',
  });
  const body = (await response.json()) as { data: { total: number } };
  expect(response.status, JSON.stringify(body)).toBe(200);
  return body.data.total;
}

const countShown = async () =>
  Number(((await marketing.page.getByRole('status').filter({ hasText: 'contacts match' }).textContent()) ?? '').replace(/[^\d]/g, ''));

describe('segments and campaigns', () => {
  it('builds a segment with its count shown live, the count the API gives', async () => {
    const { page } = marketing;
    await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Campaigns' }).click();
    await page.getByRole('heading', { level: 1, name: 'Segments and campaigns' }).waitFor();
    await page.getByRole('navigation', { name: 'Segments and campaigns' }).getByRole('link', { name: 'Segments' }).click();
    await page.getByRole('heading', { name: 'New segment' }).waitFor();
    const everyone = await apiTotal({});
    await expect.poll(countShown).toBe(everyone);

    await page.getByRole('button', { name: /Consent state/ }).click();
    await page.getByRole('option', { name: 'Live', exact: true }).click();
    const live = await apiTotal({ consent: [{ purposeKey: 'email_marketing', live: true }] });
    expect(live).toBeGreaterThan(0);
    expect(live).toBeLessThan(everyone);
    await expect.poll(countShown).toBe(live);

    await page.getByRole('textbox', { name: 'Name' }).fill(segmentName);
    await page.getByRole('button', { name: 'Save the segment' }).click();
    await page
      .getByRole('table', { name: 'Segments' })
      .getByRole('row', { name: new RegExp(segmentName) })
      .waitFor();
    await checkScreen(page, 'segments', { fullPage: true });
  });

  it('writes a campaign to it, sends it and shows its delivery counts as they come', async () => {
    const { page } = marketing;
    await page.getByRole('navigation', { name: 'Segments and campaigns' }).getByRole('link', { name: 'Campaigns' }).click();
    await page.getByRole('heading', { name: 'New campaign' }).waitFor();
    await page.getByRole('textbox', { name: 'Name' }).fill(campaignName);
    await page.getByRole('button', { name: /Segment$/ }).click();
    await page.getByRole('option', { name: segmentName }).click();
    await page.getByRole('spinbutton', { name: 'Messages a second' }).fill('200');
    await page.getByRole('textbox', { name: 'Subject' }).fill('Our spring news');
    await page.getByRole('textbox', { name: 'Text' }).fill('Hello!\n\nThe spring catalogue is out.');
    await page.getByRole('button', { name: 'Save as draft' }).click();
    const row = page.getByRole('table', { name: 'Campaigns' }).getByRole('row', { name: new RegExp(campaignName) });
    await row.getByRole('cell', { name: 'Draft' }).waitFor();

    await row.getByRole('button', { name: `Send ${campaignName} now` }).click();
    await row.getByRole('cell', { name: 'Sent', exact: true }).waitFor({ timeout: 60_000 });
    const list = (await (await callApi('marketing', '/api/v1/campaigns?status=sent&limit=100')).json()) as {
      data: Array<{ name: string; deliveries: { sent: number; skipped: number; failed: number } }>;
    };
    const sent = list.data.find((campaign) => campaign.name === campaignName)!;
    expect(sent.deliveries.sent).toBeGreaterThan(0);
    const cells = await row.getByRole('cell').allTextContents();
    expect(cells.slice(2, 5).map((text) => Number(text.replace(/[^\d]/g, '')))).toEqual([
      sent.deliveries.sent,
      sent.deliveries.skipped,
      sent.deliveries.failed,
    ]);
    await checkScreen(page, 'campaigns', { fullPage: true });
    expectCandorOnly(marketing, e2eServer().url);
  });
});
