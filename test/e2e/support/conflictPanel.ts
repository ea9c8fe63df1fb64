import type { Locator, Page } from 'playwright-core';

/**
 * Saves the contact form that someone else's save has made stale, and waits for the 412
 * panel: the panel, and the texts of a field's row in it (the user's edit, the value saved now).
 */
export async function saveIntoConflict(page: Page): Promise<{ conflict: Locator; row(field: string): Promise<string[]> }> {
  await page.getByRole('button', { name: 'Save' }).click();
  const conflict = page.getByRole('alert').filter({ hasText: 'Someone else changed this contact' });
  await conflict.waitFor();
  const row = (field: string) =>
    conflict
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: field }) })
      .getByRole('cell')
      .allTextContents();
  return { conflict, row };
}
