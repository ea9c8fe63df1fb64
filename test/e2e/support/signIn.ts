import type { Page } from 'playwright-core';
import { demoEmail, demoPassword, e2eServer } from './e2eServer.ts';

/** Signs in as a demo user through the sign-in form and waits for the contacts table. */
export async function signIn(page: Page, role: string): Promise<void> {
  await page.goto(`${e2eServer().url}/sign-in`);
  await fillSignInForm(page, role);
  await page.getByRole('table', { name: 'Contacts' }).waitFor();
}

export async function fillSignInForm(page: Page, role: string, password = demoPassword): Promise<void> {
  await page.getByLabel('Workspace').fill('demo');
  await page.getByLabel('E-mail address').fill(demoEmail(role));
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
