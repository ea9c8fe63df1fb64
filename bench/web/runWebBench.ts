import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { demoPassword } from '../../src/crm/seed/demoWorkspace.ts';
import { openBrowser } from '../../test/e2e/support/browser.ts';
import { measureColdLoads, measureSignInScript, viewport } from './coldLoad.ts';
import { seedDemo, serveDemo } from './demoServer.ts';
import { measureInAppMove } from './inAppMove.ts';
import { measureScroll } from './scrollRows.ts';
import type { WebResults } from './webFigures.ts';

export type WebBenchOptions = { contacts: number; dataDir: string | undefined };

// 15 of each side as the issue asks; cold loads are slower and vary less.
const moveRounds = 15;
const coldRounds = 5;
const scrollTarget = 2_000;

const loadNow = () => loadavg().map((value) => Number(value.toFixed(2)));

async function signInAsSales(page: Page, origin: string): Promise<void> {
  await page.goto(`${origin}/sign-in`);
  await page.getByLabel('Workspace').fill('demo');
  await page.getByLabel('E-mail address').fill('sales@demo.candor.localhost');
  await page.getByLabel('Password', { exact: true }).fill(demoPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('table', { name: 'Contacts' }).waitFor({ timeout: 120_000 });
}

/**
 * The web figures: `candor seed --demo --contacts N` into a data directory, `candor serve`
 * on it, and the web app in Chromium signed in as the demo's sales user.
 */
export async function runWebBench(options: WebBenchOptions, progress: (line: string) => void): Promise<WebResults> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'candor-webbench-'));
  const notes: string[] = [];
  try {
    progress(`web: candor seed --demo --contacts ${options.contacts} into ${dataDir}`);
    const seedSeconds = await seedDemo(dataDir, options.contacts);
    notes.push(
      options.dataDir
        ? `candor seed --demo --contacts ${options.contacts} on the kept data directory took ${seedSeconds.toFixed(0)} s (it adds only what is missing)`
        : `candor seed --demo --contacts ${options.contacts} into a fresh data directory took ${seedSeconds.toFixed(0)} s`,
    );
    const server = await serveDemo(dataDir);
    progress(`web: candor serve at ${server.url}`);
    const browser = await openBrowser();
    try {
      const start = loadNow();
      const context = await browser.newContext({ viewport, locale: 'en-GB', timezoneId: 'Europe/Amsterdam' });
      const page = await context.newPage();
      await signInAsSales(page, server.url);
      const move = await measureInAppMove(page, server.url, moveRounds, progress);
      const total = move.total ?? options.contacts;
      // A quick run's workspace may hold fewer rows than the scroll asks for: stop a screen short of its end.
      const target = Math.min(scrollTarget, total - 30);
      const scroll = await measureScroll(page, server.url, target, progress);
      const storageState = await context.storageState();
      await context.close();
      const cold = await measureColdLoads(browser, server.url, storageState, coldRounds, progress);
      const signInScript = await measureSignInScript(browser, server.url);
      notes.push(
        `the sales user (purpose sales) may see ${move.totalIsLowerBound ? 'more than ' : ''}${total.toLocaleString('en')} of the ${options.contacts.toLocaleString('en')} demo contacts (the list's count is capped); viewport ${viewport.width}×${viewport.height}`,
        'Chromium headless (Debian package, test/e2e/support/browser.ts flags) and the server on one shared 2-core machine: absolute times include other helpers’ load (see loadAverage); ratios are within one run',
      );
      return {
        measuredAt: new Date().toISOString(),
        contacts: options.contacts,
        database: 'pglite (embedded, on disk; candor serve)',
        browser: browser.version(),
        loadAverage: { start, end: loadNow() },
        figures: [...move.figures, ...scroll, ...cold, signInScript],
        notes,
      };
    } finally {
      await browser.close();
      await server.stop();
    }
  } finally {
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}
