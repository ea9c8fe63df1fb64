import type { Page } from 'playwright-core';
import { demoEmail, demoPassword, e2eServer } from './e2eServer.ts';

/** Signs in as a demo user through the sign-in form and waits for the contacts table. */
export async function signIn(page: Page, role: string): Promise<void> {
  await page.goto(`${e2eServer().url}/sign-in`);
  await fillSignInForm(page, role);
  await page.getByRole('table', { name: 'Contacts' }).waitFor();
}

/**
 * Signs in as the demo admin and waits for the header: the admin's first purpose (E-mail
 * marketing) may show no contact, so the contacts table is not waited for.
 */
export async function signInAsAdmin(page: Page): Promise<void> {
  await page.goto(`${e2eServer().url}/sign-in`);
  await fillSignInForm(page, 'admin');
  await page.getByRole('link', { name: 'Administration' }).waitFor();
}

export async function fillSignInForm(page: Page, role: string, password = demoPassword): Promise<void> {
  await page.getByLabel('Workspace').fill('demo');
  await page.getByLabel('E-mail address').fill(demoEmail(role));
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs in as a demo user and acts for the given purpose (an admin starts with the workspace's first purpose). */
export async function signInFor(page: Page, role: string, purposeName: string): Promise<void> {
  await page.goto(`${e2eServer().url}/sign-in`);
  await fillSignInForm(page, role);
  const lens = page.getByRole('banner').getByRole('button', { name: /Purpose/ });
  await lens.waitFor();
  if (!(await lens.textContent())?.includes(purposeName)) {
    await lens.click();
    // By the label alone: other tests on the shared server add purposes whose labels start alike ("Sales follow up …").
    const label = page.locator('.purpose-option-label').getByText(purposeName, { exact: true });
    await page.getByRole('option').filter({ has: label }).click();
  }
  await page.getByRole('table', { name: 'Contacts' }).waitFor();
}
