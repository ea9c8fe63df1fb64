import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, openPage, type RecordedPage } from './support/browser.ts';
import { type BoardPipeline, createDeal, createPipeline } from './support/dealBoard.ts';
import { callApi, e2eServer } from './support/e2eServer.ts';
import { tabTo } from './support/keyboard.ts';
import { expectCandorOnly } from './support/pageRules.ts';
import { checkScreen } from './support/screenshots.ts';
import { signIn } from './support/signIn.ts';

// Charts (web/src/charts) on the deals board and the Reports page, for a sales user: each is
// drawn (a canvas of some size inside its figure), its "Show as table" toggle is reached by
// keyboard, and its table says what the API says for the same question. The pipeline and its
// deals are this file's own.

let browser: Browser;
let sales: RecordedPage;
let pipeline: BoardPipeline;

type StageTotal = { stageId: string; count: number; amounts: Array<{ currency: string; amountMinor: number }> };

beforeAll(async () => {
  pipeline = await createPipeline(`Chart test ${Date.now().toString(36)}`, ['Qualify', 'Propose', 'Negotiate', 'Won']);
  const [qualify, propose, , won] = pipeline.stages;
  const base = { pipelineId: pipeline.id };
  await createDeal({ ...base, stageId: qualify.id, name: 'Chart orchard', amountMinor: 120_000, currency: 'EUR' });
  await createDeal({ ...base, stageId: qualify.id, name: 'Chart harbor', amountMinor: 50_050, currency: 'EUR' });
  await createDeal({ ...base, stageId: propose.id, name: 'Chart lantern', amountMinor: 30_000, currency: 'GBP' });
  await createDeal({ ...base, stageId: won.id, name: 'Chart without amount' });
  browser = await openBrowser();
  sales = await openPage(browser);
  await signIn(sales.page, 'sales');
});
afterAll(() => browser?.close());

const figure = (name: string) => sales.page.getByRole('figure', { name, exact: true });

/** The drawing's size on screen: uPlot's canvas inside the figure, once the chart code has loaded. */
async function canvasSize(chart: Locator): Promise<{ width: number; height: number }> {
  const canvas = chart.locator('canvas');
  await canvas.waitFor();
  const box = await canvas.boundingBox();
  return { width: box?.width ?? 0, height: box?.height ?? 0 };
}

/** Tabs to a chart's table toggle, opens it with Enter, and reads the table's body rows as text. */
async function openTableByKeyboard(chart: Locator, title: string): Promise<string[][]> {
  await tabTo(sales.page, `Show as table: ${title}`, { limit: 150 });
  await sales.page.keyboard.press('Enter');
  const table = chart.getByRole('table', { name: title });
  await table.waitFor();
  expect(
    await chart.getByRole('button', { name: new RegExp(`^Hide the table\\W+${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }).getAttribute('aria-expanded'),
  ).toBe('true');
  return table.locator('tbody tr').evaluateAll((rows) => rows.map((row) => [...row.children].map((cell) => (cell.textContent ?? '').trim())));
}

/** Money and counts as the browser formats them, so the expected rows read as the page's do. */
const inBrowser = (script: string) => sales.page.evaluate(script) as Promise<string[]>;
const money = (amounts: Array<[number, string]>) =>
  inBrowser(
    `${JSON.stringify(amounts)}.map(([minor, currency]) => { const format = new Intl.NumberFormat(undefined, { style: 'currency', currency }); return format.format(minor / 10 ** format.resolvedOptions().maximumFractionDigits); })`,
  );
const counts = (values: number[]) => inBrowser(`${JSON.stringify(values)}.map((value) => new Intl.NumberFormat().format(value))`);

async function stageTotals(): Promise<StageTotal[]> {
  const response = await callApi('sales', `/api/v1/deals/stage-totals?pipelineId=${pipeline.id}`, { purpose: 'sales' });
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: StageTotal[] }).data;
}

/** The amount table the API's stage totals call for: a row per stage, a column per currency (zero where a stage has none). */
async function expectedAmountRows(totals: StageTotal[]): Promise<string[][]> {
  const currencies = [...new Set(totals.flatMap((total) => total.amounts.map((amount) => amount.currency)))].sort();
  return Promise.all(
    pipeline.stages.map(async (stage) => {
      const amounts = totals.find((total) => total.stageId === stage.id)?.amounts ?? [];
      const cells = await money(currencies.map((currency) => [amounts.find((amount) => amount.currency === currency)?.amountMinor ?? 0, currency]));
      return [stage.name, ...cells];
    }),
  );
}

describe('the pipeline chart on the deals board', () => {
  it('draws the amount and the count per stage, and its tables show the numbers the API gives', async () => {
    await sales.page.goto(`${e2eServer().url}/deals?pipeline=${pipeline.id}`);
    const amounts = figure('Amount per stage');
    const size = await canvasSize(amounts);
    expect(size.width).toBeGreaterThan(100);
    expect(size.height).toBeGreaterThan(100);
    expect((await canvasSize(figure('Deals per stage'))).width).toBeGreaterThan(100);
    expect(await amounts.locator('.chart-legend li').allTextContents()).toEqual(['EUR', 'GBP']);

    const totals = await stageTotals();
    expect(await openTableByKeyboard(amounts, 'Amount per stage')).toEqual(await expectedAmountRows(totals));
    const countRows = await openTableByKeyboard(figure('Deals per stage'), 'Deals per stage');
    const expectedCounts = await counts(pipeline.stages.map((stage) => totals.find((total) => total.stageId === stage.id)?.count ?? 0));
    expect(countRows).toEqual(pipeline.stages.map((stage, index) => [stage.name, expectedCounts[index]]));
    expect(countRows.map((row) => row[1])).toEqual(await counts([2, 1, 0, 1]));

    await sales.page.getByRole('region', { name: 'Pipeline' }).scrollIntoViewIfNeeded();
    await checkScreen(sales.page, 'deals-chart');
  });
});

const lifecycleStages = ['subscriber', 'lead', 'marketing_qualified_lead', 'sales_qualified_lead', 'opportunity', 'customer', 'evangelist', 'other'];

async function lifecycleTotals(): Promise<Array<{ total: number; totalIsLowerBound: boolean }>> {
  return Promise.all(
    lifecycleStages.map(async (stage) => {
      const response = await callApi('sales', `/api/v1/contacts?lifecycleStage=${stage}&limit=1&count=true`, { purpose: 'sales' });
      expect(response.status).toBe(200);
      return (await response.json()) as { total: number; totalIsLowerBound: boolean };
    }),
  );
}

describe('the Reports page', () => {
  it("charts each pipeline's deals by stage, the contacts per lifecycle stage and the activities per week, with the API's numbers", async () => {
    const { page } = sales;
    await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('heading', { level: 1, name: 'Reports' }).waitFor();
    const ours = figure(`${pipeline.name}: Amount per stage`);
    expect((await canvasSize(ours)).width).toBeGreaterThan(100);
    const lifecycle = figure('Contacts per lifecycle stage');
    expect((await canvasSize(lifecycle)).width).toBeGreaterThan(100);

    await page.locator('#main').focus();
    const rows = await openTableByKeyboard(lifecycle, 'Contacts per lifecycle stage');
    const totals = await lifecycleTotals();
    const texts = await counts(totals.map((count) => count.total));
    expect(rows.map((row) => row[1])).toEqual(totals.map((count, index) => (count.totalIsLowerBound ? `more than ${texts[index]}` : texts[index])));
    expect(rows.map((row) => row[0])).toEqual([
      'Subscriber',
      'Lead',
      'Marketing qualified lead',
      'Sales qualified lead',
      'Opportunity',
      'Customer',
      'Evangelist',
      'Other',
    ]);
    // The demo workspace has contacts, so the chart is not of zeros only.
    expect(totals.some((count) => count.total > 0)).toBe(true);

    await page.locator('#main').focus();
    await openTableByKeyboard(ours, `${pipeline.name}: Amount per stage`).then(async (shown) =>
      expect(shown).toEqual(await expectedAmountRows(await stageTotals())),
    );

    // Activities per week: a line over dates, its table the API's twelve weeks, dates as the browser writes them.
    const weekly = figure('Activities logged per week, last 12 weeks');
    expect((await canvasSize(weekly)).width).toBeGreaterThan(100);
    await page.locator('#main').focus();
    const weekRows = await openTableByKeyboard(weekly, 'Activities logged per week, last 12 weeks');
    const response = await callApi('sales', '/api/v1/activities/weekly-counts?weeks=12', { purpose: 'sales' });
    const weeks = ((await response.json()) as { data: Array<{ weekStart: string; count: number }> }).data;
    const days = await inBrowser(
      `${JSON.stringify(weeks.map((week) => week.weekStart))}.map((day) => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(day)))`,
    );
    const weekCounts = await counts(weeks.map((week) => week.count));
    expect(weekRows).toEqual(weeks.map((_, index) => [days[index], weekCounts[index]]));
    await checkScreen(page, 'dashboard', { fullPage: true });
  });

  it('keeps its drawing within a phone-width screen', async () => {
    const phone = await openPage(browser, { width: 390, height: 844 });
    await signIn(phone.page, 'sales');
    await phone.page.goto(`${e2eServer().url}/reports`);
    const canvas = phone.page.getByRole('figure', { name: 'Contacts per lifecycle stage' }).locator('canvas');
    await canvas.waitFor();
    expect((await canvas.boundingBox())?.width ?? 0).toBeLessThanOrEqual(390);
    expect(await phone.page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBeLessThanOrEqual(0);
    expectCandorOnly(phone, e2eServer().url);
  });
});

describe('the pages seen', () => {
  it('asked nothing of another origin, came with the strict CSP, and broke none of its rules', () => {
    expectCandorOnly(sales, e2eServer().url);
  });
});
