import { fileURLToPath } from 'node:url';
import { openBenchEnvironment } from './benchEnvironment.ts';
import { httpClient, inProcessClient } from './apiClient.ts';
import { measureContactIngest } from './figures/contactIngest.ts';
import { measureContactList, measureContactSearch } from './figures/contactReads.ts';
import { measureEventIngest } from './figures/eventIngest.ts';
import { seedContacts } from './fixtures.ts';
import { measureContactRead } from './contactRead.ts';
import { configureKernel } from '../src/kernel/runtime.ts';
import { MemoryKeyStore } from '../src/kernel/vault/index.ts';
import { runAuditBench } from './audit.ts';
import { meetsTarget, printTable, writeResults, type Figure, type Results } from './report.ts';

/*
 * npm run bench: one run, one fresh database (embedded PGlite by default, PostgreSQL when
 * DATABASE_URL is set), every Candor figure beside its raw-SQL baseline measured in the
 * same run on the same database, as ratios. Writes bench/results.json.
 */

// One file per database kind, so the embedded and PostgreSQL figures can be compared.
const resultsPath = fileURLToPath(new URL(process.env.DATABASE_URL ? './results.postgres.json' : './results.json', import.meta.url));
const listContacts = 10_000;

async function main(): Promise<void> {
  const started = performance.now();
  // Keys in memory: the figures measure the kernel's work, not key-file reads (both sides share the store).
  configureKernel(new MemoryKeyStore());
  const env = await openBenchEnvironment(process.env.DATABASE_URL || undefined);
  const figures: Figure[] = [];
  const notes: string[] = [];
  const progress = (line: string) => process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0)}s] ${line}\n`);
  notes.push(
    'in-process = Fastify app.inject (no sockets); http = app.listen on 127.0.0.1 and fetch with keep-alive. Baselines always run in-process, straight to the driver.',
  );
  notes.push(
    '(f) empties the subject-key cache before each kernel read, because the baseline unwraps every key on every read; the warm-cache figure is shown beside it without a target.',
  );
  notes.push(
    `${listContacts.toLocaleString('en')} demo contacts are seeded through the kernel's bulk insert, then ANALYZE runs once (PGlite has no autovacuum).`,
  );
  try {
    progress(`database: ${env.databaseLabel}; seeding ${listContacts.toLocaleString('en')} contacts`);
    const seeded = await seedContacts(env, listContacts);
    // Plans with statistics, as PostgreSQL's autovacuum would have them shortly after a load;
    // PGlite has no autovacuum, and without this both sides run on guessed plans.
    await env.database.exec('analyze');
    progress(`(f) permitted fields of ${listContacts.toLocaleString('en')} contacts for one purpose vs raw SELECT + unwrap + decrypt`);
    figures.push(...(await measureContactRead(env, listContacts)));
    progress('(a) contact ingest');
    figures.push(await measureContactIngest(env, listContacts));
    progress('(b) bulk event ingest');
    figures.push(...(await measureEventIngest(env, seeded.ids)));
    progress('(c) contact list page, in-process and over HTTP');
    const inProcess = inProcessClient(env);
    figures.push(await measureContactList(env, inProcess));
    const http = await httpClient(env);
    figures.push(await measureContactList(env, http));
    progress('(d) contact search');
    figures.push(...(await measureContactSearch(env, inProcess, seeded)));
    progress('(e) audit append and chain verification');
    for (const figure of await runAuditBench(env.database)) {
      figures.push({
        ...figure,
        target: figure.target === null ? null : `>= ${figure.target}`,
        transport: 'in-process',
        baselineIs: figure.baselineIs,
        samples: 3,
      });
    }
  } finally {
    await env.close();
  }
  const results: Results = { measuredAt: new Date().toISOString(), database: env.databaseLabel, node: process.version, figures, notes };
  printTable(results, (line) => process.stdout.write(`${line}\n`));
  writeResults(resultsPath, results);
  process.stdout.write(`\nWrote ${resultsPath} in ${((performance.now() - started) / 1000).toFixed(0)} s.\n`);
  if (figures.some((figure) => meetsTarget(figure) === false)) process.exitCode = 1;
}

await main();
