import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, openPage, type RecordedPage } from './support/browser.ts';
import { e2eServer } from './support/e2eServer.ts';
import { focusedName, tabTo } from './support/keyboard.ts';
import { expectCandorOnly } from './support/pageRules.ts';
import { signInFor } from './support/signIn.ts';
import { createTestContact, deleteTestContacts, readTestContact, rememberTestContact, uniqueSurname } from './support/testContacts.ts';

// Every action of the contacts table and the contact page by keyboard alone: after signing in
// and opening the first address, the test only presses keys (Tab, arrows, Enter, Space,
// Escape) and types; it never clicks. As an admin acting for Sales, who may also delete and merge.

let browser: Browser;
let admin: RecordedPage;

beforeAll(async () => {
  browser = await openBrowser();
  admin = await openPage(browser);
  await signInFor(admin.page, 'admin', 'Sales');
});
afterAll(async () => {
  await deleteTestContacts();
  await browser?.close();
});

const surname = uniqueSurname('Keyes');
const fieldValue = (label: string) => admin.page.getByRole('region', { name: 'Details' }).locator('.field-row', { hasText: label }).locator('dd').textContent();
const path = () => new URL(admin.page.url()).pathname;

/** From the contact page: Edit, one field typed into, Save; back on the page with the new value. */
async function editByKeyboard(field: string, text: string): Promise<void> {
  const { page } = admin;
  // Edit sits above the parts of the page the test may have tabbed to.
  await tabTo(page, 'Edit', { backwards: true });
  await page.keyboard.press('Enter');
  await tabTo(page, field);
  await page.keyboard.type(text);
  await tabTo(page, 'Save');
  await page.keyboard.press('Enter');
  await expect.poll(() => fieldValue(field)).toBe(text);
}

describe('the contacts table and the contact page by keyboard alone', () => {
  it('creates a contact from the table: New contact, the fields, the stage, Create', async () => {
    const { page } = admin;
    await page.goto(`${e2eServer().url}/contacts`);
    await page.getByRole('table', { name: 'Contacts' }).waitFor();
    await tabTo(page, 'New contact');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'New contact' }).waitFor();
    await tabTo(page, 'First name');
    await page.keyboard.type('Kira');
    await tabTo(page, 'Last name');
    await page.keyboard.type(surname);
    await tabTo(page, 'Job title');
    await page.keyboard.type('Analyst');
    await tabTo(page, /^Lead/);
    await page.keyboard.press('Enter');
    await page.getByRole('listbox').waitFor();
    await page.keyboard.type('Opp');
    await page.keyboard.press('Enter');
    await tabTo(page, 'Create the contact');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: `Kira ${surname}` }).waitFor();
    rememberTestContact(path().split('/').pop() ?? '');
    expect(await fieldValue('Stage')).toBe('Opportunity');
  });

  it('finds it from the table by the start of its name and opens it', async () => {
    const { page } = admin;
    await tabTo(page, '← Contacts', { backwards: true });
    await page.keyboard.press('Enter');
    await page.getByRole('table', { name: 'Contacts' }).waitFor();
    await tabTo(page, 'Find a contact');
    await page.keyboard.type(surname.slice(0, 6));
    // The search answers after a pause in typing; the user waits for the row.
    await page
      .getByRole('table', { name: 'Contacts' })
      .getByRole('link', { name: `Kira ${surname}` })
      .waitFor();
    await tabTo(page, `Kira ${surname}`);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: `Kira ${surname}` }).waitFor();
  });

  it('edits it: Edit, a field, Save', async () => {
    await editByKeyboard('City', 'Haarlem');
  });

  it('logs a meeting and adds a task, choosing the type with the arrow keys', async () => {
    const { page } = admin;
    await tabTo(page, 'Note');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await focusedName(page)).toBe('Meeting');
    await tabTo(page, 'Subject');
    await page.keyboard.type('Met at the trade fair');
    await tabTo(page, 'Log the meeting');
    await page.keyboard.press('Enter');
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await timeline.locator('.timeline-entry', { hasText: 'Met at the trade fair' }).waitFor();

    await tabTo(page, 'Meeting', { backwards: true });
    await page.keyboard.press('ArrowRight');
    await tabTo(page, 'What to do');
    await page.keyboard.type('Send the fair brochure');
    await tabTo(page, 'Add the task');
    await page.keyboard.press('Enter');
    await timeline.locator('.timeline-entry', { hasText: 'Send the fair brochure' }).waitFor();
    await tabTo(page, 'What to do', { backwards: true });
    await page.keyboard.type('Call back after the fair');
    await tabTo(page, 'Add the task');
    await page.keyboard.press('Enter');
    await timeline.locator('.timeline-entry', { hasText: 'Call back after the fair' }).waitFor();
  });

  it('reaches My tasks from the navigation, marks a task done, and goes back to the contact from the other', async () => {
    const { page } = admin;
    const contactPath = path();
    await tabTo(page, 'My tasks', { backwards: true });
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'My tasks' }).waitFor();
    await page.locator('.task-subject', { hasText: 'Send the fair brochure' }).waitFor();
    await tabTo(page, /^Mark done\W+Send the fair brochure$/);
    await page.keyboard.press('Enter');
    await page.locator('.task-subject', { hasText: 'Send the fair brochure' }).waitFor({ state: 'detached' });
    // Each task's link to its contact comes just before its Mark done button.
    await tabTo(page, /^Mark done\W+Call back after the fair$/);
    await page.keyboard.press('Shift+Tab');
    expect(await focusedName(page)).toBe('Contact of this task');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: `Kira ${surname}` }).waitFor();
    expect(path()).toBe(contactPath);
  });

  it('merges a duplicate after confirming in the dialog', async () => {
    const { page } = admin;
    const id = path().split('/').pop() ?? '';
    const duplicate = await createTestContact({ firstName: 'Kira', lastName: surname, phone: '+31 23 555 0199' });
    // Give the contact the same phone number, by keyboard, so the duplicate is found.
    await editByKeyboard('Phone', '+31 23 555 0199');
    await tabTo(page, /^Merge into this contact/);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('alertdialog', { name: 'Merge these contacts?' });
    await dialog.waitFor();
    // Escape closes the dialog and nothing is merged; the focus is back on the button.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await focusedName(page)).toMatch(/^Merge into this contact/);
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await tabTo(page, 'Merge');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('No other contact has this e-mail address or phone number.').waitFor();
    expect(await readTestContact(duplicate.id)).toBeNull();
    expect(await readTestContact(id)).not.toBeNull();
  });

  it('deletes it after confirming in the dialog, and is back on the table', async () => {
    const { page } = admin;
    const id = path().split('/').pop() ?? '';
    await tabTo(page, 'Delete', { backwards: true });
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('alertdialog', { name: 'Delete this contact?' });
    await dialog.waitFor();
    // Focus stays inside the dialog while it is open.
    for (let press = 0; press < 4; press++) {
      await page.keyboard.press('Tab');
      expect(['Cancel', 'Delete the contact']).toContain(await focusedName(page));
    }
    await tabTo(page, 'Delete the contact');
    await page.keyboard.press('Enter');
    await page.getByRole('table', { name: 'Contacts' }).waitFor();
    expect(await readTestContact(id)).toBeNull();
  });

  it('finds the open task no longer in My tasks: it was about the erased contact alone, and went with it', async () => {
    const { page } = admin;
    await tabTo(page, 'My tasks', { backwards: true });
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'My tasks' }).waitFor();
    await page.getByRole('region', { name: 'Open' }).locator('.task-list, .empty-state').first().waitFor();
    await expect.poll(() => page.locator('.task-subject', { hasText: 'Call back after the fair' }).count()).toBe(0);
  });

  it('asked nothing of another origin, came with the strict CSP, and broke none of its rules', () => {
    expectCandorOnly(admin, e2eServer().url);
  });
});
