/**
 * Single-contact create throughput through the API (in-process requests, real database):
 * 1 writer in one workspace, 8 writers in one workspace, 8 writers spread over 4. Not part
 * of `npm run bench`; a standalone measurement of the write path (issue 9, "Writes").
 *
 *   npx tsx bench/writeThroughput.ts [--seconds 5] [--rounds 3]        # PGlite on disk
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/writeThroughput.ts
 *
 * Prints creates per second, the median of the rounds (rounds of the scenarios interleave).
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createApiKey } from '../src/accounts/apiKeys.ts';
import { createWorkspace } from '../src/accounts/workspaces.ts';
import { MemoryKeyStore } from '../src/kernel/vault/index.ts';
import { configureKernel } from '../src/kernel/runtime.ts';
import { defaultPurposes } from '../src/privacy/defaultPurposes.ts';
import { openBenchEnvironment } from './benchEnvironment.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '5' }, rounds: { type: 'string', default: '3' } } });
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);

configureKernel(new MemoryKeyStore());
const env = await openBenchEnvironment(process.env.DATABASE_URL);
const keys = [env.apiKey];
for (let index = 1; index < 4; index += 1) {
  const workspace = await createWorkspace(env.database.db, { slug: `bench-w${index}-${randomBytes(3).toString('hex')}`, name: `Benchmark ${index}` });
  const purposes = defaultPurposes.map((purpose) => purpose.key);
  keys.push((await createApiKey(env.database.db, { tenantId: workspace.id, name: 'bench', role: 'admin', purposes, defaultPurpose: 'sales' })).key);
}

let serial = 0;
async function create(key: string): Promise<void> {
  serial += 1;
  const response = await env.app.inject({
    method: 'POST',
    url: '/api/v1/contacts',
    headers: { authorization: `Bearer ${key}`, 'candor-purpose': 'sales', 'content-type': 'application/json' },
    payload: JSON.stringify({
      firstName: `Writer${serial}`,
      lastName: 'Bench',
      email: `writer${serial}.${randomBytes(3).toString('hex')}@example.com`,
      city: 'Leeds',
    }),
  });
  if (response.statusCode !== 201) throw new Error(`POST /contacts answered ${response.statusCode}: ${response.body.slice(0, 300)}`);
}

/** Creates per second with `writers` loops, writer i in workspace i mod `workspaces`. */
async function measure(writers: number, workspaces: number, durationMs: number): Promise<number> {
  const until = performance.now() + durationMs;
  let done = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      const key = keys[writer % workspaces];
      while (performance.now() < until) {
        await create(key);
        done += 1;
      }
    }),
  );
  return done / ((performance.now() - start) / 1000);
}

const scenarios = [
  { name: '1 writer, 1 workspace', writers: 1, workspaces: 1 },
  { name: '8 writers, 1 workspace', writers: 8, workspaces: 1 },
  { name: '8 writers, 4 workspaces', writers: 8, workspaces: 4 },
];
for (const key of keys) for (let index = 0; index < 20; index += 1) await create(key);
const figures = new Map<string, number[]>(scenarios.map((scenario) => [scenario.name, []]));
for (let round = 0; round < rounds; round += 1) {
  for (const scenario of scenarios) figures.get(scenario.name)!.push(await measure(scenario.writers, scenario.workspaces, seconds * 1000));
}
const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
console.log(`${env.databaseLabel}: single-contact creates per second (median of ${rounds} rounds of ${seconds} s; all rounds)`);
for (const [name, list] of figures)
  console.log(`  ${name.padEnd(24)} ${median(list).toFixed(1).padStart(7)}/s   [${list.map((value) => value.toFixed(1)).join(', ')}]`);
await env.close();
