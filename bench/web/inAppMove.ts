import type { Page, Request } from 'playwright-core';
import { alternate, median, quotients, spreadOf } from '../measure.ts';
import { clickUntilRows, contactRowsSelector, fetchJson, inPage } from './pageScripts.ts';
import type { WebFigure } from './webFigures.ts';

/** The API call the contacts page makes for its first page, as the browser sent it. */
export type ContactsCall = { url: string; headers: Record<string, string> };

type MoveSample = { inDocument: number; nextFrame: number; count: number };
type FetchSample = { ms: number; status: number; rows: number; total: number | null; totalIsLowerBound: boolean };

// Headers the browser adds itself (or that fetch() may not set): the replay leaves them to the browser.
const browserHeaders = /^(sec-|user-agent$|referer$|accept-language$|accept-encoding$|cookie$|host$|origin$|connection$)/i;

/** The first-page GET /api/v1/contacts the app sends, recorded while `work` runs. */
async function recordContactsCall(page: Page, work: () => Promise<unknown>): Promise<ContactsCall> {
  let call: ContactsCall | null = null;
  const listen = (request: Request) => {
    const url = new URL(request.url());
    if (request.method() === 'GET' && url.pathname === '/api/v1/contacts' && !url.searchParams.has('cursor')) {
      call ??= { url: request.url(), headers: Object.fromEntries(Object.entries(request.headers()).filter(([name]) => !browserHeaders.test(name))) };
    }
  };
  page.on('request', listen);
  try {
    await work();
  } finally {
    page.off('request', listen);
  }
  if (!call) throw new Error('the contacts page made no GET /api/v1/contacts');
  return call;
}

/** A fresh load of My tasks, settled: the page the move starts from, with no contacts cached in the app. */
export async function openTasks(page: Page, origin: string): Promise<void> {
  await page.goto(`${origin}/tasks`);
  await page.getByRole('heading', { name: 'My tasks', level: 1 }).waitFor();
  await page.waitForLoadState('networkidle');
}

const moveToContacts = (page: Page) => page.evaluate(inPage(clickUntilRows, { link: 'Contacts', rows: contactRowsSelector })) as Promise<MoveSample>;

/**
 * (a) From My tasks (loaded afresh each time, so the app holds no contacts), a click on the
 * Contacts link until the first page's rows are in the document, against a fetch() of the
 * same API call from the same page until its JSON is parsed; alternating, `rounds` each.
 */
export async function measureInAppMove(
  page: Page,
  origin: string,
  rounds: number,
  progress: (line: string) => void,
): Promise<{ figures: WebFigure[]; call: ContactsCall; total: number | null; totalIsLowerBound: boolean }> {
  await openTasks(page, origin);
  const call = await recordContactsCall(page, () => moveToContacts(page));
  const path = new URL(call.url).pathname + new URL(call.url).search;
  progress(`in-app move: the app asks GET ${path} with ${JSON.stringify(call.headers)}`);
  const moves: MoveSample[] = [];
  const fetches: FetchSample[] = [];
  const { candor, baseline } = await alternate(
    rounds,
    async () => {
      await openTasks(page, origin);
      const sample = await moveToContacts(page);
      moves.push(sample);
      return sample.inDocument;
    },
    async () => {
      await openTasks(page, origin);
      const sample = (await page.evaluate(inPage(fetchJson, call))) as FetchSample;
      if (sample.status !== 200) throw new Error(`the baseline fetch answered ${sample.status}`);
      fetches.push(sample);
      return sample.ms;
    },
  );
  const move = median(candor);
  const fetched = median(baseline);
  const spread = spreadOf(quotients(candor, baseline));
  progress(`in-app move p50 ${move.toFixed(0)} ms, fetch p50 ${fetched.toFixed(0)} ms, ratio ${(move / fetched).toFixed(2)}`);
  const same = `GET ${path} with the app's headers (${Object.keys(call.headers).join(', ')}), recorded from the app's own request`;
  const figures: WebFigure[] = [
    {
      name: 'in-app move My tasks → Contacts, click until the first rows are in the document, p50',
      value: move,
      unit: 'ms',
      target: null,
      samples: rounds,
      how: `My tasks loaded afresh and settled (network idle), then in the page: the Contacts link clicked, a MutationObserver notes when the table's first row has its text (${moves[0]?.count ?? 0} rows rendered of the page's ${fetches[0]?.rows ?? 0})`,
    },
    {
      name: 'in-app move, until the next animation frame after the rows, p50',
      value: median(moves.map((sample) => sample.nextFrame)),
      unit: 'ms',
      target: null,
      samples: rounds,
      how: 'as above, to the requestAnimationFrame callback after the rows were committed',
    },
    {
      name: 'fetch() of the same API call from the same page, until .json() resolves, p50',
      value: fetched,
      unit: 'ms',
      target: null,
      samples: rounds,
      how: `My tasks loaded afresh and settled, then in the page: fetch(${same}) and response.json()`,
    },
    {
      name: 'in-app move ÷ fetch() of the same call (ratio of the p50s)',
      value: move / fetched,
      unit: '×',
      target: '<= 2',
      samples: rounds,
      how: `${rounds} moves and ${rounds} fetches alternating (order rotated each round); spread = the per-pair ratios`,
      spread,
    },
  ];
  return { figures, call, total: fetches[0]?.total ?? null, totalIsLowerBound: fetches[0]?.totalIsLowerBound ?? false };
}
