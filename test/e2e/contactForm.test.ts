import { randomInt } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, openPage, type RecordedPage } from './support/browser.ts';
import { callApi, demoEmail, e2eServer } from './support/e2eServer.ts';
import { expectCandorOnly } from './support/pageRules.ts';
import { saveIntoConflict } from './support/conflictPanel.ts';
import { checkScreen } from './support/screenshots.ts';
import { signIn } from './support/signIn.ts';
import { deleteTestContacts, readTestContact, rememberTestContact, uniqueSurname } from './support/testContacts.ts';

// The contact form's custom fields, owner and company: an admin declares two contact custom
// fields (unique keys, deleted at the end), Sales creates a contact with values for them,
// itself as owner and a company of its own, then edits them, and meets the server's reason
// for a value that is not a number beside its input.

let browser: Browser;
let sales: RecordedPage;
const suffix = String(randomInt(1e6, 1e7));
const seats = { key: `seats_${suffix}`, label: `Seats ${suffix}` };
const tier = { key: `tier_${suffix}`, label: `Tier ${suffix}` };
const companyName = `Quillfeather ${suffix} Holdings`;
let companyId = '';
let salesUserId = '';
const surname = uniqueSurname('Formfield');
let contactId = '';

async function expectStatus(response: Response, status: number): Promise<Response> {
  if (response.status !== status) throw new Error(`expected ${status}, the API answered ${response.status}: ${await response.text()}`);
  return response;
}

beforeAll(async () => {
  const declare = (body: Record<string, unknown>) =>
    callApi('admin', '/api/v1/custom-fields', {
      method: 'POST',
      body: JSON.stringify({ object: 'contact', dataCategory: 'user.demographic.profile', ...body }),
    });
  await expectStatus(await declare({ ...seats, type: 'number' }), 201);
  await expectStatus(await declare({ ...tier, type: 'select', options: ['Gold', 'Silver'] }), 201);
  const company = await expectStatus(
    await callApi('sales', '/api/v1/companies', { method: 'POST', purpose: 'sales', body: JSON.stringify({ name: companyName }) }),
    201,
  );
  companyId = ((await company.json()) as { data: { id: string } }).data.id;
  const users = await expectStatus(await callApi('admin', '/api/v1/users?role=sales&status=active&limit=200'), 200);
  salesUserId = ((await users.json()) as { data: Array<{ id: string; email: string }> }).data.find((user) => user.email === demoEmail('sales'))?.id ?? '';
  browser = await openBrowser();
  sales = await openPage(browser);
  await signIn(sales.page, 'sales');
});
afterAll(async () => {
  await deleteTestContacts();
  for (const key of [seats.key, tier.key]) await callApi('admin', `/api/v1/custom-fields/contact/${key}`, { method: 'DELETE' });
  if (companyId) await callApi('sales', `/api/v1/companies/${companyId}`, { method: 'DELETE', purpose: 'sales' });
  await browser?.close();
});

/** Chooses an option of a react-aria select by the select's label. */
async function choose(label: string, option: string): Promise<void> {
  const { page } = sales;
  await page
    .locator('.field', { has: page.getByText(label, { exact: true }) })
    .getByRole('button')
    .click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

describe('the contact form with custom fields, an owner and a company', () => {
  it('creates a contact with a custom value, Sales itself as owner and a company found by the start of its name', async () => {
    const { page } = sales;
    await page.goto(`${e2eServer().url}/contacts/new`);
    await page.getByRole('group', { name: 'Custom fields' }).waitFor();
    await page.getByLabel('Last name').fill(surname);
    await page.getByLabel(seats.label).fill('12');
    await choose(tier.label, 'Gold');
    // Sales may not list the workspace's users: the owner is "Me" (the default), "Nobody" or the owner a contact has.
    expect(
      await page
        .locator('.field', { has: page.getByText('Owner', { exact: true }) })
        .getByRole('button')
        .textContent(),
    ).toContain('Me');
    const company = page.getByRole('combobox', { name: 'Company' });
    await company.fill(companyName.slice(0, 16));
    await page.getByRole('option', { name: companyName }).click();
    expect(await company.inputValue()).toBe(companyName);
    await checkScreen(page, 'contact-form', { fullPage: true });
    await page.getByRole('button', { name: 'Create the contact' }).click();
    await page.getByRole('heading', { level: 1, name: surname }).waitFor();
    contactId = new URL(page.url()).pathname.split('/').pop() ?? '';
    rememberTestContact(contactId);
    const saved = await readTestContact(contactId);
    expect(saved).toMatchObject({ lastName: surname, ownerId: salesUserId, companyId, customFields: { [seats.key]: 12, [tier.key]: 'Gold' } });
  });

  it('edits the custom value, sets no owner and clears the company, sending only those fields', async () => {
    const { page } = sales;
    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    const company = page.getByRole('combobox', { name: 'Company' });
    await expect.poll(() => company.inputValue()).toBe(companyName);
    expect(await page.getByLabel(seats.label).inputValue()).toBe('12');
    await page.getByLabel(seats.label).fill('30');
    await choose('Owner', 'Nobody');
    // Emptied, and left by keyboard: no company.
    await company.fill('');
    await company.press('Tab');
    const patch = page.waitForRequest((request) => request.method() === 'PATCH' && request.url().endsWith(`/api/v1/contacts/${contactId}`));
    await page.getByRole('button', { name: 'Save' }).click();
    expect((await patch).postDataJSON()).toEqual({ ownerId: null, companyId: null, customFields: { [seats.key]: 30 } });
    await page.getByRole('heading', { level: 1, name: surname }).waitFor();
    const saved = await readTestContact(contactId);
    expect(saved).toMatchObject({ ownerId: null, companyId: null, customFields: { [seats.key]: 30, [tier.key]: 'Gold' } });
  });

  it("shows the server's reason for a value that is not a number beside its input", async () => {
    const { page } = sales;
    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    await page.getByLabel(seats.label).fill('a dozen');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('alert').filter({ hasText: 'Correct the field marked above' }).waitFor();
    const field = page.locator('.field', { has: page.getByLabel(seats.label) });
    await expect.poll(() => field.locator('.react-aria-FieldError').textContent()).toBe('expected a finite number');
    expect(await page.getByLabel(seats.label).getAttribute('aria-invalid')).toBe('true');
    await checkScreen(page, 'contact-form-refused');
    expect((await readTestContact(contactId))?.customFields).toEqual({ [seats.key]: 30, [tier.key]: 'Gold' });
  });
});

describe('a concurrent edit of a custom field', () => {
  it('lists the custom-field differences in the 412 panel and saves the edit on the new version', async () => {
    const { page } = sales;
    await page.goto(`${e2eServer().url}/contacts/${contactId}/edit`);
    await page.getByLabel(seats.label).fill('45');
    // Meanwhile a colleague (here through the API) changes the tier.
    const before = await readTestContact(contactId);
    await expectStatus(
      await callApi('sales', `/api/v1/contacts/${contactId}`, {
        method: 'PATCH',
        purpose: 'sales',
        headers: { 'If-Match': `"${before?.version}"` },
        body: JSON.stringify({ customFields: { [tier.key]: 'Silver' } }),
      }),
      200,
    );
    const { conflict, row } = await saveIntoConflict(page);
    expect(await row(seats.label)).toEqual(['45', '30']);
    expect(await row(tier.label)).toEqual(['Silver (not edited)', 'Silver (changed by someone else)']);
    await conflict.getByRole('button', { name: 'Save my edits on the new version' }).click();
    await page.getByRole('heading', { level: 1, name: surname }).waitFor();
    expect((await readTestContact(contactId))?.customFields).toEqual({ [seats.key]: 45, [tier.key]: 'Silver' });
  });
});

describe('the pages seen', () => {
  it('asked nothing of another origin, came with the strict CSP, and broke none of its rules', () => {
    expectCandorOnly(sales, e2eServer().url);
  });
});
