import { expectStatus } from '../apiClient.ts';
import { readContactsById } from '../independent/sealedReads.ts';
import { latencyRounds, percentile, quotients, spreadOf } from '../measure.ts';
import { roundsFigure, type Figure } from '../report.ts';
import type { SizedWorkspace } from '../sizedWorkspace.ts';

/*
 * GET /contacts, one page of 50, for each allowed sort (and lastActivityAt descending, whose
 * NULLs come last), at the first page and at a page deep in the walk (after 90% of the
 * contacts, at most 10,000 rows in), against the baseline: a raw SELECT of the same 50 rows
 * by primary key joined with their wrapped keys, unwrap (the baseline's own key cache, as
 * Candor keeps one) and decrypt of every field — the least any list must do to return them.
 * Per round, 15 requests of each interleaved; the figure is the median over rounds of the
 * per-round p50 (or p95) ratio. With two sizes, the growth figure is Candor's own p50 at the
 * larger size ÷ at the smaller, per round, in the same run.
 */

const pageSize = 50;
const walkPageSize = 200;
const perRound = 15;
export const listSorts = ['createdAt', 'updatedAt', 'lastActivityAt', '-lastActivityAt'] as const;

type Page = { url: string; ids: string[] };
type ListBody = { data: Array<{ id: string }>; nextCursor: string | null };

const pageUrl = (sort: string, limit: number, cursor: string | null) =>
  `/api/v1/contacts?sort=${encodeURIComponent(sort)}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;

/** The page of 50 that starts after `skip` rows, found by walking pages of 200. */
async function pageAfter(workspace: SizedWorkspace, sort: string, skip: number): Promise<Page> {
  let cursor: string | null = null;
  for (let walked = 0; walked < skip; walked += walkPageSize) {
    const page = JSON.parse(await expectStatus(workspace.client, { method: 'GET', url: pageUrl(sort, walkPageSize, cursor) }, 200)) as ListBody;
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  const url = pageUrl(sort, pageSize, cursor);
  const page = JSON.parse(await expectStatus(workspace.client, { method: 'GET', url }, 200)) as ListBody;
  if (page.data.length !== pageSize) throw new Error(`${url} returned ${page.data.length} rows, expected ${pageSize}`);
  return { url, ids: page.data.map((row) => row.id) };
}

// 10,000 rows in (a 200-page walk of 50) at most: walking further costs minutes per sort at 100,000 contacts on this machine.
export const deepSkip = (contacts: number) => Math.min(10_000, Math.floor((contacts * 0.9) / walkPageSize) * walkPageSize);

export async function measureListPages(workspaces: readonly SizedWorkspace[], rounds: number, progress: (line: string) => void): Promise<Figure[]> {
  const figures: Figure[] = [];
  const baselineIs =
    'raw SELECT of the same 50 rows by primary key joined with their wrapped keys, unwrap (own key cache) and decrypt of every field, straight to the driver';
  for (const sort of listSorts) {
    for (const position of ['first page', 'deep page'] as const) {
      const pages: Page[] = [];
      for (const workspace of workspaces) pages.push(await pageAfter(workspace, sort, position === 'first page' ? 0 : deepSkip(workspace.contacts)));
      progress(`list sort=${sort}, ${position}`);
      const caches = workspaces.map(() => new Map<string, Buffer>());
      const series = workspaces.flatMap((workspace, which) => [
        () => expectStatus(workspace.client, { method: 'GET', url: pages[which].url }, 200),
        () => readContactsById(workspace.query, workspace.keys, workspace.env.tenantId, pages[which].ids, caches[which]),
      ]);
      for (const run of series) await run();
      const samples = await latencyRounds(rounds, perRound, series);
      const perRoundPercentile = (values: number[][], p: number) => values.map((round) => percentile(round, p));
      workspaces.forEach((workspace, which) => {
        const candor = samples[2 * which];
        const baseline = samples[2 * which + 1];
        const where = position === 'first page' ? 'first page' : `page after ${deepSkip(workspace.contacts).toLocaleString('en')} rows`;
        for (const p of [50, 95]) {
          const candorP = perRoundPercentile(candor, p);
          const baselineP = perRoundPercentile(baseline, p);
          figures.push(
            roundsFigure(
              {
                name: `list page p${p}, sort=${sort}, ${where}, ${workspace.contacts.toLocaleString('en')} contacts`,
                candor: spreadOf(candorP).median,
                baseline: spreadOf(baselineP).median,
                unit: 'ms',
                target: p === 95 ? '<= 3' : null,
                transport: 'in-process',
                baselineIs: `${baselineIs}; per round the p${p} of ${perRound} interleaved requests, median of ${rounds} rounds`,
                contacts: workspace.contacts,
              },
              spreadOf(quotients(candorP, baselineP)),
            ),
          );
        }
      });
      if (workspaces.length === 2) {
        const [small, large] = workspaces;
        const smallP50 = perRoundPercentile(samples[0], 50);
        const largeP50 = perRoundPercentile(samples[2], 50);
        figures.push(
          roundsFigure(
            {
              name: `list page p50 growth, sort=${sort}, ${position}, ${large.contacts.toLocaleString('en')} ÷ ${small.contacts.toLocaleString('en')} contacts`,
              candor: spreadOf(largeP50).median,
              baseline: spreadOf(smallP50).median,
              unit: 'ms',
              target: '<= 1.3',
              transport: 'in-process',
              baselineIs: `Candor's own p50 in a workspace of ${small.contacts.toLocaleString('en')} contacts, same run, interleaved request by request; median of ${rounds} per-round quotients`,
              contacts: large.contacts,
            },
            spreadOf(quotients(largeP50, smallP50)),
          ),
        );
      }
    }
  }
  return figures;
}
