import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Response } from 'playwright-core';
import { median } from '../measure.ts';
import { contactRowsSelector, inPage, noteWhenRowsAppear, rowsAppeared } from './pageScripts.ts';
import { kilobytes, type WebFigure } from './webFigures.ts';

export const viewport = { width: 1400, height: 900 };
type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;

/** One JavaScript file a first screen loaded: its size as served and gzipped. */
type ScriptFile = { url: string; bytes: number; gzipBytes: number; servedAs: string };

async function scriptFile(response: Response): Promise<ScriptFile> {
  const body = await response.body();
  const encoding = response.headers()['content-encoding'];
  // Compressed by the server: what crossed the wire; else what gzip -9 would send.
  const gzipBytes = encoding ? (await response.request().sizes()).responseBodySize : gzipSync(body, { level: 9 }).length;
  return { url: new URL(response.url()).pathname, bytes: body.length, gzipBytes, servedAs: encoding ?? 'uncompressed' };
}

/**
 * A page in a new context (so an empty HTTP cache), with `storageState` (the session cookie)
 * or none, collecting every JavaScript response it receives; `scripts()` must be awaited
 * before the context closes (a body cannot be read after).
 */
async function coldPage(browser: Browser, storageState: StorageState | undefined) {
  const context = await browser.newContext({ viewport, locale: 'en-GB', timezoneId: 'Europe/Amsterdam', storageState });
  const page = await context.newPage();
  const scripts: Promise<ScriptFile | Error>[] = [];
  page.on('response', (response) => {
    // Held as a value, not a rejected promise: a listener's failure must reach the caller, not end the process.
    if (new URL(response.url()).pathname.endsWith('.js') && response.ok()) scripts.push(scriptFile(response).catch((error: Error) => error));
  });
  const collected = async () => {
    const files = await Promise.all(scripts);
    const failed = files.find((file) => file instanceof Error);
    if (failed) throw failed;
    return files as ScriptFile[];
  };
  return { context, page, scripts: collected };
}

function jsFigure(screen: string, files: ScriptFile[]): WebFigure {
  const gzip = files.reduce((sum, file) => sum + file.gzipBytes, 0);
  const raw = files.reduce((sum, file) => sum + file.bytes, 0);
  const servedAs = [...new Set(files.map((file) => file.servedAs))].join(', ');
  return {
    name: `first-screen JavaScript, ${screen}, gzipped`,
    value: kilobytes(gzip),
    unit: 'kB',
    target: '<= 300',
    samples: files.length,
    how: `every .js response of a cold load (new context, empty cache) until the network is idle: ${files.length} files, ${kilobytes(raw).toFixed(0)} kB as served (${servedAs}${servedAs === 'uncompressed' ? ': gzipped here with node:zlib level 9' : ': the compressed bytes received'})`,
  };
}

/** (d) The JavaScript the sign-in screen loads, signed out, from an empty cache. */
export async function measureSignInScript(browser: Browser, origin: string): Promise<WebFigure> {
  const { context, page, scripts } = await coldPage(browser, undefined);
  try {
    await page.goto(`${origin}/sign-in`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.waitForLoadState('networkidle');
    return jsFigure('sign-in page (signed out)', await scripts());
  } finally {
    await context.close();
  }
}

/**
 * (c) and (d): `rounds` cold loads of /contacts signed in (session cookie, empty cache): from
 * the navigation's start to the first rows in the document; and the JavaScript the first
 * of them loaded.
 */
export async function measureColdLoads(
  browser: Browser,
  origin: string,
  storageState: StorageState,
  rounds: number,
  progress: (line: string) => void,
): Promise<WebFigure[]> {
  const loads: number[] = [];
  const contentLoaded: number[] = [];
  let script: WebFigure | null = null;
  for (let round = 0; round < rounds; round += 1) {
    const { context, page, scripts } = await coldPage(browser, storageState);
    try {
      await context.addInitScript(noteWhenRowsAppear(contactRowsSelector));
      await page.goto(`${origin}/contacts`);
      loads.push((await page.evaluate(inPage(rowsAppeared, { timeoutMs: 120_000 }))) as number);
      contentLoaded.push((await page.evaluate("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")) as number);
      await page.waitForLoadState('networkidle');
      const files = await scripts();
      script ??= jsFigure('contacts page (signed in)', files);
    } finally {
      await context.close();
    }
  }
  progress(`cold loads of /contacts: ${loads.map((ms) => ms.toFixed(0)).join(', ')} ms to rows`);
  const how =
    'a new browser context each time (empty HTTP cache) holding the session cookie, page.goto(/contacts); a MutationObserver installed before any script notes the first row with text; time since the navigation started (performance.now())';
  return [
    {
      name: 'cold load of /contacts signed in, navigation start → first rows in the document, p50',
      value: median(loads),
      unit: 'ms',
      target: null,
      samples: rounds,
      how,
    },
    {
      name: 'cold load of /contacts signed in, navigation start → DOMContentLoaded, p50',
      value: median(contentLoaded),
      unit: 'ms',
      target: null,
      samples: rounds,
      how: 'the same loads; the navigation timing entry',
    },
    ...(script ? [script] : []),
  ];
}
