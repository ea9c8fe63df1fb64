import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, openPage, type RecordedPage } from './support/browser.ts';
import { callApi, e2eServer } from './support/e2eServer.ts';
import { tabTo } from './support/keyboard.ts';
import { expectCandorOnly } from './support/pageRules.ts';
import { checkScreen, screenshot } from './support/screenshots.ts';
import { fillSignInForm } from './support/signIn.ts';
import { deleteTestContacts, rememberTestContact, uniqueSurname } from './support/testContacts.ts';

// The signed-in header on one line for the roles with the most sections; a sign-out while a
// request is still on its way; a contact's custom fields named by their labels.

let browser: Browser;
const pages: RecordedPage[] = [];
const suffix = uniqueSurname('')
  .toLowerCase()
  .replace(/[^a-z0-9]/g, '');
const licence = { key: `licence_${suffix}`, label: `Licence seats ${suffix}` };

beforeAll(async () => {
  browser = await openBrowser();
  const declared = await callApi('admin', '/api/v1/custom-fields', {
    method: 'POST',
    body: JSON.stringify({ object: 'contact', dataCategory: 'user.demographic.profile', key: licence.key, label: licence.label, type: 'number' }),
  });
  if (declared.status !== 201) throw new Error(`declaring the custom field answered ${declared.status}: ${await declared.text()}`);
});
afterAll(async () => {
  await deleteTestContacts();
  await callApi('admin', `/api/v1/custom-fields/contact/${licence.key}`, { method: 'DELETE' });
  await browser?.close();
});

/** Signs in and waits for the first page, which for a role's first purpose may have no contact to show. */
async function signedIn(role: string): Promise<RecordedPage> {
  const recorded = await openPage(browser);
  pages.push(recorded);
  await recorded.page.goto(`${e2eServer().url}/sign-in`);
  await fillSignInForm(recorded.page, role);
  await recorded.page.getByRole('heading', { level: 1, name: 'Contacts' }).waitFor();
  return recorded;
}

/** The header's parts, top to bottom: on one line, one horizontal line crosses them all (the latest top is above the earliest bottom). */
async function headerSpans(page: Page): Promise<Record<string, [number, number]>> {
  const banner = page.getByRole('banner');
  const workspace = banner.getByRole('navigation', { name: 'Workspace' });
  const parts = {
    brand: banner.getByRole('link', { name: 'Candor' }),
    firstSection: workspace.getByRole('link', { name: 'Contacts' }),
    privacy: workspace.getByRole('link', { name: 'Privacy' }),
    purpose: banner.getByRole('button', { name: /Purpose/ }),
    signOut: banner.getByRole('button', { name: 'Sign out' }),
  };
  const spans: Record<string, [number, number]> = {};
  for (const [name, locator] of Object.entries(parts)) {
    const box = await locator.boundingBox();
    spans[name] = box ? [Math.round(box.y), Math.round(box.y + box.height)] : [-1, -1];
  }
  return spans;
}

describe('the header', () => {
  for (const role of ['admin', 'privacy_officer']) {
    it(`fits on one line for ${role} at 1,280 and 1,400 px, every section a link in the Workspace navigation`, async () => {
      const { page } = await signedIn(role);
      for (const width of [1280, 1400]) {
        await page.setViewportSize({ width, height: 900 });
        const links = await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link').allTextContents();
        expect(links).toEqual(
          expect.arrayContaining([
            'Contacts',
            'Companies',
            'Deals',
            'My tasks',
            'Import and export',
            'Privacy',
            ...(role === 'admin' ? ['Administration'] : []),
          ]),
        );
        await screenshot(page, `header-${role}-${width}`);
        const spans = await headerSpans(page);
        const latestTop = Math.max(...Object.values(spans).map(([top]) => top));
        const earliestBottom = Math.min(...Object.values(spans).map(([, bottom]) => bottom));
        expect({ width, spans, oneLine: latestTop < earliestBottom }).toEqual({ width, spans, oneLine: true });
        if (role === 'admin' && width === 1400) await checkScreen(page, 'header-admin');
      }
    });
  }
});

/** Opens a path inside the running app, as a link would, without loading the page again (requests on their way live on). */
async function openInApp(page: Page, path: string): Promise<void> {
  // Given as text: it runs in the page, whose DOM this Node project has no types for.
  await page.evaluate(`history.pushState(null, '', ${JSON.stringify(path)}); dispatchEvent(new PopStateEvent('popstate'))`);
}

describe('the header by keyboard', () => {
  it('reaches every section, the purpose and signing out with Tab', async () => {
    const { page } = pages[0] ?? (await signedIn('admin'));
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('link', { name: 'Skip to content' }).focus();
    for (const name of ['Candor', 'Contacts', 'Companies', 'Deals', 'My tasks', 'Import and export', 'Privacy', 'Administration', /Purpose/, 'Sign out']) {
      await tabTo(page, name, { limit: 6 });
    }
  });
});

describe('signing out while a request is on its way', () => {
  it("ignores that request's late 401: a public page opened meanwhile stays, and a signed-in page then asks to sign in, not that a session ended", async () => {
    const { page } = await signedIn('sales');
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let heldOne = () => {};
    const held = new Promise<void>((resolve) => {
      heldOne = resolve;
    });
    const isContactList = (url: URL) => url.pathname === '/api/v1/contacts';
    await page.route(isContactList, async (route) => {
      heldOne();
      await released;
      await route.continue();
    });
    await page.goto(`${e2eServer().url}/contacts?sort=-createdAt`);
    await held;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();

    await openInApp(page, '/reset-password#token=x');
    await page.getByRole('heading', { level: 1, name: 'Choose a new password' }).waitFor();
    const refused = page.waitForResponse((response) => isContactList(new URL(response.url())));
    release();
    const answer = await refused;
    expect(answer.status()).toBe(401);
    await answer.finished();
    // A round trip through the page after the answer arrived: the app has handled it by then.
    await page.evaluate(async () => (await fetch('/api/v1/auth/me')).status);
    await page.unroute(isContactList);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Choose a new password');

    await openInApp(page, '/contacts');
    await page.getByRole('heading', { level: 1, name: /^(Sign in|Your session has ended)$/ }).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in');
  });
});

describe("a contact's custom fields", () => {
  it("are named on the contact's page by their definitions' labels", async () => {
    const { page } = await signedIn('sales');
    const response = await callApi('sales', '/api/v1/contacts', {
      method: 'POST',
      purpose: 'sales',
      body: JSON.stringify({ firstName: 'Lena', lastName: uniqueSurname('Labelled'), customFields: { [licence.key]: 25 } }),
    });
    if (response.status !== 201) throw new Error(`creating the contact answered ${response.status}: ${await response.text()}`);
    const { id } = ((await response.json()) as { data: { id: string } }).data;
    rememberTestContact(id);
    await page.goto(`${e2eServer().url}/contacts/${id}`);
    const details = page.getByRole('region', { name: 'Details' });
    const term = details.locator('dt', { hasText: licence.label });
    await term.waitFor();
    expect(await details.locator('dt').allTextContents()).not.toContain(licence.key);
    expect(await term.locator('xpath=following-sibling::dd').textContent()).toBe('25');
    await checkScreen(page, 'contact-custom-labels');
  });
});

describe('the pages seen', () => {
  it('asked nothing of another origin, came with the strict CSP, and broke none of its rules', () => {
    for (const recorded of pages) expectCandorOnly(recorded, e2eServer().url);
  });
});
