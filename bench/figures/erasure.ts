import { advanceEpoch } from '../../src/kernel/index.ts';
import type { MemoryKeyStore } from '../../src/kernel/vault/index.ts';
import { expectStatus } from '../apiClient.ts';
import { openBenchEnvironment } from '../benchEnvironment.ts';
import { latencyRounds, percentile, quotients, spreadOf, timed } from '../measure.ts';
import { roundsFigure, type Figure } from '../report.ts';
import { sizedWorkspace, type SizedWorkspace } from '../sizedWorkspace.ts';

/*
 * Erasure of one subject (issue 13): DELETE /api/v1/contacts/{id}, the one path of every
 * erasure (legal-hold check, activities, scrub of webhook deliveries, idempotency records
 * and job payloads, erasures row, suppression, the record with its tokens, events, links,
 * audit index rows and key), in the measured workspace against a workspace of 1,000
 * contacts on a fresh database of its own, interleaved call by call; growth = the p50 at the
 * larger size ÷ at 1,000, per round, target <= 1.5. The key epoch advance that makes older
 * copies unreadable re-wraps every key of the workspace, so it grows with it by design: it
 * is measured on its own, once per size, after the erasures, and reported without a target.
 */

export const erasureReferenceContacts = 1_000;
const perRound = 10;
const warmUp = 3;

/** Contacts to erase, spread over the whole workspace (hashed order), never the first (the workspace's own). */
async function victims(workspace: SizedWorkspace, count: number): Promise<string[]> {
  const rows = await workspace.query<{ id: string }>('select id from contacts where tenant_id = $1 order by md5(id::text) limit $2', [
    workspace.env.tenantId,
    count,
  ]);
  if (rows.length < count) throw new Error(`only ${rows.length} contacts to erase, ${count} needed`);
  return rows.map((row) => row.id);
}

const eraser = (workspace: SizedWorkspace, ids: readonly string[]) => async (sample: number) =>
  expectStatus(workspace.client, { method: 'DELETE', url: `/api/v1/contacts/${ids[sample]}` }, 204);

export async function measureErasure(
  large: SizedWorkspace,
  keyStore: MemoryKeyStore,
  databaseUrl: string | undefined,
  rounds: number,
  progress: (line: string) => void,
): Promise<Figure[]> {
  const env = await openBenchEnvironment(databaseUrl);
  try {
    progress(`erasure: seeding the ${erasureReferenceContacts.toLocaleString('en')}-contact reference workspace`);
    const small = await sizedWorkspace(env, keyStore, erasureReferenceContacts);
    const needed = warmUp + rounds * perRound;
    const [smallIds, largeIds] = [await victims(small, needed), await victims(large, needed)];
    for (let sample = 0; sample < warmUp; sample += 1) {
      await eraser(small, smallIds)(sample);
      await eraser(large, largeIds)(sample);
    }
    const samples = await latencyRounds(rounds, perRound, [
      (sample) => eraser(small, smallIds)(warmUp + sample),
      (sample) => eraser(large, largeIds)(warmUp + sample),
    ]);
    const p50 = (values: number[][]) => values.map((round) => percentile(round, 50));
    const [smallP50, largeP50] = [p50(samples[0]), p50(samples[1])];
    progress('erasure: key epoch advance at both sizes');
    const advanceSmall = await timed(() => advanceEpoch(small.env.database, keyStore, small.env.tenantId));
    const advanceLarge = await timed(() => advanceEpoch(large.env.database, keyStore, large.env.tenantId));
    const sizes = `${large.contacts.toLocaleString('en')} ÷ ${erasureReferenceContacts.toLocaleString('en')} contacts`;
    return [
      roundsFigure(
        {
          name: `erasure of one subject (DELETE /contacts/{id}, epoch advance not counted) p50, ${sizes}`,
          candor: spreadOf(largeP50).median,
          baseline: spreadOf(smallP50).median,
          unit: 'ms',
          target: '<= 1.5',
          transport: 'in-process',
          baselineIs: `Candor's own p50 at ${erasureReferenceContacts.toLocaleString('en')} contacts (a fresh database of its own), same run, interleaved call by call; per round the p50 of ${perRound} erasures, median of ${rounds} per-round quotients`,
          contacts: large.contacts,
        },
        spreadOf(quotients(largeP50, smallP50)),
      ),
      {
        name: `key epoch advance after the erasures (re-wraps every key; reported on its own), ${sizes}`,
        candor: advanceLarge / 1000,
        baseline: advanceSmall / 1000,
        unit: 's',
        ratio: advanceLarge / advanceSmall,
        target: null,
        transport: 'in-process',
        baselineIs: `the same advance of the ${erasureReferenceContacts.toLocaleString('en')}-contact workspace; grows with the number of keys by design (src/kernel/vault/README.md)`,
        samples: 1,
        contacts: large.contacts,
      },
    ];
  } finally {
    await env.close();
  }
}
