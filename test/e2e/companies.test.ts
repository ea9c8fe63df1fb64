import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, openPage, type RecordedPage } from './support/browser.ts';
import { createDeal } from './support/dealBoard.ts';
import { callApi, e2eServer } from './support/e2eServer.ts';
import { expectCandorOnly } from './support/pageRules.ts';
import { checkScreen } from './support/screenshots.ts';
import { signIn } from './support/signIn.ts';

// The companies list (cursor paging, the orders the API offers, a name prefix) and a
// company's page with its fields, its people and its deals, on a company this file creates.

let browser: Browser;
let sales: RecordedPage;
const run = Date.now().toString(36);
const companyName = `Quillfeather Instruments ${run}`;
let company: { id: string };

async function created<T>(response: Response): Promise<T> {
  expect(response.status).toBe(201);
  return ((await response.json()) as { data: T }).data;
}

beforeAll(async () => {
  company = await created(
    await callApi('sales', '/api/v1/companies', {
      method: 'POST',
      purpose: 'sales',
      body: JSON.stringify({
        name: companyName,
        domain: `quillfeather-${run}.example`,
        industry: 'Manufacturing',
        city: 'Utrecht',
        country: 'NL',
        employeeCount: 1250,
      }),
    }),
  );
  await created(
    await callApi('sales', '/api/v1/contacts', {
      method: 'POST',
      purpose: 'sales',
      body: JSON.stringify({ firstName: 'Ines', lastName: 'Quillfeather', email: `ines-${run}@quillfeather.example`, companyId: company.id }),
    }),
  );
  await createDeal({ name: 'Quillfeather calibration contract', amountMinor: 480_000, currency: 'EUR', companyId: company.id });
  browser = await openBrowser();
  sales = await openPage(browser);
  await signIn(sales.page, 'sales');
});
afterAll(() => browser?.close());

const table = () => sales.page.getByRole('table', { name: 'Companies' });
const shownNames = () => table().locator('tbody tr td:first-child').allTextContents();

async function apiNames(query: string): Promise<{ names: string[]; total: number }> {
  const body = (await (await callApi('sales', `/api/v1/companies?${query}`, { purpose: 'sales' })).json()) as { data: Array<{ name: string }>; total: number };
  return { names: body.data.map((row) => row.name), total: body.total };
}

describe('the companies list', () => {
  it('opens from the header, in name order, says how many there are, and loads the next page along the cursor', async () => {
    const { page } = sales;
    await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Companies' }).click();
    await table().waitFor();
    const api = await apiNames('sort=name&limit=25&count=true');
    expect(api.total).toBeGreaterThan(25);
    expect(await page.getByRole('status').filter({ hasText: 'companies' }).textContent()).toBe(`${api.total} companies`);
    expect(await shownNames()).toEqual(api.names);
    await checkScreen(page, 'companies');
    const next = page.waitForRequest((request) => new URL(request.url()).pathname === '/api/v1/companies' && new URL(request.url()).searchParams.has('cursor'));
    await page.getByRole('button', { name: 'Show more companies' }).click();
    await next;
    await expect.poll(async () => (await shownNames()).length).toBe(Math.min(api.total, 50));
  });

  it('orders by another key the API allows, chosen by keyboard and kept in the address', async () => {
    const { page } = sales;
    const newest = page.waitForRequest((request) => new URL(request.url()).searchParams.get('sort') === '-createdAt');
    await page.getByRole('button', { name: /Order/ }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('listbox').waitFor();
    await page.getByRole('option', { name: 'Newest first' }).focus();
    await page.keyboard.press('Enter');
    await newest;
    expect(new URL(page.url()).searchParams.get('sort')).toBe('-createdAt');
    await expect.poll(async () => (await shownNames())[0]).toBe(companyName);
  });

  it('finds a company by the start of its name', async () => {
    const { page } = sales;
    await page.getByRole('searchbox', { name: 'Find a company' }).fill('Quillfeather Instr');
    await expect.poll(shownNames).toEqual([companyName]);
    expect(await page.getByRole('status').filter({ hasText: 'compan' }).textContent()).toBe('1 company');
  });
});

describe('the company page', () => {
  it('shows the fields, the people who work there and the deals', async () => {
    const { page } = sales;
    await table().getByRole('link', { name: companyName }).click();
    await page.getByRole('heading', { level: 1, name: companyName }).waitFor();
    const details = page.getByRole('region', { name: 'Details' });
    expect(await details.locator('.field-row', { hasText: 'Industry' }).locator('dd').textContent()).toBe('Manufacturing');
    expect(await details.locator('.field-row', { hasText: 'Employees' }).locator('dd').textContent()).toBe('1,250');
    expect(await details.locator('.field-row', { hasText: 'Location' }).locator('dd').textContent()).toBe('Utrecht, NL');
    await page.getByRole('region', { name: 'Contacts' }).getByRole('link', { name: 'Ines Quillfeather' }).waitFor();
    const deals = page.getByRole('region', { name: 'Deals' });
    await deals.getByText('Quillfeather calibration contract').waitFor();
    expect(await deals.textContent()).toContain('€4,800.00');
    await checkScreen(page, 'company-page', { fullPage: true });
  });

  it("leads to a person's page, and says so when a company does not exist", async () => {
    const { page } = sales;
    await page.getByRole('link', { name: 'Ines Quillfeather' }).click();
    await page.getByRole('heading', { level: 1, name: 'Ines Quillfeather' }).waitFor();
    await page.goto(`${e2eServer().url}/companies/00000000-0000-4000-8000-000000000000`);
    await page.getByRole('alert').filter({ hasText: 'No such company' }).waitFor();
  });

  it('asked nothing of another origin, came with the strict CSP, and broke none of its rules', () => {
    expectCandorOnly(sales, e2eServer().url);
  });
});
