import { describe, expect, it } from 'vitest';
import { callApi, e2eServer } from './support/e2eServer.ts';
import { expectCandorOnly } from './support/pageRules.ts';
import { checkScreen } from './support/screenshots.ts';
import { signedInFile } from './support/signedInFile.ts';
import { createTestContact, uniqueSurname } from './support/testContacts.ts';

// The privacy console's Legal holds page: a privacy officer places a hold on a contact from
// its page, with the reason, and releases it after confirming; the API has each change.

const file = signedInFile('privacy_officer', 'Sales');

type Hold = { id: string; subjectId: string; reason: string; releasedAt: string | null };

async function holdsOf(subjectId: string): Promise<Hold[]> {
  const response = await callApi('privacy_officer', `/api/v1/legal-holds?subjectId=${subjectId}&includeReleased=true`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: Hold[] }).data;
}

describe('the legal holds page', () => {
  it("places a hold on a contact from the contact's page with its reason, lists it, and releases it after confirming", async () => {
    const { page } = file.user;
    const contact = await createTestContact({ firstName: 'Held', lastName: uniqueSurname('Hold') });
    const reason = `Case ${contact.id.slice(0, 8)}: litigation hold until the claim is settled`;
    await page.goto(`${e2eServer().url}/contacts/${contact.id}`);
    await page.getByRole('heading', { level: 1, name: `Held ${contact.lastName}` }).waitFor();
    await page.getByRole('link', { name: 'Place a legal hold' }).click();
    await page.getByRole('heading', { level: 1, name: 'Legal holds' }).waitFor();
    expect(await page.getByLabel('Contact or visitor id').inputValue()).toBe(contact.id);
    await page.getByLabel('Reason').fill(reason);
    await checkScreen(page, 'legal-holds-place', { fullPage: true });
    await page.getByRole('button', { name: 'Place the hold' }).click();

    const row = page.getByRole('table', { name: 'Holds' }).getByRole('row').filter({ hasText: reason });
    await row.waitFor();
    expect(await row.textContent()).toContain('Active');
    const [placed] = await holdsOf(contact.id);
    expect(placed).toMatchObject({ subjectId: contact.id, reason, releasedAt: null });
    await checkScreen(page, 'legal-holds', { fullPage: true });

    try {
      await row.getByRole('button', { name: `Release the hold on ${contact.id}` }).click();
      const dialog = page.getByRole('alertdialog', { name: 'Release this legal hold?' });
      await checkScreen(page, 'legal-holds-release');
      await dialog.getByRole('button', { name: 'Release the hold' }).click();
      await expect.poll(() => row.textContent()).not.toContain('Active');
      expect(await row.getByRole('button').count()).toBe(0);
      expect((await holdsOf(contact.id))[0].releasedAt).not.toBeNull();
    } finally {
      // The contact is deleted at the end, which a hold would refuse.
      for (const hold of await holdsOf(contact.id)) {
        if (!hold.releasedAt) await callApi('privacy_officer', `/api/v1/legal-holds/${hold.id}/release`, { method: 'POST' });
      }
    }
  });

  it('asked nothing of another origin, came with the strict CSP, and broke none of its rules', () => {
    expectCandorOnly(file.user, e2eServer().url);
  });
});
