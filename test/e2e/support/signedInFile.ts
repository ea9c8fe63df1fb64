import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { openBrowser, openPage, type RecordedPage } from './browser.ts';
import { signInFor } from './signIn.ts';
import { deleteTestContacts } from './testContacts.ts';

export type SignedInFile = { browser: Browser; user: RecordedPage };

/**
 * A test file's browser with one page signed in as a demo role acting for a purpose, opened
 * before its tests; after them the contacts the file made are deleted and the browser closed.
 * Read the returned object inside the tests (it is filled in by beforeAll).
 */
export function signedInFile(role: string, purposeName: string): SignedInFile {
  const file = {} as SignedInFile;
  beforeAll(async () => {
    file.browser = await openBrowser();
    file.user = await openPage(file.browser);
    await signInFor(file.user.page, role, purposeName);
  });
  afterAll(async () => {
    await deleteTestContacts();
    await file.browser?.close();
  });
  return file;
}
