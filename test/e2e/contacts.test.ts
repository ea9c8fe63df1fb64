import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoContacts } from './globalSetup.ts';
import { openBrowser, openPage, type RecordedPage } from './support/browser.ts';
import { callApi, e2eServer } from './support/e2eServer.ts';
import { expectCandorOnly } from './support/pageRules.ts';
import { checkScreen } from './support/screenshots.ts';
import { signIn } from './support/signIn.ts';

// The contacts table (virtualised rows, cursor paging, sorting on the keys the API allows)
// and the contact page, for a sales user; then the same contact as Support sees it.

let browser: Browser;
let sales: RecordedPage;

beforeAll(async () => {
  browser = await openBrowser();
  sales = await openPage(browser);
  await signIn(sales.page, 'sales');
});
afterAll(() => browser?.close());

const table = () => sales.page.getByRole('table', { name: 'Contacts' });
const renderedRows = () => table().locator('tbody tr').count();
const contactListReads = () => sales.requests.filter((request) => new URL(request.url).pathname === '/api/v1/contacts');

describe('the contacts table', () => {
  it('says how many contacts Sales may process, and renders only the rows in view', async () => {
    await expect.poll(() => sales.page.getByRole('status').first().textContent()).toBe(`${demoContacts} contacts`);
    expect(await table().getAttribute('aria-rowcount')).toBe(String(demoContacts + 1));
    const rows = await renderedRows();
    expect(rows).toBeGreaterThan(10);
    expect(rows).toBeLessThan(60);
    await checkScreen(sales.page, 'contacts-table');
  });

  it('fetches the next page along the cursor as the user scrolls down, keeping fewer than 100 rows in the page', async () => {
    const scroller = sales.page.locator('.table-scroller');
    const scrollHeight = () => scroller.evaluate((element) => element.scrollHeight);
    for (let loaded = 100; loaded < demoContacts; loaded += 100) {
      const before = await scrollHeight();
      const next = sales.page.waitForRequest((request) => new URL(request.url()).searchParams.has('cursor'));
      await scroller.evaluate((element) => element.scrollTo(0, element.scrollHeight));
      await next;
      await expect.poll(scrollHeight).toBeGreaterThan(before);
    }
    await scroller.evaluate((element) => element.scrollTo(0, element.scrollHeight));
    await expect.poll(() => table().locator('tbody tr').last().getAttribute('aria-rowindex')).toBe(String(demoContacts + 1));
    expect(await renderedRows()).toBeLessThan(100);
    const cursors = contactListReads().map((request) => new URL(request.url).searchParams.get('cursor'));
    expect(cursors.filter(Boolean)).toHaveLength(demoContacts / 100 - 1);
    expect(new Set(cursors).size).toBe(cursors.length);
  });

  it('sorts on the keys the API allows, from their column headers, by mouse and by keyboard', async () => {
    const { page } = sales;
    expect(await table().getByRole('columnheader', { name: 'E-mail' }).getByRole('button').count()).toBe(0);
    const ascending = page.waitForRequest((request) => new URL(request.url()).searchParams.get('sort') === 'createdAt');
    await table()
      .getByRole('button', { name: /Created/ })
      .click();
    await ascending;
    await expect
      .poll(() =>
        table()
          .getByRole('columnheader', { name: /Created/ })
          .getAttribute('aria-sort'),
      )
      .toBe('ascending');

    const byActivity = page.waitForRequest((request) => new URL(request.url()).searchParams.get('sort') === '-lastActivityAt');
    await table()
      .getByRole('button', { name: /Last activity/ })
      .focus();
    await page.keyboard.press('Enter');
    await byActivity;
    await expect
      .poll(() =>
        table()
          .getByRole('columnheader', { name: /Last activity/ })
          .getAttribute('aria-sort'),
      )
      .toBe('descending');
    expect(new URL(page.url()).searchParams.get('sort')).toBe('-lastActivityAt');
    // The API's own order for that key: the first rows are the contacts with the latest activity.
    const api = (await (await callApi('sales', '/api/v1/contacts?sort=-lastActivityAt&limit=3', { purpose: 'sales' })).json()) as {
      data: Array<{ id: string }>;
    };
    const shown = await table()
      .locator('tbody tr')
      .evaluateAll((rows) => rows.slice(0, 3).map((row) => row.querySelector('a')?.getAttribute('href')));
    expect(shown).toEqual(api.data.map((contact) => `/contacts/${contact.id}`));
  });
});

describe('finding and filtering contacts', () => {
  it('finds contacts by the start of a name, sending what was typed only in a request body, never in an address', async () => {
    const { page } = sales;
    const listed = (await (await callApi('sales', '/api/v1/contacts?limit=1', { purpose: 'sales' })).json()) as {
      data: Array<{ id: string; lastName: string }>;
    };
    const prefix = listed.data[0].lastName.slice(0, 3);
    const searched = page.waitForRequest((request) => new URL(request.url()).pathname === '/api/v1/contacts/search');
    await page.getByRole('searchbox', { name: 'Find a contact' }).fill(prefix);
    const request = await searched;
    expect(request.method()).toBe('POST');
    expect(JSON.parse(request.postData() ?? '{}')).toMatchObject({ name: prefix });
    await table().locator(`a[href="/contacts/${listed.data[0].id}"]`).waitFor();
    const names = await table().locator('tbody tr a').allTextContents();
    const startsAWord = (name: string) => name.split(/[\s'’-]+/).some((word) => word.toLowerCase().startsWith(prefix.toLowerCase()));
    expect(names.filter((name) => !startsAWord(name))).toEqual([]);
    expect(await page.getByRole('button', { name: /Stage/ }).isDisabled()).toBe(true);
    expect(sales.requests.filter((recorded) => decodeURIComponent(recorded.url).includes(prefix)).map((recorded) => recorded.url)).toEqual([]);
    await checkScreen(page, 'contacts-search');
    await page.getByRole('button', { name: 'Clear the search' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toBe(`${demoContacts} contacts`);
  });

  it("narrows the list by stage (chosen by keyboard) and to the user's own contacts, keeping the filters in the address", async () => {
    const { page } = sales;
    const customers = (await (await callApi('sales', '/api/v1/contacts?lifecycleStage=customer&count=true&limit=1', { purpose: 'sales' })).json()) as {
      total: number;
    };
    const filtered = page.waitForRequest((request) => new URL(request.url()).searchParams.get('lifecycleStage') === 'customer');
    await page.getByRole('button', { name: /Stage/ }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('listbox').waitFor();
    await page.keyboard.type('Cust');
    await page.keyboard.press('Enter');
    await filtered;
    await expect.poll(() => page.getByRole('status').first().textContent()).toBe(`${customers.total} contacts`);
    expect(new URL(page.url()).searchParams.get('stage')).toBe('customer');

    const me = (await page.evaluate(async () => (await fetch('/api/v1/auth/me')).json())) as { data: { user: { id: string } } };
    const mine = page.waitForRequest((request) => new URL(request.url()).searchParams.get('ownerId') === me.data.user.id);
    await page.getByRole('checkbox', { name: 'Only mine' }).focus();
    await page.keyboard.press('Space');
    await mine;
    expect(new URL(page.url()).searchParams.get('owner')).toBe('me');
    await page.goto(`${e2eServer().url}/contacts`);
    await table().waitFor();
  });
});

describe('the contact page', () => {
  let contactPath: string;

  it('opens from the table and shows the fields, the company, the deals and one timeline', async () => {
    const { page } = sales;
    const link = table().locator('tbody tr').first().getByRole('link');
    const name = (await link.textContent()) ?? '';
    contactPath = (await link.getAttribute('href')) ?? '';
    await link.click();
    await page.getByRole('heading', { level: 1, name }).waitFor();
    for (const section of ['Details', 'Company', 'Deals', 'Timeline']) await page.getByRole('heading', { level: 2, name: section }).waitFor();
    await page.locator('.timeline-entry, .empty-state').first().waitFor();
    expect(await page.getByRole('region', { name: 'Details' }).textContent()).toContain('E-mail');
    await checkScreen(page, 'contact-page', { fullPage: true });
  });

  it('shows a support user the same contact with the fields Support may not use as withheld, with the reason in words', async () => {
    const support = await openPage(browser);
    await signIn(support.page, 'support');
    await support.page.goto(`${e2eServer().url}${contactPath}`);
    const details = support.page.getByRole('region', { name: 'Details' });
    await details.waitFor();
    const api = (await (await callApi('support', `/api/v1${contactPath}`, { purpose: 'support' })).json()) as { withheld: Array<{ field: string }> };
    expect(api.withheld.map((entry) => entry.field)).toContain('city');
    const city = details.locator('.field-row', { hasText: 'City' }).locator('dd');
    expect(await city.textContent()).toBe('Withheld: not declared for Support');
    await checkScreen(support.page, 'contact-page-support', { fullPage: true });
    expectCandorOnly(support, e2eServer().url);
  });

  it('is usable at phone width: one column, no serious accessibility violation', async () => {
    const phone = await openPage(browser, { width: 390, height: 844 });
    await signIn(phone.page, 'sales');
    await phone.page.goto(`${e2eServer().url}${contactPath}`);
    await phone.page.getByRole('heading', { level: 2, name: 'Timeline' }).waitFor();
    const overflow = await phone.page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await checkScreen(phone.page, 'contact-page-phone', { fullPage: true });
    expectCandorOnly(phone, e2eServer().url);
  });
});

describe('the pages seen', () => {
  it('asked nothing of another origin, came with the strict CSP, and broke none of its rules', () => {
    expectCandorOnly(sales, e2eServer().url);
  });
});
