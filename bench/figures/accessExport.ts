import { readSubjectRows } from '../independent/subjectRows.ts';
import { latencyRounds, percentile, quotients, spreadOf } from '../measure.ts';
import { roundsFigure, type Figure } from '../report.ts';
import type { SizedWorkspace } from '../sizedWorkspace.ts';

/*
 * The access export of one subject (issue 13): POST /contacts/{id}/access-exports as JSON,
 * built in the request (no job runner in the bench, so Candor builds it at once): the kernel's
 * subject access read under dsr_fulfilment (every stored value opened, events, consents with
 * receipts, deals, purchases, activities, visitors, restrictions, objections, the audit
 * trail), the Art. 15 context, the JSON, the file sealed under the subject's key and stored,
 * its progress and audit entries — against a raw SELECT of the same rows with node:crypto
 * (bench/independent/subjectRows.ts). Subjects are spread over the workspace; each round's
 * p50, median over rounds.
 */

const perRound = 10;

export async function measureAccessExport(workspace: SizedWorkspace, events: number, rounds: number): Promise<Figure> {
  const ids = workspace.seed.contactIds;
  const subjectAt = (sample: number) => ids[(sample * 7919) % ids.length]!;
  const { app, tenantId, apiKey } = workspace.env;
  const candor = async (sample: number) => {
    const response = await app.inject({
      method: 'POST',
      url: `/api/v1/contacts/${subjectAt(sample)}/access-exports`,
      payload: { format: 'json' },
      headers: { authorization: `Bearer ${apiKey}`, 'candor-purpose': 'dsr_fulfilment', 'content-type': 'application/json' },
    });
    const body = JSON.parse(response.body) as { data?: { status: string; byteSize: number } };
    if (response.statusCode !== 202 || body.data?.status !== 'ready')
      throw new Error(`access export answered ${response.statusCode}: ${response.body.slice(0, 300)}`);
    return body.data.byteSize;
  };
  const baseline = (sample: number) => readSubjectRows(workspace.query, workspace.keys, tenantId, subjectAt(sample));
  // Both must see the subject's rows: its events, and (the export just made is in it) its trail.
  const [candorBytes, baselineJson] = [await candor(rounds * perRound), await baseline(rounds * perRound)];
  if (candorBytes <= 0 || (events > 0 && !baselineJson.includes('"page_view"'))) throw new Error('the access export or its baseline read no events');
  if ((JSON.parse(baselineJson) as { trail: unknown[] }).trail.length === 0) throw new Error("the baseline found none of the subject's audit entries");
  const samples = await latencyRounds(rounds, perRound, [candor, baseline]);
  const p50 = (values: number[][]) => values.map((round) => percentile(round, 50));
  return roundsFigure(
    {
      name: `access export of one subject (JSON, sealed), ${workspace.contacts.toLocaleString('en')} contacts and ${events.toLocaleString('en')} events`,
      candor: spreadOf(p50(samples[0]!)).median,
      baseline: spreadOf(p50(samples[1]!)).median,
      unit: 'ms',
      target: '<= 5',
      transport: 'in-process',
      baselineIs: `raw SELECTs of the same rows (contact and key, events, consents, deals, purchases, activities, visitors, restrictions, objections, the audit entries naming the subject by its pseudonym, derived from its key with node:crypto), unwrap and decrypt with node:crypto, JSON.stringify; not the Art. 15 context, sealing, storing or auditing, which Candor does on top; per round the p50 of ${perRound} interleaved subjects, median of ${rounds} rounds`,
      contacts: workspace.contacts,
    },
    spreadOf(quotients(p50(samples[0]!), p50(samples[1]!))),
  );
}
