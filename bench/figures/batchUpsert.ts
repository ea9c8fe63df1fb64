import { contactApiBody, contactAt, plainContactOf } from '../fixtures.ts';
import { baselineAuditTables, type RawTransaction } from '../independent/contactIngest.ts';
import { upsertContactsBaseline } from '../independent/contactBatch.ts';
import { quotients, spreadOf, timed } from '../measure.ts';
import { rawTransaction } from '../rawSql.ts';
import { notAvailableFigure, roundsFigure, type Figure } from '../report.ts';
import type { SizedWorkspace } from '../sizedWorkspace.ts';

/*
 * Batch upsert of 1,000 new contacts by e-mail: POST /api/v1/contacts/batch (the bulk API
 * of issue 9) against the independent baseline doing the same work in ONE transaction
 * (bench/independent/contactBatch.ts). Until the route exists (404) the figure says "not
 * available". The request body below is the one place to adapt to the route's final shape.
 */

const batchSize = 1_000;
const batchUrl = '/api/v1/contacts/batch';

/** The README's Bulk API request: one atomic batch of upserts matched on e-mail. */
export const batchRequestBody = (contacts: ReadonlyArray<ReturnType<typeof contactAt>>) => ({
  mode: 'atomic',
  matchOn: 'email',
  items: contacts.map((contact) => ({ op: 'upsert', data: contactApiBody(contact) })),
});

const name = (workspace: SizedWorkspace) =>
  `batch upsert of ${batchSize.toLocaleString('en')} new contacts, ${workspace.contacts.toLocaleString('en')} contacts`;
const baselineIs =
  'the independent create baseline set-wise in ONE transaction: e-mail locks, one duplicate SELECT, keys, sealed contacts and tokens in one statement each, one audit entry naming all under the chain rules';

export async function measureBatchUpsert(workspace: SizedWorkspace, rounds: number): Promise<Figure> {
  const { env } = workspace;
  const batch = () => Array.from({ length: batchSize }, () => contactAt(workspace.nextIndex++));
  const probe = await workspace.client.send({ method: 'POST', url: batchUrl, body: batchRequestBody(batch()) });
  if (probe.status === 404) return notAvailableFigure(name(workspace), baselineIs, `${batchUrl} does not exist yet (404)`, 'contacts/s');
  if (probe.status >= 300)
    return notAvailableFigure(name(workspace), baselineIs, `${batchUrl} answered ${probe.status}: ${probe.body.slice(0, 200)}`, 'contacts/s');
  await env.database.exec(baselineAuditTables);
  const transaction: RawTransaction = (work) => rawTransaction(env.database, work);
  const candor = async () => {
    const body = JSON.stringify(batchRequestBody(batch()));
    const ms = await timed(async () => {
      const response = await workspace.client.send({ method: 'POST', url: batchUrl, body });
      if (response.status >= 300) throw new Error(`${batchUrl} answered ${response.status}: ${response.body.slice(0, 300)}`);
    });
    return batchSize / (ms / 1000);
  };
  const baseline = async () => {
    const contacts = batch().map(plainContactOf);
    return batchSize / ((await timed(() => upsertContactsBaseline(transaction, workspace.keys, env.tenantId, contacts))) / 1000);
  };
  await baseline();
  const rates = { candor: [] as number[], baseline: [] as number[] };
  for (let round = 0; round < rounds; round += 1) {
    if (round % 2 === 0) {
      rates.candor.push(await candor());
      rates.baseline.push(await baseline());
    } else {
      rates.baseline.push(await baseline());
      rates.candor.push(await candor());
    }
  }
  return roundsFigure(
    {
      name: name(workspace),
      candor: spreadOf(rates.candor).median,
      baseline: spreadOf(rates.baseline).median,
      unit: 'contacts/s',
      target: '>= 0.5',
      transport: 'in-process',
      baselineIs: `${baselineIs}; median of ${rounds} rounds, alternating`,
      contacts: workspace.contacts,
    },
    spreadOf(quotients(rates.candor, rates.baseline)),
  );
}
