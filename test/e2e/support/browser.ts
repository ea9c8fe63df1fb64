import { existsSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/*
 * Debian's Chromium, driven by playwright-core (never `playwright install`). Each test file
 * opens one browser; every page it opens records what the browser did, so a test can assert
 * that it asked nothing of another origin and broke no rule of the Content-Security-Policy.
 */

// As root in a container: no sandbox; and no traffic of Chromium's own (updates, sync, safe browsing).
const launchArguments = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const chromiumPath = '/usr/bin/chromium';

export function openBrowser(): Promise<Browser> {
  if (!existsSync(chromiumPath)) throw new Error(`The browser tests need Debian's Chromium at ${chromiumPath}: apt-get install -y chromium`);
  return chromium.launch({ executablePath: chromiumPath, args: launchArguments });
}

export type RecordedRequest = { method: string; url: string; headers: Record<string, string> };
export type HtmlResponse = { url: string; status: number; headers: Record<string, string>; body: string };

export type RecordedPage = {
  page: Page;
  context: BrowserContext;
  /** Every request the page made, in order. */
  requests: RecordedRequest[];
  /** Every HTML document the browser received, with its headers. */
  htmlResponses: HtmlResponse[];
  /** CSP violations, uncaught exceptions and console errors other than failed HTTP statuses (which the tests check themselves). */
  faults: string[];
};

export async function openPage(browser: Browser, viewport = { width: 1400, height: 900 }): Promise<RecordedPage> {
  const context = await browser.newContext({ viewport, locale: 'en-GB', timezoneId: 'Europe/Amsterdam' });
  const page = await context.newPage();
  const recorded: RecordedPage = { page, context, requests: [], htmlResponses: [], faults: [] };
  // A binding, not an injected <script>: the page's CSP must not have to allow the recorder.
  await context.exposeBinding('reportCspViolation', (_source, violation: string) => {
    recorded.faults.push(`CSP violation: ${violation}`);
  });
  // Given as text: it runs in the page, whose DOM this Node project has no types for.
  await context.addInitScript(`document.addEventListener('securitypolicyviolation', (event) =>
    window.reportCspViolation(event.violatedDirective + ' blocked ' + (event.blockedURI || 'inline') + ' at ' + event.sourceFile + ':' + event.lineNumber));`);
  page.on('request', (request) => recorded.requests.push({ method: request.method(), url: request.url(), headers: request.headers() }));
  page.on('response', async (response) => {
    if (response.request().resourceType() !== 'document') return;
    recorded.htmlResponses.push({ url: response.url(), status: response.status(), headers: response.headers(), body: await response.text() });
  });
  page.on('pageerror', (error) => recorded.faults.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource: the server responded with a status of')) {
      recorded.faults.push(`console: ${message.text()}`);
    }
  });
  return recorded;
}
