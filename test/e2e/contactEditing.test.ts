import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, openPage, type RecordedPage } from './support/browser.ts';
import { callApi, e2eServer } from './support/e2eServer.ts';
import { expectCandorOnly } from './support/pageRules.ts';
import { saveIntoConflict } from './support/conflictPanel.ts';
import { checkScreen } from './support/screenshots.ts';
import { signIn, signInFor } from './support/signIn.ts';
import { createTestContact, deleteTestContacts, rememberTestContact, readTestContact, uniqueSurname } from './support/testContacts.ts';

// Creating, finding, editing (with If-Match, and the 412 of a concurrent edit), logging a
// call, deleting and merging contacts in the web app. Every contact changed here is created
// by the test, so the demo records the other files read stay as they are.

let browser: Browser;
let sales: RecordedPage;
let admin: RecordedPage;

beforeAll(async () => {
  browser = await openBrowser();
  sales = await openPage(browser);
  admin = await openPage(browser);
  await signIn(sales.page, 'sales');
  await signInFor(admin.page, 'admin', 'Sales');
});
afterAll(async () => {
  await deleteTestContacts();
  await browser?.close();
});

const surname = uniqueSurname('Wexbridge');
const email = `${surname}@example.test`;
let contactPath = '';

const details = (recorded: RecordedPage) => recorded.page.getByRole('region', { name: 'Details' });
const fieldValue = (recorded: RecordedPage, label: string) => details(recorded).locator('.field-row', { hasText: label }).locator('dd').textContent();
const patchRequests = () =>
  sales.requests.filter((request) => request.method === 'PATCH' && request.url.endsWith(contactPath.replace('/contacts', '/api/v1/contacts')));

/** A change someone else saves while the user edits (here through the API, on the version saved now); the version it changed. */
async function changeAsAColleague(id: string, fields: Record<string, string>): Promise<{ version: number }> {
  const before = await readTestContact(id);
  const response = await callApi('sales', `/api/v1/contacts/${id}`, {
    method: 'PATCH',
    purpose: 'sales',
    headers: { 'If-Match': `"${before?.version}"` },
    body: JSON.stringify(fields),
  });
  expect(response.status).toBe(200);
  return { version: before?.version ?? 0 };
}

describe('creating and editing a contact', () => {
  it('creates a contact from the table with the fields Sales may write, then shows its page', async () => {
    const { page } = sales;
    await page.getByRole('link', { name: 'New contact' }).click();
    await page.getByRole('heading', { level: 1, name: 'New contact' }).waitFor();
    await page.getByLabel('First name').fill('Quintessa');
    await page.getByLabel('Last name').fill(surname);
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Job title').fill('Buyer');
    await checkScreen(page, 'contact-create');
    await page.getByRole('button', { name: 'Create the contact' }).click();
    await page.getByRole('heading', { level: 1, name: `Quintessa ${surname}` }).waitFor();
    contactPath = new URL(page.url()).pathname;
    rememberTestContact(contactPath.split('/').pop() ?? '');
    expect(await fieldValue(sales, 'Job title')).toBe('Buyer');
    const saved = await readTestContact(contactPath.split('/').pop() ?? '');
    expect(saved).toMatchObject({ firstName: 'Quintessa', lastName: surname, email: email.toLowerCase(), source: 'staff', lifecycleStage: 'lead' });
  });

  it("shows the server's reason next to the field it refused", async () => {
    const { page } = sales;
    await page.goto(`${e2eServer().url}/contacts/new`);
    await page.getByLabel('Last name').fill(uniqueSurname('Refused'));
    // Taken by the contact just created: the API refuses it as a duplicate, naming the field.
    await page.getByLabel('E-mail').fill(email);
    await page.getByRole('button', { name: 'Create the contact' }).click();
    await page.getByRole('alert').waitFor();
    const emailField = page.locator('.field', { has: page.getByLabel('E-mail') });
    await expect.poll(() => emailField.locator('.react-aria-FieldError').textContent()).not.toBe('');
    expect(await page.getByLabel('E-mail').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('alert').textContent()).toContain('Correct the field marked above');
  });

  it('finds the new contact by the start of its surname and saves an edit with If-Match on the version shown', async () => {
    const { page } = sales;
    await page.goto(`${e2eServer().url}/contacts`);
    await page.getByRole('searchbox', { name: 'Find a contact' }).fill(surname.slice(0, 7));
    const table = page.getByRole('table', { name: 'Contacts' });
    await table.getByRole('link', { name: `Quintessa ${surname}` }).click();
    await page.getByRole('heading', { level: 1, name: `Quintessa ${surname}` }).waitFor();
    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    await page.getByLabel('Job title').fill('Head of purchasing');
    await page.getByLabel('City').fill('Leiden');
    await checkScreen(page, 'contact-edit');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => fieldValue(sales, 'Job title')).toBe('Head of purchasing');
    expect(await fieldValue(sales, 'City')).toBe('Leiden');
    const [patch] = patchRequests();
    expect(patch.headers['if-match']).toBe('"1"');
  });

  it('meets the 412 of a concurrent edit, shows both values of each changed field, and saves the user’s edits on the new version', async () => {
    const { page } = sales;
    const id = contactPath.split('/').pop() ?? '';
    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    await page.getByLabel('Job title').fill('Procurement lead');
    // Meanwhile a colleague (here through the API) changes the job title and the phone.
    const before = await changeAsAColleague(id, { jobTitle: 'Chief buyer', phone: '+31 71 555 0101' });

    const { conflict, row } = await saveIntoConflict(page);
    expect(await row('Job title')).toEqual(['Procurement lead', 'Chief buyer (changed by someone else)']);
    expect(await row('Phone')).toEqual(['+31 71 555 0101 (not edited)', '+31 71 555 0101 (changed by someone else)']);
    // The form holds the version saved now, with the user's edit on top.
    expect(await page.getByLabel('Phone').inputValue()).toBe('+31 71 555 0101');
    expect(await page.getByLabel('Job title').inputValue()).toBe('Procurement lead');
    await checkScreen(page, 'conflict-412', { fullPage: true });

    await conflict.getByRole('button', { name: 'Save my edits on the new version' }).click();
    await expect.poll(() => fieldValue(sales, 'Job title')).toBe('Procurement lead');
    const saved = await readTestContact(id);
    // The user's edit on top of the colleague's version: their phone stays.
    expect(saved).toMatchObject({ jobTitle: 'Procurement lead', phone: '+31 71 555 0101', city: 'Leiden' });
    const patches = patchRequests().slice(1);
    expect(patches.map((request) => request.headers['if-match'])).toEqual([`"${before.version}"`, `"${before.version + 1}"`]);
  });

  it('discards the edits when the user chooses to, starting again from the version saved now', async () => {
    const { page } = sales;
    const id = contactPath.split('/').pop() ?? '';
    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    await page.getByLabel('Job title').fill('Will be discarded');
    await changeAsAColleague(id, { jobTitle: 'Purchasing director' });
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: 'Discard my edits' }).click();
    expect(await page.getByLabel('Job title').inputValue()).toBe('Purchasing director');
    await page.getByRole('link', { name: 'Cancel' }).click();
    await expect.poll(() => fieldValue(sales, 'Job title')).toBe('Purchasing director');
  });
});

describe('logging an activity', () => {
  it('logs a call that shows in the timeline at once', async () => {
    const { page } = sales;
    await page.getByRole('radiogroup', { name: 'Type' }).getByText('Call', { exact: true }).click();
    await page.getByLabel('Subject').fill('Called about the renewal');
    await page.getByLabel('Description').fill('Wants a quote by Friday.');
    await page.getByRole('button', { name: 'Log the call' }).click();
    const timeline = page.getByRole('region', { name: 'Timeline' });
    const entry = timeline.locator('.timeline-entry', { hasText: 'Called about the renewal' });
    await entry.waitFor();
    expect(await entry.locator('.timeline-kind').textContent()).toBe('Call');
    expect(await page.getByRole('status').filter({ hasText: 'Call logged' }).count()).toBe(1);
  });
});

describe('deleting and merging (a role that may delete contacts)', () => {
  it('offers Sales, which may not delete contacts, neither delete nor merge', async () => {
    expect(await sales.page.getByRole('button', { name: 'Delete' }).count()).toBe(0);
  });

  it('deletes a contact only after the user confirms, then returns to the table', async () => {
    const { page } = admin;
    const doomed = await createTestContact({ firstName: 'Dorian', lastName: uniqueSurname('Doomed') });
    await page.goto(`${e2eServer().url}/contacts/${doomed.id}`);
    await page.getByRole('heading', { level: 1, name: `Dorian ${doomed.lastName}` }).waitFor();
    await page.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Delete this contact?' });
    await dialog.waitFor();
    await checkScreen(page, 'contact-delete');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await readTestContact(doomed.id)).not.toBeNull();

    await page.getByRole('button', { name: 'Delete' }).click();
    await dialog.getByRole('button', { name: 'Delete the contact' }).click();
    await page.getByRole('table', { name: 'Contacts' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/contacts');
    expect(await page.getByRole('status').filter({ hasText: 'The contact was deleted.' }).count()).toBe(1);
    expect(await readTestContact(doomed.id)).toBeNull();
  });

  it('lists a duplicate on the contact page and merges it into the contact after confirmation', async () => {
    const { page } = admin;
    const shared = `${uniqueSurname('dup')}@example.test`;
    const keeper = await createTestContact({ firstName: 'Mira', lastName: uniqueSurname('Keeper'), email: shared });
    const duplicate = await createTestContact({ firstName: 'Mira', lastName: keeper.lastName, email: shared, jobTitle: 'Editor' }, { allowDuplicate: true });
    await page.goto(`${e2eServer().url}/contacts/${keeper.id}`);
    const duplicates = page.getByRole('region', { name: 'Possible duplicates' });
    await duplicates.getByRole('link', { name: `Mira ${keeper.lastName}` }).waitFor();
    expect(await duplicates.textContent()).toContain('Same e-mail address');
    await checkScreen(page, 'contact-duplicates', { fullPage: true });
    await duplicates.getByRole('button', { name: new RegExp(`^Merge into this contact\\W+Mira ${keeper.lastName}$`) }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Merge these contacts?' });
    await dialog.getByRole('button', { name: 'Merge' }).click();
    await dialog.waitFor({ state: 'detached' });
    await duplicates.getByText('No other contact has this e-mail address or phone number.').waitFor();
    // The value the keeper lacked came from the duplicate, which is gone.
    await expect.poll(() => fieldValue(admin, 'Job title')).toBe('Editor');
    expect(await readTestContact(duplicate.id)).toBeNull();
  });
});

describe('the pages seen', () => {
  it('asked nothing of another origin, came with the strict CSP, and broke none of its rules', () => {
    expectCandorOnly(sales, e2eServer().url);
    expectCandorOnly(admin, e2eServer().url);
  });
});
