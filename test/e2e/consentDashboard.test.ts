import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, openPage, type RecordedPage } from './support/browser.ts';
import { callApi, e2eServer } from './support/e2eServer.ts';
import { tabTo } from './support/keyboard.ts';
import { expectCandorOnly } from './support/pageRules.ts';
import { checkScreen } from './support/screenshots.ts';
import { signIn, signInFor } from './support/signIn.ts';

// The consent dashboard (/privacy/consent) over the demo workspace's seeded consent history:
// its charts are drawn, each chart's table and the page's tables say what
// GET /api/v1/consents/statistics says, and the Consent link is for privacy officers and
// admins only. Reads only: nothing here changes the workspace.

let browser: Browser;
let officer: RecordedPage;

type Period = { start: string; withdrawn: number; gpcOptOuts: number; consentRate: number | null };
type Current = { onRecord: number; live: number; consentRate: number | null; refused: number; withdrawn: number; expired: number; optedOut: number };
type PurposeStatistics = { purposeKey: string; legalBasis: string; periods: Period[]; current: Current & { renewalsDue: number } };
type Statistics = { interval: 'week' | 'month'; periods: Array<{ start: string }>; purposes: PurposeStatistics[] };

beforeAll(async () => {
  browser = await openBrowser();
  officer = await openPage(browser);
  await signInFor(officer.page, 'privacy_officer', 'Sales');
});
afterAll(() => browser?.close());

async function statistics(interval: 'week' | 'month'): Promise<Statistics> {
  const response = await callApi('privacy_officer', `/api/v1/consents/statistics?interval=${interval}`, { purpose: 'sales' });
  expect(response.status).toBe(200);
  return (await response.json()) as Statistics;
}

/** Texts as the browser writes them, so expected rows read as the page's do. */
const inBrowser = (script: string) => officer.page.evaluate(script) as Promise<string[]>;
const counts = (values: number[]) => inBrowser(`${JSON.stringify(values)}.map((value) => new Intl.NumberFormat().format(value))`);
const rates = (values: Array<number | null>) =>
  inBrowser(
    `${JSON.stringify(values)}.map((rate) => rate === null ? 'nobody asked' : new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 }).format(rate))`,
  );
const formatted = (days: string[], options: Intl.DateTimeFormatOptions) =>
  inBrowser(
    `${JSON.stringify(days)}.map((day) => new Intl.DateTimeFormat(undefined, ${JSON.stringify({ ...options, timeZone: 'UTC' })}).format(new Date(day)))`,
  );
const purposeNames = (keys: string[]) =>
  inBrowser(
    `${JSON.stringify(keys)}.map((key) => { const words = key.replace(/(^|_)email(?=_|$)/g, '$1e-mail').replaceAll('_', ' '); return words.charAt(0).toUpperCase() + words.slice(1); })`,
  );

const figure = (name: string) => officer.page.getByRole('figure', { name, exact: true });
const bodyRows = (table: Locator) =>
  table.locator('tbody tr').evaluateAll((rows) => rows.map((row) => [...row.children].map((cell) => (cell.textContent ?? '').trim())));

/** Opens a chart's table from the keyboard and reads its rows. */
async function chartTable(title: string): Promise<string[][]> {
  const chart = figure(title);
  expect((await chart.locator('canvas').boundingBox())?.width ?? 0).toBeGreaterThan(100);
  await officer.page.locator('#main').focus();
  await tabTo(officer.page, `Show as table: ${title}`, { limit: 150 });
  await officer.page.keyboard.press('Enter');
  const table = chart.getByRole('table', { name: title });
  await table.waitFor();
  return bodyRows(table);
}

/** The rate chart's rows the API calls for: a row per period, a column per consent purpose. */
async function expectedRateRows(answer: Statistics): Promise<string[][]> {
  const consent = answer.purposes.filter((purpose) => purpose.legalBasis === 'consent');
  const days = await formatted(
    answer.periods.map((period) => period.start),
    { dateStyle: 'medium' },
  );
  const columns = await Promise.all(consent.map((purpose) => rates(purpose.periods.map((period) => period.consentRate))));
  return days.map((day, row) => [day, ...columns.map((column) => column[row]!)]);
}

async function expectedOptOutRows(answer: Statistics): Promise<string[][]> {
  const labels = await formatted(
    answer.periods.map((period) => period.start),
    answer.interval === 'month' ? { month: 'short', year: 'numeric' } : { day: 'numeric', month: 'short', year: 'numeric' },
  );
  const total = (index: number, pick: (period: Period) => number) => answer.purposes.reduce((sum, purpose) => sum + pick(purpose.periods[index]!), 0);
  const withdrawn = await counts(answer.periods.map((_, index) => total(index, (period) => period.withdrawn)));
  const gpc = await counts(answer.periods.map((_, index) => total(index, (period) => period.gpcOptOuts)));
  return labels.map((label, row) => [label, withdrawn[row]!, gpc[row]!]);
}

describe('the consent dashboard', () => {
  it('charts the consent rate per purpose and the withdrawals and GPC opt-outs per month, with the API’s numbers', async () => {
    const { page } = officer;
    await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Privacy' }).click();
    await page.getByRole('navigation', { name: 'Privacy' }).getByRole('link', { name: 'Consent' }).click();
    await page.getByRole('heading', { level: 1, name: 'Consent' }).waitFor();
    const answer = await statistics('month');
    expect(await chartTable('Consent rate per purpose')).toEqual(await expectedRateRows(answer));
    expect(await chartTable('Withdrawals and GPC opt-outs')).toEqual(await expectedOptOutRows(answer));
    // The demo's history has people who withdrew and browsers that sent GPC within the year.
    expect(answer.purposes.some((purpose) => purpose.periods.some((period) => period.withdrawn > 0))).toBe(true);
    expect(answer.purposes.some((purpose) => purpose.current.live > 0)).toBe(true);

    const now = bodyRows(page.getByRole('table', { name: 'Each purpose now' }));
    const names = await purposeNames(answer.purposes.map((purpose) => purpose.purposeKey));
    const expectedNow = await Promise.all(
      answer.purposes.map(async ({ current }, index) => {
        const [onRecord, live, refused, withdrawn, expired, optedOut] = await counts([
          current.onRecord,
          current.live,
          current.refused,
          current.withdrawn,
          current.expired,
          current.optedOut,
        ]);
        return [names[index]!, onRecord!, live!, (await rates([current.consentRate]))[0]!, refused!, withdrawn!, expired!, optedOut!];
      }),
    );
    expect(await now).toEqual(expectedNow);
    const figures = await page.locator('.consent-figure dd').allTextContents();
    expect(figures).toEqual(
      await counts([
        answer.purposes.reduce((sum, purpose) => sum + purpose.current.live, 0),
        answer.purposes.reduce((sum, purpose) => sum + purpose.periods.reduce((total, period) => total + period.withdrawn, 0), 0),
        answer.purposes.reduce((sum, purpose) => sum + purpose.periods.reduce((total, period) => total + period.gpcOptOuts, 0), 0),
        answer.purposes.reduce((sum, purpose) => sum + purpose.current.renewalsDue, 0),
      ]),
    );
    await checkScreen(page, 'consent-dashboard', { fullPage: true });
  });

  it('lists the renewals due, or says there are none, as the API counts them', async () => {
    const answer = await statistics('month');
    const due = answer.purposes.filter((purpose) => purpose.current.renewalsDue > 0);
    const section = officer.page.getByRole('region', { name: 'Renewals due' });
    if (due.length === 0) {
      expect(await section.locator('.empty-state').textContent()).toMatch(/^No live consent expires within 30 days/);
    } else {
      const rows = await bodyRows(section.getByRole('table', { name: 'Renewals due' }));
      expect(rows.map((row) => [row[0], row[4]])).toEqual(
        await Promise.all(due.map(async (purpose) => [(await purposeNames([purpose.purposeKey]))[0], (await counts([purpose.current.renewalsDue]))[0]])),
      );
    }
  });

  it('counts by week when asked, with the same numbers as the API', async () => {
    const { page } = officer;
    await page.getByRole('button', { name: /Periods/ }).click();
    await page.getByRole('option', { name: 'Last 12 weeks' }).click();
    const answer = await statistics('week');
    // The charts are drawn anew for the weeks; their tables (hidden until asked for) hold the numbers.
    const weekly = await expectedOptOutRows(answer);
    await expect.poll(() => bodyRows(figure('Withdrawals and GPC opt-outs').locator('table'))).toEqual(weekly);
    expect(await bodyRows(figure('Consent rate per purpose').locator('table'))).toEqual(await expectedRateRows(answer));
    await figure('Withdrawals and GPC opt-outs').locator('canvas').waitFor();
    await checkScreen(page, 'consent-dashboard-weeks');
  });

  it('keeps its drawings within a phone-width screen', async () => {
    const phone = await openPage(browser, { width: 390, height: 844 });
    await signInFor(phone.page, 'privacy_officer', 'Sales');
    await phone.page.goto(`${e2eServer().url}/privacy/consent`);
    const canvas = phone.page.getByRole('figure', { name: 'Consent rate per purpose' }).locator('canvas');
    await canvas.waitFor();
    expect((await canvas.boundingBox())?.width ?? 0).toBeLessThanOrEqual(390);
    expect(await phone.page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBeLessThanOrEqual(0);
    await checkScreen(phone.page, 'consent-dashboard-phone');
    expectCandorOnly(phone, e2eServer().url);
    await phone.context.close();
  });

  it('is not offered to a role the API refuses', async () => {
    const sales = await openPage(browser);
    await signIn(sales.page, 'sales');
    const refused = await callApi('sales', '/api/v1/consents/statistics', { purpose: 'sales' });
    expect(refused.status).toBe(403);
    await sales.page.goto(`${e2eServer().url}/privacy/consent`);
    await sales.page.getByText('The privacy console is for privacy officers and admins.').waitFor();
    await sales.context.close();
  });
});

describe('the pages seen', () => {
  it('asked nothing of another origin, came with the strict CSP, and broke none of its rules', () => {
    expectCandorOnly(officer, e2eServer().url);
  });
});
