import type { FastifyInstance } from 'fastify';
import { createFormKey } from '../../src/privacy/formKeys.ts';
import type { BenchEnvironment } from '../benchEnvironment.ts';
import type { KeySource } from '../independent/sealedReads.ts';
import { bareCollectApp, createBareCollectTables } from '../independent/bareCollectRoute.ts';
import { alternate, quotients, spreadOf } from '../measure.ts';
import { roundsFigure, type Figure } from '../report.ts';

/*
 * Collection requests per second: POST /api/v1/collect with a form key, a new visitor id and
 * one consent given (what a consent widget's "Accept" sends), in-process, one request at a
 * time, against a bare Fastify route storing the same rows with the driver alone
 * (bench/independent/bareCollectRoute.ts), which also counts a per-client rate limit and
 * seals the visitor id (blind-indexed) as any privacy-respecting collector must. Candor also
 * verifies the key, counts the per-key limit too (each request from its own client address;
 * a fresh form key per round, as the per-key limit is 600 a minute), hashes the evidence,
 * stamps the notice, audits and raises the webhook — all of it measured.
 */

const perRound = 120;
const warmUp = 20;
const submission = (visitorId: string) => ({ visitorId, consents: [{ purposeKey: 'web_analytics', given: true }] });

export async function measureCollectThroughput(env: BenchEnvironment, keys: KeySource, rounds: number): Promise<Figure> {
  const newKey = async () =>
    (await createFormKey(env.database.db, env.tenantId, { name: 'bench', allowedOrigins: ['https://shop.example'], purposes: [] })).publicKey;
  await createBareCollectTables((text, params) => env.database.query(text, params));
  const bare: FastifyInstance = await bareCollectApp(env.database, keys, env.tenantId);
  let serial = 0;
  const send = async (app: FastifyInstance, url: string, headers: Record<string, string>) => {
    serial += 1;
    const response = await app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json', ...headers },
      payload: JSON.stringify(submission(`visitor-${serial}`)),
      remoteAddress: `10.${(serial >> 16) & 255}.${(serial >> 8) & 255}.${serial & 255}`,
    });
    if (response.statusCode !== 202) throw new Error(`${url} answered ${response.statusCode}: ${response.body.slice(0, 300)}`);
  };
  const perSecond = async (request: () => Promise<void>, count: number) => {
    const start = performance.now();
    for (let index = 0; index < count; index += 1) await request();
    return count / ((performance.now() - start) / 1000);
  };
  const candorRound = async () => {
    const key = await newKey();
    return perSecond(() => send(env.app, '/api/v1/collect', { 'candor-form-key': key }), perRound);
  };
  const bareRound = () => perSecond(() => send(bare, '/collect', {}), perRound);
  const warmKey = await newKey();
  await perSecond(() => send(env.app, '/api/v1/collect', { 'candor-form-key': warmKey }), warmUp);
  await perSecond(() => send(bare, '/collect', {}), warmUp);
  try {
    const samples = await alternate(rounds, candorRound, bareRound);
    return roundsFigure(
      {
        name: 'collection requests/s, POST /api/v1/collect (new visitor, one consent)',
        candor: spreadOf(samples.candor).median,
        baseline: spreadOf(samples.baseline).median,
        unit: 'req/s',
        target: '>= 0.5',
        transport: 'in-process',
        baselineIs: `bare Fastify route (own code, driver and node:crypto only): one per-client rate-limit upsert, then in one transaction the visitor (id sealed under a new wrapped subject key, blind-indexed), the consent event and its current state; ${perRound} sequential requests per round, median of ${rounds} alternating rounds`,
      },
      spreadOf(quotients(samples.candor, samples.baseline)),
    );
  } finally {
    await bare.close();
  }
}
