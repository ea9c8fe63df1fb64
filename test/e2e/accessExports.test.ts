import { describe, expect, it } from 'vitest';
import { openPage } from './support/browser.ts';
import { e2eServer } from './support/e2eServer.ts';
import { expectCandorOnly } from './support/pageRules.ts';
import { checkScreen } from './support/screenshots.ts';
import { signIn } from './support/signIn.ts';
import { signedInFile } from './support/signedInFile.ts';
import { createTestContact, uniqueSurname } from './support/testContacts.ts';

// Access exports on the contact page: a privacy officer (who holds dsr_fulfilment) asks for
// one, follows it until it is ready, and gets the single-use link for the person; Sales is
// not offered the section.

const file = signedInFile('privacy_officer', 'Sales');

describe("a contact's access exports", () => {
  it('are asked for from the contact page, followed until ready, and downloaded once through the link, holding the contact', async () => {
    const { page } = file.user;
    const contact = await createTestContact({ firstName: 'Copy', lastName: uniqueSurname('Export') });
    await page.goto(`${e2eServer().url}/contacts/${contact.id}`);
    const section = page.getByRole('region', { name: 'Copies of their data' });
    await section.getByText('No export has been made of this person.').waitFor();
    await section.getByRole('button', { name: /Format/ }).click();
    await page.getByRole('option', { name: /^JSON/ }).click();
    await section.getByRole('button', { name: 'Ask for an export' }).click();

    const row = section.getByRole('table').getByRole('row').filter({ hasText: 'JSON' });
    await expect.poll(() => row.textContent(), { timeout: 30_000 }).toContain('Ready');
    await row.getByRole('button', { name: /^Get a download link for personal-data-/ }).click();
    const link = row.getByRole('link', { name: /^Download personal-data-.*\.json$/ });
    await link.waitFor();
    expect(await row.textContent()).toContain('Works once');
    await checkScreen(page, 'contact-access-exports', { fullPage: true });

    const href = await link.getAttribute('href');
    if (!href) throw new Error('the download link has no address');
    expect(href.startsWith(`${e2eServer().url}/api/v1/access-export-downloads/`)).toBe(true);
    const downloaded = await fetch(href);
    expect(downloaded.status).toBe(200);
    const body = await downloaded.text();
    expect(JSON.parse(body).format).toBe('candor.access-export/1');
    expect(body).toContain(contact.lastName);
    expect((await fetch(href)).status).toBe(404);
  });

  it('are not offered to a role without dsr_fulfilment', async () => {
    const contact = await createTestContact({ firstName: 'Not', lastName: uniqueSurname('Offered') });
    const sales = await openPage(file.browser);
    await signIn(sales.page, 'sales');
    await sales.page.goto(`${e2eServer().url}/contacts/${contact.id}`);
    await sales.page.getByRole('heading', { level: 1, name: `Not ${contact.lastName}` }).waitFor();
    await sales.page.getByRole('region', { name: 'Consent' }).waitFor();
    expect(await sales.page.getByRole('region', { name: 'Copies of their data' }).count()).toBe(0);
    expect(sales.requests.some((request) => request.url.includes('/access-exports'))).toBe(false);
    await sales.context.close();
  });

  it('asked nothing of another origin, came with the strict CSP, and broke none of its rules', () => {
    expectCandorOnly(file.user, e2eServer().url);
  });
});
