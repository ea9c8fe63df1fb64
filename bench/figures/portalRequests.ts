import { contactAt } from '../fixtures.ts';
import { latencyRounds, percentile, quotients, spreadOf } from '../measure.ts';
import { roundsFigure, type Figure } from '../report.ts';
import type { SizedWorkspace } from '../sizedWorkspace.ts';

/*
 * The portal's answer must not tell who is a customer (issue 13): a rights request for an
 * address no contact holds does the same work as one for a known address — match by blind
 * index, seal, store, issue a code and link, mail. Timed here, not in CI: POST
 * /portal/{workspace}/requests for a known contact's address against a fresh unknown
 * address, interleaved call by call, in-process (the mailer discards). The ratio unknown ÷
 * known p50 should be close to 1 both ways; the figure has no one-sided target.
 */

const perRound = 10;
const warmUp = 3;

export async function measurePortalRequests(workspace: SizedWorkspace, rounds: number): Promise<Figure> {
  const [row] = await workspace.query<{ slug: string }>('select slug from workspaces where id = $1', [workspace.env.tenantId]);
  const samples = warmUp + rounds * perRound;
  // Each sample its own client address and requester, so the per-client and per-address limits never answer instead.
  const ask = (email: string, sample: number, series: number) => async () => {
    const response = await workspace.env.app.inject({
      method: 'POST',
      url: `/api/v1/portal/${row.slug}/requests`,
      payload: { kind: 'access', regime: 'gdpr', email },
      remoteAddress: `198.18.${series}.${sample % 250}`,
    });
    if (response.statusCode !== 202) throw new Error(`portal request answered ${response.statusCode}: ${response.body.slice(0, 200)}`);
  };
  // Known addresses spread over the workspace (the first 1,000 contacts of the seed).
  const known = (sample: number) => ask(contactAt(Math.floor((sample * 7919) % Math.min(workspace.contacts, 1_000))).personal.email as string, sample, 1);
  const unknown = (sample: number) => ask(`nobody-${sample}-${Date.now()}@portal-bench.invalid`, sample, 2);
  for (let sample = 0; sample < warmUp; sample += 1) {
    await known(samples + sample)();
    await unknown(samples + sample)();
  }
  const [knownSamples, unknownSamples] = await latencyRounds(rounds, perRound, [(sample) => known(sample)(), (sample) => unknown(sample)()]);
  const p50 = (values: number[][]) => values.map((round) => percentile(round, 50));
  const [knownP50, unknownP50] = [p50(knownSamples), p50(unknownSamples)];
  return roundsFigure(
    {
      name: 'portal rights request for an unknown address ÷ a known one (POST /portal/{workspace}/requests) p50: should be ≈ 1',
      candor: spreadOf(unknownP50).median,
      baseline: spreadOf(knownP50).median,
      unit: 'ms',
      target: null,
      transport: 'in-process',
      baselineIs: `the same request for a known contact's address, same run, interleaved call by call; per round the p50 of ${perRound} requests, median of ${rounds} per-round quotients`,
      contacts: workspace.contacts,
    },
    spreadOf(quotients(unknownP50, knownP50)),
  );
}
