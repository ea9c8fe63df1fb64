import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, openPage, type RecordedPage } from './support/browser.ts';
import { callApi, e2eServer } from './support/e2eServer.ts';
import { expectCandorOnly } from './support/pageRules.ts';
import { checkScreen } from './support/screenshots.ts';
import { fillSignInForm } from './support/signIn.ts';

// The notice editor (/privacy/notices): a privacy officer writes a draft, watches its
// readability change as they type, previews it and publishes it as a material change.
// It works on the Legal compliance purpose, whose notice no other browser test reads (a
// published version cannot be taken back).

let browser: Browser;
let officer: RecordedPage;
const purposeKey = 'legal_compliance';

type Notice = {
  version: number;
  status: string;
  material: boolean;
  renewalGraceDays: number | null;
  publishedAt: string | null;
  renewBy: string | null;
  bodyMarkdown: string;
};

beforeAll(async () => {
  browser = await openBrowser();
  officer = await openPage(browser);
  await officer.page.goto(`${e2eServer().url}/sign-in`);
  await fillSignInForm(officer.page, 'privacy_officer');
  await officer.page.getByRole('heading', { level: 1, name: 'Contacts' }).waitFor();
});
afterAll(() => browser?.close());

const scoreText = () => officer.page.locator('.readability-score').textContent();
const easeIn = (label: string | null) => Number(/: (-?\d+) —/.exec(label ?? '')?.[1]);

const plainText = '# Why we keep your invoices\n\nThe law says we must keep them. We keep them for ten years.';
const hardSentence =
  ' Notwithstanding the aforementioned obligations, documentation substantiating contractual transactions is preserved in accordance with statutory requirements.';

describe('the notice editor', () => {
  it('is linked from the privacy console and shows the published first version', async () => {
    const { page } = officer;
    await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Privacy' }).click();
    await page.getByRole('navigation', { name: 'Privacy' }).getByRole('link', { name: 'Notices' }).click();
    await page.getByRole('heading', { level: 1, name: 'Notices' }).waitFor();
    await page.goto(`${e2eServer().url}/privacy/notices?purpose=${purposeKey}`);
    const versions = page.getByRole('table', { name: 'Versions' });
    await versions.getByRole('row').nth(1).waitFor();
    expect(await versions.getByRole('row').nth(1).textContent()).toContain('Published');
  });

  it('scores the draft as it is typed and previews it without its markup', async () => {
    const { page } = officer;
    const body = page.getByRole('textbox', { name: 'Notice (Markdown)' });
    await body.fill(plainText);
    const plain = await scoreText();
    expect(plain).toMatch(/^[A-Za-z ]+: -?\d+ — about grade \d+$/);
    await body.press('End');
    await page.keyboard.type(hardSentence, { delay: 2 });
    await expect.poll(scoreText).not.toBe(plain);
    const hard = await scoreText();
    expect(easeIn(hard)).toBeLessThan(easeIn(plain));
    const preview = page.getByRole('region', { name: 'Preview' });
    expect(await preview.getByRole('heading', { name: 'Why we keep your invoices' }).count()).toBe(1);
    expect(await preview.textContent()).not.toContain('#');
  });

  it('saves the draft, then publishes it as a material change with a grace period', async () => {
    const { page } = officer;
    await page.getByRole('textbox', { name: 'Notice (Markdown)' }).fill(plainText);
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByRole('status').filter({ hasText: 'Draft of version 2 saved.' }).waitFor();
    // By keyboard: the visible box covers the native input, as in every React Aria checkbox.
    const material = page.getByRole('checkbox', { name: /Material change/ });
    await material.focus();
    await page.keyboard.press('Space');
    expect(await material.isChecked()).toBe(true);
    await page.getByRole('spinbutton', { name: 'Grace period (days)' }).fill('14');
    await checkScreen(page, 'notice-editor', { fullPage: true });
    await page.getByRole('button', { name: 'Publish version 2' }).click();
    await page.getByRole('status').filter({ hasText: 'Version 2 published.' }).waitFor();

    const response = await callApi('privacy_officer', `/api/v1/purposes/${purposeKey}/notices/current`);
    const current = ((await response.json()) as { data: Notice }).data;
    expect(current).toMatchObject({ version: 2, status: 'published', material: true, renewalGraceDays: 14, bodyMarkdown: plainText });
    expect(Date.parse(current.renewBy ?? '') - Date.parse(current.publishedAt ?? '')).toBe(14 * 86_400_000);
    const versions = page.getByRole('table', { name: 'Versions' });
    expect(await versions.getByRole('row').nth(1).textContent()).toContain('Published, material');
    expect(await versions.getByRole('row').nth(2).textContent()).toContain('Retired');
    expectCandorOnly(officer, e2eServer().url);
  });
});
