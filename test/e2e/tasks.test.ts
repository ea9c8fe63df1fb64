import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, openPage, type RecordedPage } from './support/browser.ts';
import { callApi, e2eServer } from './support/e2eServer.ts';
import { expectCandorOnly } from './support/pageRules.ts';
import { checkScreen } from './support/screenshots.ts';
import { signIn } from './support/signIn.ts';
import { createTestContact, deleteTestContacts, type TestContact, uniqueSurname } from './support/testContacts.ts';

// Tasks: added from a contact's page with a due day, listed in My tasks (assigned to the user,
// due soonest first), marked done there; and My tasks and the contact page at phone width.

let browser: Browser;
let sales: RecordedPage;
let contact: TestContact;
let salesUserId: string;

type Task = { id: string; subject?: string; dueAt: string | null; completedAt: string | null };

beforeAll(async () => {
  browser = await openBrowser();
  sales = await openPage(browser);
  await signIn(sales.page, 'sales');
  contact = await createTestContact({ firstName: 'Tobias', lastName: uniqueSurname('Tasker') });
  const me = (await sales.page.evaluate(async () => (await fetch('/api/v1/auth/me')).json())) as { data: { user: { id: string } } };
  salesUserId = me.data.user.id;
});
afterAll(async () => {
  await deleteTestContacts();
  await browser?.close();
});

const daysFromNow = (days: number) => new Date(Date.now() + days * 86_400_000);
const dayText = (date: Date) => `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
const subject = `Send the renewal quote ${uniqueSurname('')}`;

async function openTasks(): Promise<Task[]> {
  const response = await callApi('sales', `/api/v1/activities?type=task&status=open&assigneeId=${salesUserId}&sort=dueAt&limit=200`, { purpose: 'sales' });
  return ((await response.json()) as { data: Task[] }).data;
}

describe('tasks', () => {
  it('adds a task with a due day from the contact page; it shows in the timeline at once', async () => {
    const { page } = sales;
    await page.goto(`${e2eServer().url}/contacts/${contact.id}`);
    await page.getByRole('radiogroup', { name: 'Type' }).getByText('Task', { exact: true }).click();
    await page.getByLabel('What to do').fill(subject);
    await page.getByLabel('Due on').fill(dayText(daysFromNow(2)));
    await page.getByRole('button', { name: 'Add the task' }).click();
    const entry = page.getByRole('region', { name: 'Timeline' }).locator('.timeline-entry', { hasText: subject });
    await entry.waitFor();
    expect(await entry.locator('.timeline-kind').textContent()).toMatch(/^Task · due /);
    const created = (await openTasks()).find((task) => task.subject === subject);
    expect(new Date(created?.dueAt ?? 0).getDate()).toBe(daysFromNow(2).getDate());
  });

  it('lists it in My tasks among the open tasks assigned to the user, due soonest first', async () => {
    const { page } = sales;
    // A task due later, given through the API: it must come after the one just added.
    const later = `Follow up after the quote ${uniqueSurname('')}`;
    const response = await callApi('sales', '/api/v1/activities', {
      method: 'POST',
      purpose: 'sales',
      body: JSON.stringify({ type: 'task', subject: later, dueAt: daysFromNow(9).toISOString(), assigneeId: salesUserId, links: { contactIds: [contact.id] } }),
    });
    expect(response.status).toBe(201);
    await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'My tasks' }).click();
    const list = page.getByRole('region', { name: 'Open' });
    await list.locator('.task-subject', { hasText: subject }).waitFor();
    const shown = await list.locator('.task-subject').allTextContents();
    expect(shown.indexOf(subject)).toBeLessThan(shown.indexOf(later));
    // The same order as the API's: open tasks assigned to the user, by due time.
    const expected = (await openTasks()).map((task) => task.subject ?? '');
    expect(shown).toEqual(expected.slice(0, shown.length));
    await checkScreen(page, 'tasks', { fullPage: true });
  });

  it('marks a task done: it leaves the list, and the API records when', async () => {
    const { page } = sales;
    const list = page.getByRole('region', { name: 'Open' });
    await list.getByRole('button', { name: new RegExp(`^Mark done\\W+${subject}$`) }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Done: ${subject}.` })
      .waitFor();
    await list.locator('.task-subject', { hasText: subject }).waitFor({ state: 'detached' });
    expect((await openTasks()).map((task) => task.subject)).not.toContain(subject);
    await page.goto(`${e2eServer().url}/contacts/${contact.id}`);
    const entry = page.getByRole('region', { name: 'Timeline' }).locator('.timeline-entry', { hasText: subject });
    expect(await entry.locator('.timeline-kind').textContent()).toBe('Task · done');
  });
});

describe('at phone width', () => {
  it('shows My tasks and the contact page with its forms in one column, without sideways scrolling', async () => {
    const phone = await openPage(browser, { width: 390, height: 844 });
    await signIn(phone.page, 'sales');
    const overflow = () => phone.page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    await phone.page.goto(`${e2eServer().url}/tasks`);
    await phone.page.getByRole('region', { name: 'Open' }).locator('.task-item, .empty-state').first().waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await checkScreen(phone.page, 'tasks-phone', { fullPage: true });
    await phone.page.goto(`${e2eServer().url}/contacts/${contact.id}`);
    await phone.page.getByRole('heading', { level: 2, name: 'Log an activity' }).waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await phone.page.goto(`${e2eServer().url}/contacts/${contact.id}/edit`);
    await phone.page.getByLabel('Job title').waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await checkScreen(phone.page, 'contact-edit-phone', { fullPage: true });
    expectCandorOnly(phone, e2eServer().url);
  });
});

describe('the pages seen', () => {
  it('asked nothing of another origin, came with the strict CSP, and broke none of its rules', () => {
    expectCandorOnly(sales, e2eServer().url);
  });
});
