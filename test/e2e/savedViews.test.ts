import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, openPage, type RecordedPage } from './support/browser.ts';
import { callApi, e2eServer } from './support/e2eServer.ts';
import { focusedName, tabTo } from './support/keyboard.ts';
import { expectCandorOnly } from './support/pageRules.ts';
import { checkScreen } from './support/screenshots.ts';
import { signIn } from './support/signIn.ts';
import { uniqueSurname } from './support/testContacts.ts';

// The contacts table's column choice and a sales user's saved views: columns ticked, moved and
// kept in the address; a view saved, opened again after a reload with its filters and columns
// (as the API stored them), updated, renamed and deleted; a taken name refused beside the name
// field; another user's picker never listing it.

let browser: Browser;
let sales: RecordedPage;
let support: RecordedPage;
// A custom field of contacts made for this file (the demo has none), removed at the end.
const tierKey = uniqueSurname('tier_');
const tierLabel = 'Loyalty tier';
const viewName = `Leads by tier ${uniqueSurname('')}`;
const renamed = `${viewName} renamed`;

type StoredView = { id: string; name: string; filters: Record<string, string>; sort: string | null; columns: string[]; version: number };

beforeAll(async () => {
  browser = await openBrowser();
  const created = await callApi('admin', '/api/v1/custom-fields', {
    method: 'POST',
    body: JSON.stringify({ object: 'contact', key: tierKey, label: tierLabel, type: 'text', dataCategory: 'user.behavior' }),
  });
  expect(created.status).toBe(201);
  sales = await openPage(browser);
  await signIn(sales.page, 'sales');
});
afterAll(async () => {
  await callApi('admin', `/api/v1/custom-fields/contact/${tierKey}`, { method: 'DELETE' });
  await browser?.close();
});

const table = (page: Page) => page.getByRole('table', { name: 'Contacts' });
/** The table's column headers as shown, without the sort arrows. */
const headers = async (page: Page) => (await table(page).locator('thead th').allTextContents()).map((text) => text.replace(/[↑↓↕]/g, '').trim());
const param = (page: Page, name: string) => new URL(page.url()).searchParams.get(name);

/** The signed-in user's views of contacts, as the API keeps them (the page's own session: a view belongs to whoever saved it). */
async function storedViews(page: Page): Promise<StoredView[]> {
  const body = (await page.evaluate(async () => (await fetch('/api/v1/views?object=contacts&limit=200')).json())) as { data: StoredView[] };
  return body.data;
}

describe('column choice', () => {
  it('hides, shows and moves columns by keyboard; the table and the address follow', async () => {
    const { page } = sales;
    await page.goto(`${e2eServer().url}/contacts`);
    await table(page).waitFor();
    expect(await headers(page)).toEqual(['Name', 'E-mail', 'Phone', 'Job title', 'City', 'Stage', 'Last activity', 'Created', 'Updated']);
    await tabTo(page, 'Columns');
    await page.keyboard.press('Enter');
    const chooser = page.getByRole('dialog', { name: 'Columns' });
    await chooser.waitFor();
    await tabTo(page, 'Phone');
    await page.keyboard.press('Space');
    await expect.poll(() => headers(page)).not.toContain('Phone');
    await tabTo(page, tierLabel);
    await page.keyboard.press('Space');
    await expect.poll(async () => (await headers(page)).at(-1)).toBe(tierLabel);
    // Moved up by keyboard twice: the focus stays on the button that moved it.
    await tabTo(page, `Move ${tierLabel} up`, { backwards: true });
    await page.keyboard.press('Enter');
    await expect.poll(() => param(page, 'columns')).toBe(`email,jobTitle,city,lifecycleStage,lastActivityAt,createdAt,customFields.${tierKey},updatedAt`);
    await expect.poll(async () => (await headers(page)).slice(-2)).toEqual([tierLabel, 'Updated']);
    await expect.poll(() => focusedName(page)).toBe(`Move ${tierLabel} up`);
    await page.keyboard.press('Enter');
    await expect.poll(() => param(page, 'columns')).toBe(`email,jobTitle,city,lifecycleStage,lastActivityAt,customFields.${tierKey},createdAt,updatedAt`);
    await expect.poll(async () => (await headers(page)).slice(-3)).toEqual([tierLabel, 'Created', 'Updated']);
    await page.keyboard.press('Escape');
    await chooser.waitFor({ state: 'detached' });
    expect(param(page, 'columns')).toBe(`email,jobTitle,city,lifecycleStage,lastActivityAt,customFields.${tierKey},createdAt,updatedAt`);
    // A custom field's cell is its value, "none" or why it is withheld: never blank.
    const tierCells = table(page).locator(`tbody tr td:nth-child(${(await headers(page)).indexOf(tierLabel) + 1})`);
    expect(await tierCells.first().textContent()).toMatch(/^(Withheld|—none|\S)/);
    await page.reload();
    await table(page).waitFor();
    expect(await headers(page)).toContain(tierLabel);
  });
  it('builds a second move on the first when both come before the table redraws', async () => {
    const { page } = sales;
    await page.getByRole('button', { name: 'Columns' }).click();
    const chooser = page.getByRole('dialog', { name: 'Columns' });
    await chooser.waitFor();
    // Two presses in one task: the page cannot have caught up with the first between them.
    // Given as text: it runs in the page, whose DOM this Node project has no types for.
    await page.evaluate(`(() => {
      const button = document.querySelector(${JSON.stringify(`[aria-label="Move ${tierLabel} down"]`)});
      button.click();
      button.click();
    })()`);
    await expect.poll(() => param(page, 'columns')).toBe(`email,jobTitle,city,lifecycleStage,lastActivityAt,createdAt,updatedAt,customFields.${tierKey}`);
    await page.keyboard.press('Escape');
    await chooser.waitFor({ state: 'detached' });
  });
});

describe('saved views', () => {
  it('saves the filters, sort and columns under a name; the API keeps them as the page showed them', async () => {
    const { page } = sales;
    await page.getByRole('button', { name: /Stage$/ }).click();
    await page.getByRole('option', { name: 'Lead', exact: true }).click();
    await expect.poll(() => param(page, 'stage')).toBe('lead');
    await page.getByRole('button', { name: 'Save view' }).click();
    const dialog = page.getByRole('dialog', { name: 'Save the view' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill(viewName);
    await dialog.getByRole('button', { name: 'Save view' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `The view “${viewName}” was saved.` })
      .waitFor();
    const stored = (await storedViews(page)).find((view) => view.name === viewName);
    expect(stored).toMatchObject({
      filters: { lifecycleStage: 'lead' },
      sort: '-createdAt',
      columns: param(page, 'columns')?.split(','),
    });
    expect(param(page, 'view')).toBe(stored?.id);
  });

  it('refuses a name already taken, with the reason beside the name field', async () => {
    const { page } = sales;
    await page.getByRole('button', { name: 'Save as new view' }).click();
    const dialog = page.getByRole('dialog', { name: 'Save the view' });
    const name = dialog.getByRole('textbox', { name: 'Name' });
    await name.fill(viewName);
    await dialog.getByRole('button', { name: 'Save view' }).click();
    const field = dialog.locator('.field', { has: page.getByRole('textbox', { name: 'Name' }) });
    await field.getByText('already used by another of your views of this list').waitFor();
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await storedViews(page)).filter((view) => view.name === viewName)).toHaveLength(1);
  });

  it('opens the view from the picker after a reload at /contacts: its filters and columns come back', async () => {
    const { page } = sales;
    await page.goto(`${e2eServer().url}/contacts`);
    await table(page).waitFor();
    expect(await headers(page)).not.toContain(tierLabel);
    await page.getByRole('button', { name: /View$/ }).click();
    await page.getByRole('option', { name: viewName }).click();
    await expect.poll(() => headers(page)).toContain(tierLabel);
    const stored = (await storedViews(page)).find((view) => view.name === viewName);
    expect(param(page, 'view')).toBe(stored?.id);
    expect(param(page, 'stage')).toBe(stored?.filters.lifecycleStage);
    expect(param(page, 'columns')?.split(',')).toEqual(stored?.columns);
    expect((await headers(page)).length).toBe((stored?.columns.length ?? 0) + 1);
    // Unchanged, so nothing to update yet.
    expect(await page.getByRole('button', { name: 'Update view' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Columns' }).click();
    await page.getByRole('dialog', { name: 'Columns' }).waitFor();
    await checkScreen(page, 'saved-views');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'Columns' }).waitFor({ state: 'detached' });
  });

  it('updates the open view once it differs (If-Match), and renames it', async () => {
    const { page } = sales;
    await page.getByRole('button', { name: 'Columns' }).click();
    const chooser = page.getByRole('dialog', { name: 'Columns' });
    await chooser.waitFor();
    // The visible box covers the native input, as in every React Aria checkbox: click its label.
    await chooser.getByText('City', { exact: true }).click();
    await expect.poll(() => param(page, 'columns')).not.toContain('city');
    await page.keyboard.press('Escape');
    await chooser.waitFor({ state: 'detached' });
    await expect.poll(() => headers(page)).not.toContain('City');
    await page.getByRole('button', { name: 'Update view' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `The view “${viewName}” was updated.` })
      .waitFor();
    let stored = (await storedViews(page)).find((view) => view.name === viewName);
    expect(stored?.columns).not.toContain('city');
    expect(stored?.columns).toEqual(param(page, 'columns')?.split(','));
    expect(stored?.version).toBe(2);
    expect(await page.getByRole('button', { name: 'Update view' }).count()).toBe(0);

    await page.getByRole('button', { name: 'Rename view' }).click();
    const dialog = page.getByRole('dialog', { name: 'Rename the view' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill(renamed);
    await dialog.getByRole('button', { name: 'Rename' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `The view was renamed “${renamed}”.` })
      .waitFor();
    stored = (await storedViews(page)).find((view) => view.id === stored?.id);
    expect(stored?.name).toBe(renamed);
    expect(await page.getByRole('button', { name: /View$/ }).textContent()).toContain(renamed);
  });

  it("is not in another user's picker", async () => {
    support = await openPage(browser);
    await signIn(support.page, 'support');
    const bar = support.page.getByRole('group', { name: 'Saved views' });
    await bar.getByRole('button', { name: 'Save view' }).waitFor();
    expect(await bar.textContent()).not.toContain(renamed);
    const picker = bar.getByRole('button', { name: /View$/ });
    if ((await picker.count()) > 0) {
      await picker.click();
      expect(await support.page.getByRole('option').allTextContents()).not.toContain(renamed);
      await support.page.keyboard.press('Escape');
    }
    expect((await storedViews(support.page)).map((view) => view.name)).not.toContain(renamed);
  });

  it('deletes the open view by keyboard after confirming; the page keeps what it shows', async () => {
    const { page } = sales;
    const columns = param(page, 'columns');
    await page.getByRole('button', { name: 'Delete view' }).focus();
    await page.keyboard.press('Enter');
    const confirm = page.getByRole('alertdialog', { name: `Delete the view “${renamed}”?` });
    await confirm.waitFor();
    await tabTo(page, 'Delete the view');
    await page.keyboard.press('Enter');
    await page
      .getByRole('status')
      .filter({ hasText: `The view “${renamed}” was deleted.` })
      .waitFor();
    expect(param(page, 'view')).toBeNull();
    expect(param(page, 'columns')).toBe(columns);
    expect((await storedViews(page)).map((view) => view.name)).not.toContain(renamed);
    expect(await page.getByRole('button', { name: 'Delete view' }).count()).toBe(0);
  });
});

describe('the pages seen', () => {
  it('asked nothing of another origin, came with the strict CSP, and broke none of its rules', () => {
    expectCandorOnly(sales, e2eServer().url);
    expectCandorOnly(support, e2eServer().url);
  });
});
