import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookUpAnonymousIds } from '../../src/kernel/index.ts';
import { openBrowser, openPage, type RecordedPage } from './support/browser.ts';
import { focusedName, tabTo } from './support/keyboard.ts';
import { checkScreen } from './support/screenshots.ts';
import { closeSite, type Site, startSite, startWidgetCandor, type WidgetCandor } from './support/widgetServers.ts';

/*
 * The consent widget as a visitor meets it: a plain site on one origin embeds the script from
 * Candor on another, under a strict CSP of its own. The two choice buttons are alike in size
 * and style, nothing is ticked, the dialog works by keyboard alone and passes axe, the page
 * asks nothing of a third origin and Candor sets no cookie; and "accept analytics, browse,
 * withdraw, browse again" leaves events in Candor's raw tables for the consented part only.
 */

let browser: Browser;
let visitor: RecordedPage;
let site: Site;
let candor: WidgetCandor;

const hostPage = (path: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Lantern shop ${path}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src ${candor.url}; connect-src ${candor.url}; style-src 'self'">
</head><body>
<header><p>Lantern shop</p><nav aria-label="Site"><a href="/">Home</a> <a href="/lamps">Lamps</a> <a href="/about">About us</a></nav></header>
<main><h1>Handmade lamps</h1><p>Page ${path}</p></main>
<script src="${candor.url}/widget/consent.js" data-form-key="${candor.formKey}" defer></script>
</body></html>`;

beforeAll(async () => {
  site = await startSite(hostPage);
  candor = await startWidgetCandor(site.origin);
  browser = await openBrowser();
  visitor = await openPage(browser);
});
afterAll(async () => {
  await browser?.close();
  await candor?.close();
  if (site) await closeSite(site);
});

const dialog = () => visitor.page.getByRole('dialog', { name: 'Your privacy choices' });
// Given as text: it runs in the page, whose DOM this Node project has no types for.
const inWidget = (body: string) => visitor.page.evaluate(`(() => { const root = document.querySelector('[data-candor-consent]').shadowRoot; ${body} })()`);

async function visitorProfile(): Promise<string> {
  const anonymousId = (await visitor.page.evaluate("localStorage.getItem('candor.visitor')")) as string;
  expect(anonymousId).toMatch(/^[0-9a-f-]{36}$/);
  const found = (await lookUpAnonymousIds(candor.database.db, candor.tenantId, [anonymousId])).get(anonymousId);
  expect(found?.visitorId).toBeTruthy();
  return found!.visitorId!;
}

async function storedEvents(visitorId: string): Promise<number> {
  const [row] = await candor.database.query<{ n: number }>('select count(*)::int as n from events where tenant_id = $1 and visitor_id = $2', [
    candor.tenantId,
    visitorId,
  ]);
  return row.n;
}

const analyticsState = async (visitorId: string) =>
  (
    await candor.database.query<{ state: string }>(
      "select state from consent_states where tenant_id = $1 and subject_id = $2 and purpose_key = 'web_analytics'",
      [candor.tenantId, visitorId],
    )
  )[0]?.state;

describe('the consent widget on another site', () => {
  it('opens on the first visit with nothing ticked, and Reject all exactly as prominent as Accept all', async () => {
    const { page } = visitor;
    await page.goto(`${site.origin}/`);
    await dialog().waitFor();
    const boxes = dialog().getByRole('checkbox');
    expect(await boxes.count()).toBe(3);
    for (const box of await boxes.all()) expect(await box.isChecked()).toBe(false);
    expect(await dialog().getByText('Understanding how visitors use our website').count()).toBe(1);
    const reject = dialog().getByRole('button', { name: 'Reject all' });
    const accept = dialog().getByRole('button', { name: 'Accept all' });
    const [rejectBox, acceptBox] = [await reject.boundingBox(), await accept.boundingBox()];
    expect(rejectBox && acceptBox && { width: rejectBox.width, height: rejectBox.height }).toEqual({ width: acceptBox?.width, height: acceptBox?.height });
    const styles = (await inWidget(`
      const styleOf = (action) => { const style = getComputedStyle(root.querySelector('[data-action="' + action + '"]'));
        return Object.fromEntries(Array.from(style, (name) => [name, style.getPropertyValue(name)])); };
      return { reject: styleOf('reject'), accept: styleOf('accept'), tags: ['reject', 'accept'].map((a) => root.querySelector('[data-action="' + a + '"]').tagName + '.' + root.querySelector('[data-action="' + a + '"]').className) };
    `)) as { reject: Record<string, string>; accept: Record<string, string>; tags: string[] };
    expect(Object.keys(styles.reject).length).toBeGreaterThan(100);
    expect(styles.reject).toEqual(styles.accept);
    expect(styles.tags).toEqual(['BUTTON.choice-button', 'BUTTON.choice-button']);
    await checkScreen(page, 'consent-widget');
  });

  it('is a modal dialog a keyboard works: the focus starts inside, stays inside, and Escape closes it', async () => {
    const { page } = visitor;
    expect(await inWidget("return root.activeElement === root.querySelector('input[type=checkbox]');")).toBe(true);
    await tabTo(page, 'Save my choices', { limit: 8 });
    await page.keyboard.press('Tab');
    expect(await focusedName(page)).toBe('Targeted advertising');
    await page.keyboard.press('Shift+Tab');
    expect(await focusedName(page)).toBe('Save my choices');
    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'hidden' });
    expect(await focusedName(page)).toBe('Privacy choices');
    await page.keyboard.press('Enter');
    await dialog().waitFor();
  });

  it('stores page views only while the visitor agrees: accept analytics, browse, withdraw through Privacy choices, browse again', async () => {
    const { page } = visitor;
    // Accept web analytics alone, by keyboard.
    await tabTo(page, 'Web analytics', { limit: 6 });
    await page.keyboard.press('Space');
    await tabTo(page, 'Save my choices', { limit: 6 });
    await page.keyboard.press('Enter');
    await dialog().waitFor({ state: 'hidden' });
    const visitorId = await visitorProfile();
    expect(await analyticsState(visitorId)).toBe('given');
    for (const path of ['/lamps', '/about']) {
      await page.goto(`${site.origin}${path}`);
      await page.getByRole('button', { name: 'Privacy choices' }).waitFor();
    }
    // The page agreed on and the two after it.
    await expect.poll(() => storedEvents(visitorId), { timeout: 10_000 }).toBe(3);

    // Withdraw: Privacy choices, then Reject all, by keyboard.
    await tabTo(page, 'Privacy choices', { limit: 10 });
    await page.keyboard.press('Enter');
    await dialog().waitFor();
    expect(await dialog().getByRole('checkbox', { checked: true }).count()).toBe(1);
    await tabTo(page, 'Reject all', { limit: 8 });
    await page.keyboard.press('Enter');
    await dialog().waitFor({ state: 'hidden' });
    await expect.poll(() => analyticsState(visitorId)).toBe('withdrawn');

    for (const path of ['/', '/lamps', '/about']) {
      await page.goto(`${site.origin}${path}`);
      await page.getByRole('button', { name: 'Privacy choices' }).waitFor();
      expect(await dialog().isVisible()).toBe(false);
    }
    await page.waitForTimeout(500);
    expect(await storedEvents(visitorId)).toBe(3);
    const ledger = await candor.database.query<{ state: string; channel: string; notice_version: number }>(
      "select state, channel, notice_version from consent_events where tenant_id = $1 and subject_id = $2 and purpose_key = 'web_analytics' order by recorded_at",
      [candor.tenantId, visitorId],
    );
    expect(ledger).toEqual([
      { state: 'given', channel: 'widget', notice_version: 1 },
      { state: 'withdrawn', channel: 'widget', notice_version: 1 },
    ]);
  });

  it('asked nothing of a third origin, and Candor set no cookie', async () => {
    const allowed = new Set([site.origin, new URL(candor.url).origin]);
    expect(visitor.requests.length).toBeGreaterThan(10);
    expect(visitor.requests.filter((request) => !allowed.has(new URL(request.url).origin)).map((request) => request.url)).toEqual([]);
    expect(visitor.requests.some((request) => request.url.startsWith(`${candor.url}/api/v1/collect`))).toBe(true);
    expect(await visitor.context.cookies([candor.url])).toEqual([]);
    expect(await visitor.context.cookies([site.origin])).toEqual([]);
    expect(visitor.faults).toEqual([]);
  });
});
