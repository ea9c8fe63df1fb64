import { foldName } from '../../src/kernel/index.ts';
import { expectStatus } from '../apiClient.ts';
import { contactAt } from '../fixtures.ts';
import { readContactsById } from '../independent/sealedReads.ts';
import { quotients, spreadOf, timed } from '../measure.ts';
import { roundsFigure, type Figure } from '../report.ts';
import type { SizedWorkspace } from '../sizedWorkspace.ts';

/*
 * Name-prefix search over a fixed set of 50 three-letter prefixes (the most frequent
 * last-name prefixes among the first 2,000 seeded contacts, which every size holds):
 * POST /contacts/search {name}, the first page of up to 100 matches per prefix, total time ÷
 * number of matches returned — the cost of what is found. Baseline: the same matched
 * rows read by primary key with their wrapped keys, unwrapped (own cache) and decrypted.
 * One round = the 50 prefixes through Candor, then through the baseline (order alternating
 * by round). With two sizes, growth = Candor's time per match at the larger size ÷ at the smaller.
 */

// The first page a person sees: at 100k contacts a 3-letter prefix matches ~1,000 people, and
// reading all of them 5 times per side would take the whole run; cost per match is the point.
const pageLimit = 100;
const maxPages = 1;
const prefixCount = 50;

export function searchPrefixes(): string[] {
  const counts = new Map<string, number>();
  for (let index = 0; index < 2_000; index += 1) {
    const word = foldName(String(contactAt(index).personal.last_name)).find((part) => part.length >= 3);
    if (word) counts.set(word.slice(0, 3), (counts.get(word.slice(0, 3)) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, prefixCount)
    .map(([prefix]) => prefix);
}

type SearchBody = { data: Array<{ id: string }>; nextCursor: string | null };

async function searchAll(workspace: SizedWorkspace, prefix: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page += 1) {
    const body = { name: prefix, limit: pageLimit, ...(cursor ? { cursor } : {}) };
    const result = JSON.parse(await expectStatus(workspace.client, { method: 'POST', url: '/api/v1/contacts/search', body }, 200)) as SearchBody;
    ids.push(...result.data.map((row) => row.id));
    if (!result.nextCursor) break;
    cursor = result.nextCursor;
  }
  return ids;
}

export async function measureNamePrefixSearch(workspaces: readonly SizedWorkspace[], rounds: number): Promise<Figure[]> {
  const prefixes = searchPrefixes();
  const perMatch = workspaces.map(() => ({ candor: [] as number[], baseline: [] as number[], matches: 0 }));
  const sides: Array<{ candor: () => Promise<number>; baseline: () => Promise<number> }> = [];
  for (const [which, workspace] of workspaces.entries()) {
    const matched = new Map<string, string[]>();
    for (const prefix of prefixes) matched.set(prefix, await searchAll(workspace, prefix));
    perMatch[which].matches = [...matched.values()].reduce((sum, ids) => sum + ids.length, 0);
    if (perMatch[which].matches === 0) throw new Error('no contact matched any of the 50 prefixes');
    const cache = new Map<string, Buffer>();
    sides.push({
      candor: () =>
        timed(async () => {
          for (const prefix of prefixes) await searchAll(workspace, prefix);
        }),
      baseline: () =>
        timed(async () => {
          for (const ids of matched.values()) if (ids.length > 0) await readContactsById(workspace.query, workspace.keys, workspace.env.tenantId, ids, cache);
        }),
    });
    await sides[which].baseline();
  }
  // Rounds outermost, sizes and sides inside in alternating order: drift falls on all alike.
  for (let round = 0; round < rounds; round += 1) {
    for (const [which, side] of sides.entries()) {
      const matches = perMatch[which].matches;
      if (round % 2 === 0) {
        perMatch[which].candor.push((await side.candor()) / matches);
        perMatch[which].baseline.push((await side.baseline()) / matches);
      } else {
        perMatch[which].baseline.push((await side.baseline()) / matches);
        perMatch[which].candor.push((await side.candor()) / matches);
      }
    }
  }
  const figures = workspaces.map((workspace, which) =>
    roundsFigure(
      {
        name: `name-prefix search, 50 fixed 3-letter prefixes, time per match (${perMatch[which].matches.toLocaleString('en')} matches), ${workspace.contacts.toLocaleString('en')} contacts`,
        candor: spreadOf(perMatch[which].candor).median,
        baseline: spreadOf(perMatch[which].baseline).median,
        unit: 'ms/match',
        target: null,
        transport: 'in-process',
        baselineIs: `the same matched rows read by primary key with their wrapped keys, unwrap (own cache) and decrypt, straight to the driver; the first ${maxPages === 1 ? '' : `${maxPages} `}page of up to ${pageLimit} matches per prefix; median of ${rounds} rounds`,
        contacts: workspace.contacts,
      },
      spreadOf(quotients(perMatch[which].candor, perMatch[which].baseline)),
    ),
  );
  if (workspaces.length === 2) {
    const [small, large] = workspaces;
    figures.push(
      roundsFigure(
        {
          name: `name-prefix search time per match, growth ${large.contacts.toLocaleString('en')} ÷ ${small.contacts.toLocaleString('en')} contacts`,
          candor: spreadOf(perMatch[1].candor).median,
          baseline: spreadOf(perMatch[0].candor).median,
          unit: 'ms/match',
          target: '<= 1.5',
          transport: 'in-process',
          baselineIs: `Candor's own time per match over the same 50 prefixes at ${small.contacts.toLocaleString('en')} contacts, same run; median of ${rounds} per-round quotients`,
          contacts: large.contacts,
        },
        spreadOf(quotients(perMatch[1].candor, perMatch[0].candor)),
      ),
    );
  }
  return figures;
}
