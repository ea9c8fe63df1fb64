import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousAccessibilityViolations } from './support/accessibility.ts';
import { openBrowser, openPage, type RecordedPage } from './support/browser.ts';
import { callApi, e2eServer } from './support/e2eServer.ts';
import { expectCandorOnly } from './support/pageRules.ts';
import { checkScreen } from './support/screenshots.ts';
import { fillSignInForm } from './support/signIn.ts';

// Signing in, the purpose lens in the header, the end of a session, signing out: a sales user
// of the demo workspace, in Chromium, against the one server of the browser tests.

let browser: Browser;
let recorded: RecordedPage;

beforeAll(async () => {
  browser = await openBrowser();
  recorded = await openPage(browser);
});
afterAll(() => browser?.close());

const apiRequests = () => recorded.requests.filter((request) => new URL(request.url).pathname.startsWith('/api/'));

describe('signing in', () => {
  it('sends a visitor without a session to the sign-in page, which passes an accessibility scan', async () => {
    const { page } = recorded;
    await page.goto(`${e2eServer().url}/contacts`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await checkScreen(page, 'sign-in');
  });

  it('says the credentials do not match, without saying which of them is wrong', async () => {
    const { page } = recorded;
    await fillSignInForm(page, 'sales', 'not the demo password');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('do not match an account');
  });

  it('signs a sales user in to the page they asked for, acting for Sales, with the purpose and its legal basis in the header', async () => {
    const { page } = recorded;
    await fillSignInForm(page, 'sales');
    await page.getByRole('table', { name: 'Contacts' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/contacts');
    const lens = page.getByRole('banner').getByRole('button', { name: /Purpose/ });
    expect(await lens.textContent()).toContain('Sales');
    expect(await page.getByRole('banner').textContent()).toContain('legitimate interests (Art. 6(1)(f))');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });
});

describe('the purpose lens', () => {
  it("offers exactly the purposes the workspace grants the user's role", async () => {
    const { page } = recorded;
    const grants = (await (await callApi('admin', '/api/v1/role-grants')).json()) as { data: Array<{ role: string; purposes: string[] }> };
    const salesPurposes = grants.data.find((grant) => grant.role === 'sales')?.purposes ?? [];
    expect(salesPurposes.length).toBeGreaterThan(0);
    await page
      .getByRole('banner')
      .getByRole('button', { name: /Purpose/ })
      .click();
    const options = page.getByRole('listbox').getByRole('option');
    await options.first().waitFor();
    const offered = await options.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-key')));
    expect(offered.sort()).toEqual([...salesPurposes].sort());
    await checkScreen(page, 'purpose-switcher');
  });

  it('reads the contacts again for the purpose chosen, showing what that purpose may not see as withheld with the reason', async () => {
    const { page } = recorded;
    const reread = page.waitForRequest((request) => request.url().includes('/api/v1/contacts?') && request.headers()['candor-purpose'] === 'order_fulfilment');
    await page.getByRole('option', { name: /Order fulfilment/ }).click();
    await reread;
    expect(
      await page
        .getByRole('banner')
        .getByRole('button', { name: /Purpose/ })
        .textContent(),
    ).toContain('Order fulfilment');
    await page.getByText('Withheld for this purpose').waitFor();
    expect(await page.locator('.withheld-summary').textContent()).toContain('Job title (not declared for Order fulfilment)');
    const firstJobTitle = page.getByRole('table', { name: 'Contacts' }).locator('tbody tr').first().locator('td').nth(3);
    expect(await firstJobTitle.textContent()).toBe('Withheld: not declared for Order fulfilment');
  });

  it('sends Candor-Purpose on every API request after signing in, naming a purpose the role is granted', () => {
    const requests = apiRequests();
    const signedIn = requests.findLastIndex((request) => request.url.endsWith('/api/v1/auth/login') && request.method === 'POST');
    // The first request after login asks which purposes the role is granted: it cannot name one yet.
    expect(requests[signedIn + 1].url).toMatch(/\/api\/v1\/auth\/me$/);
    const after = requests.slice(signedIn + 2);
    expect(after.filter((request) => !['sales', 'order_fulfilment'].includes(request.headers['candor-purpose'] ?? '')).map((request) => request.url)).toEqual(
      [],
    );
    const contactReads = after.filter((request) => new URL(request.url).pathname === '/api/v1/contacts');
    expect(contactReads.map((request) => request.headers['candor-purpose'])).toEqual(['sales', 'order_fulfilment']);
  });
});

describe('a grant withdrawn while the user works', () => {
  it('says the purpose in use was withdrawn from the role, and moves the user to one the role still has', async () => {
    const { page } = recorded;
    await page
      .getByRole('banner')
      .getByRole('button', { name: /Purpose/ })
      .click();
    await page.getByRole('option', { name: /Order fulfilment/ }).click();
    await expect
      .poll(() =>
        page
          .getByRole('banner')
          .getByRole('button', { name: /Purpose/ })
          .textContent(),
      )
      .toContain('Order fulfilment');
    const grant = (purposes: string[]) => callApi('admin', '/api/v1/role-grants/sales', { method: 'PUT', body: JSON.stringify({ purposes }) });
    expect((await grant(['sales'])).status).toBe(200);
    try {
      // The user's next request is refused (403 purpose_not_granted); the app reads the grants again.
      await page.getByRole('button', { name: /Updated/ }).click();
      const notice = page.getByRole('alert').filter({ hasText: 'no longer granted' });
      await notice.waitFor();
      expect(await notice.textContent()).toBe('Your role is no longer granted Order fulfilment: you now act for Sales.');
      await page
        .getByRole('banner')
        .getByRole('button', { name: /Purpose/ })
        .click();
      expect(await page.getByRole('option').count()).toBe(1);
      await page.keyboard.press('Escape');
      await page.getByRole('table', { name: 'Contacts' }).waitFor();
    } finally {
      expect((await grant(['sales', 'order_fulfilment'])).status).toBe(200);
    }
  });
});

describe('the end of a session', () => {
  it('shows a clear screen when the session ends while in use, and continues on the same page after signing in again', async () => {
    const { page, context } = recorded;
    await page.goto(`${e2eServer().url}/contacts?sort=-updatedAt`);
    await page.getByRole('table', { name: 'Contacts' }).waitFor();
    // As when the session expires: the server no longer knows the browser's cookie.
    await context.clearCookies();
    await page.getByRole('button', { name: /Created/ }).click();
    await page.getByRole('heading', { name: 'Your session has ended' }).waitFor();
    await checkScreen(page, 'session-ended');
    await fillSignInForm(page, 'sales');
    await page.getByRole('table', { name: 'Contacts' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/contacts');
    expect(new URL(page.url()).searchParams.get('sort')).toBe('-createdAt');
  });

  it('signs out: the session stops working at once and the sign-in page shows', async () => {
    const { page } = recorded;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    const me = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).status);
    expect(me).toBe(401);
  });
});

describe('the pages seen', () => {
  it('asked nothing of another origin, came with the strict CSP, and broke none of its rules', () => {
    expectCandorOnly(recorded, e2eServer().url);
  });
});
