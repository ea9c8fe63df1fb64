import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, openPage, type RecordedPage } from './support/browser.ts';
import { callApi, e2eServer } from './support/e2eServer.ts';
import { expectCandorOnly } from './support/pageRules.ts';
import { checkScreen } from './support/screenshots.ts';
import { signIn } from './support/signIn.ts';

// The import wizard for a sales user: a HubSpot export mapped with the HubSpot preset (one
// column mapped by hand), followed as a job, found among the contacts and undone; a file
// with an invalid e-mail address shows its row error, then imports its valid rows; the list
// of past imports; and the CSV export for the current purpose. Every contact created here
// has an address of its own, and every import is undone, so the other files' counts hold.
// An admin imports a file with a consent column: the wizard asks where the consents were
// collected and the report counts the consent events.

let browser: Browser;
let sales: RecordedPage;
let admin: RecordedPage;
const tag = `w${Date.now().toString(36)}`;
const address = (index: number) => `wizard.${tag}.${index}@import-e2e.example.com`;
/** Imports this file started, undone at the end whatever happened. */
const started = new Set<string>();

beforeAll(async () => {
  browser = await openBrowser();
  sales = await openPage(browser);
  sales.page.on('response', async (response) => {
    if (response.request().method() === 'POST' && new URL(response.url()).pathname === '/api/v1/imports' && response.status() === 202) {
      started.add(((await response.json()) as { data: { id: string } }).data.id);
    }
  });
  await signIn(sales.page, 'sales');
  admin = await openPage(browser);
  admin.page.on('response', async (response) => {
    if (response.request().method() === 'POST' && new URL(response.url()).pathname === '/api/v1/imports' && response.status() === 202) {
      started.add(((await response.json()) as { data: { id: string } }).data.id);
    }
  });
  await signIn(admin.page, 'admin');
});
afterAll(async () => {
  for (const id of started) {
    const report = await callApi('sales', `/api/v1/imports/${id}`, { purpose: 'sales' });
    const { data } = (await report.json()) as { data: { status: string } };
    if (data.status === 'published') await callApi('sales', `/api/v1/imports/${id}/undo`, { method: 'POST', purpose: 'sales' });
  }
  await browser?.close();
});

/** A HubSpot contact export whose job title is in a "Role" column HubSpot does not write. */
function hubspotFile(rows: number, invalidAt?: number): string {
  const header = '"Record ID","First Name","Last Name","Email","Phone Number","Role","Company Name","Lifecycle Stage","City","Country/Region","Create Date"';
  const lines = Array.from({ length: rows }, (_, index) => {
    const email = index === invalidAt ? `not-an-address-${tag}` : address(index);
    return `"${tag}${index}","Wiz${index}","Ardimport","${email}","+1 303 555 0${String(100 + (index % 800)).padStart(3, '0')}","Buyer","Wizard Works ${tag}","Lead","Denver","United States","2024-01-31 10:00"`;
  });
  return [header, ...lines].join('\n');
}

async function chooseFile(page: Page, name: string, content: string) {
  await page.getByRole('link', { name: 'Import and export' }).click();
  await page.getByRole('link', { name: 'Import a CSV file' }).click();
  await page.locator('input[type=file]').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(content) });
  await page.getByRole('heading', { name: `Map the columns of ${name}` }).waitFor();
}

const fieldSelect = (page: Page, header: string) => page.getByRole('button', { name: new RegExp(`Field for the column ${header}`) });

async function chooseField(page: Page, header: string, field: string) {
  await fieldSelect(page, header).click();
  await page.getByRole('option', { name: field, exact: true }).click();
}

async function searchContacts(page: Page, text: string) {
  await page.getByRole('link', { name: 'Contacts', exact: true }).click();
  await page.getByLabel('Find a contact').fill(text);
}

describe('the import wizard', () => {
  it('maps a HubSpot export with the HubSpot preset, a column mapped by hand, and shows the mapping', async () => {
    const { page } = sales;
    await chooseFile(page, `hubspot-${tag}.csv`, hubspotFile(400));
    await expect.poll(() => page.locator('.preset-line').textContent()).toContain('Preset: HubSpot export');
    expect(await fieldSelect(page, 'Email').textContent()).toContain('E-mail');
    expect(await fieldSelect(page, 'Record ID').textContent()).toContain('External id');
    await expect.poll(() => page.getByText('Not imported, as no field matches: Role.').count()).toBe(1);

    const remapped = page.waitForRequest(
      (request) => new URL(request.url()).pathname === '/api/v1/imports/mapping' && request.postData()?.includes('Role=jobTitle') === true,
    );
    await chooseField(page, 'Role', 'Job title');
    await remapped;
    await expect.poll(() => fieldSelect(page, 'Role').textContent()).toContain('Job title');
    await expect.poll(() => page.getByText('Not imported, as no field matches').count()).toBe(0);
    await checkScreen(page, 'import-wizard-mapping', { fullPage: true });
  });

  it('sends the file as a job with the mapping, shows its progress, then the published result', async () => {
    const { page } = sales;
    const sent = page.waitForRequest((request) => new URL(request.url()).pathname === '/api/v1/imports' && request.method() === 'POST');
    await page.getByRole('button', { name: 'Start the import' }).click();
    const query = new URL((await sent).url()).searchParams;
    expect(query.get('background')).toBe('true');
    expect(query.getAll('map')).toEqual(['Role=jobTitle']);
    await page.getByRole('progressbar').waitFor();
    await expect.poll(() => page.locator('.outcome').textContent(), { timeout: 30_000 }).toBe('Published: 400 contacts created, 0 updated.');
    expect(await page.getByRole('progressbar').count()).toBe(0);
    await checkScreen(page, 'import-wizard-done');
  });

  it('lets the user find an imported contact, with the column mapped by hand', async () => {
    const { page } = sales;
    await searchContacts(page, address(7));
    await page.getByRole('link', { name: /Wiz7 Ardimport/ }).click();
    await expect.poll(() => page.getByText('Buyer').count()).toBeGreaterThan(0);
  });

  it('lists the import with its state, counts, sender and time', async () => {
    const { page } = sales;
    await page.getByRole('link', { name: 'Import and export' }).click();
    const row = page.getByRole('row', { name: new RegExp(`hubspot-${tag}\\.csv`) });
    await expect.poll(() => row.textContent()).toMatch(/Contacts\s*Published\s*400\s*0\s*0\s*You/);
    await checkScreen(page, 'imports-list', { fullPage: true });
  });

  it('undoes the import after the user confirms, and its contacts are gone', async () => {
    const { page } = sales;
    await page.getByRole('link', { name: `hubspot-${tag}.csv` }).click();
    await page.getByRole('button', { name: 'Undo this import' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Undo this import?' });
    expect(await dialog.textContent()).toContain('The 400 contacts it created will be deleted');
    await dialog.getByRole('button', { name: 'Undo the import' }).click();
    await expect.poll(() => page.locator('.outcome').textContent()).toBe('Undone: 400 contacts removed.');
    await searchContacts(page, address(7));
    await expect.poll(() => page.getByText('No contact matches').count()).toBe(1);
  });
});

describe('row errors', () => {
  it('shows an invalid e-mail address by line, field and reason, never its value, and imports nothing', async () => {
    const { page } = sales;
    await chooseFile(page, `invalid-${tag}.csv`, hubspotFile(3, 1));
    await page.getByRole('button', { name: 'Start the import' }).click();
    await expect.poll(() => page.locator('.outcome').textContent(), { timeout: 30_000 }).toBe('Nothing was imported: 1 row is invalid.');
    const errors = page.getByRole('table', { name: 'Row errors' });
    expect(await errors.getByRole('row').nth(1).textContent()).toBe('3E-mailnot a valid email address');
    expect(await page.locator('main').textContent()).not.toContain(`not-an-address-${tag}`);
    await checkScreen(page, 'import-wizard-errors', { fullPage: true });
  });

  it('publishes the valid rows when the user asks to skip the invalid one', async () => {
    const { page } = sales;
    await page.getByRole('button', { name: 'Import the valid rows only' }).click();
    await expect
      .poll(() => page.locator('.outcome').textContent(), { timeout: 30_000 })
      .toBe('Published: 2 contacts created, 0 updated, 1 invalid rows skipped.');
  });
});

describe('consent columns', () => {
  it('asks where the consents were collected, sends it with the file, and counts the consent events', async () => {
    const { page } = admin;
    const file = [
      'email,last_name,consent:email_marketing,consent_date',
      `${address(900)},Consenting,yes,2026-01-05`,
      `${address(901)},Declining,no,2026-01-06`,
    ].join('\n');
    await chooseFile(page, `consents-${tag}.csv`, file);
    await page.getByRole('group', { name: 'Consents in this file' }).waitFor();
    const start = page.getByRole('button', { name: 'Start the import' });
    expect(await start.isDisabled()).toBe(true);
    await page.getByLabel('Where were these consents collected?').fill('Trade fair sign-up sheet');
    await expect.poll(() => start.isDisabled()).toBe(false);
    await checkScreen(page, 'import-wizard-consents', { fullPage: true });
    const sent = page.waitForRequest((request) => new URL(request.url()).pathname === '/api/v1/imports' && request.method() === 'POST');
    await start.click();
    expect(new URL((await sent).url()).searchParams.get('consentSource')).toBe('Trade fair sign-up sheet');
    await expect.poll(() => page.locator('.outcome').textContent(), { timeout: 30_000 }).toBe('Published: 2 contacts created, 0 updated.');
    await expect.poll(() => page.getByText('2 consents recorded in the consent history (channel import).').count()).toBe(1);
    // Undone here: the other files count the admin's contacts.
    await page.getByRole('button', { name: 'Undo this import' }).click();
    await page.getByRole('alertdialog', { name: 'Undo this import?' }).getByRole('button', { name: 'Undo the import' }).click();
    await expect.poll(() => page.locator('.outcome').textContent()).toBe('Undone: 2 contacts removed.');
  });

  it('made every request to Candor, under its CSP, with nothing blocked', () => {
    expectCandorOnly(admin, e2eServer().url);
  });
});

describe('the CSV export', () => {
  it('downloads the contacts for the current purpose as a CSV file whose header row is the import columns', async () => {
    const { page } = sales;
    await page.getByRole('link', { name: 'Import and export' }).click();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export contacts (CSV)' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('contacts-sales.csv');
    const text = readFileSync((await file.path()) ?? '', 'utf8');
    expect(text.split('\n')[0]).toBe(
      'id,firstName,lastName,email,phone,jobTitle,companyName,companyDomain,lifecycleStage,ownerEmail,city,country,externalId,createdAt',
    );
    expect(text).toContain(address(0));
    await expect.poll(() => page.getByText('The contacts file was downloaded.').count()).toBe(1);
  });

  it('made every request to Candor, under its CSP, with nothing blocked', () => {
    expectCandorOnly(sales, e2eServer().url);
  });
});
