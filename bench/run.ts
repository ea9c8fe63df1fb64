import { fileURLToPath } from 'node:url';
import { openBenchEnvironment, type BenchEnvironment } from './benchEnvironment.ts';
import { measureAccessExport } from './figures/accessExport.ts';
import { measureBatchUpsert } from './figures/batchUpsert.ts';
import { measureContactCreate } from './figures/contactCreate.ts';
import { measureEmailSearch } from './figures/emailSearch.ts';
import { measureErasure } from './figures/erasure.ts';
import { measureEventIngest } from './figures/eventIngest.ts';
import { measureListPages } from './figures/listPage.ts';
import { measureNamePrefixSearch } from './figures/namePrefixSearch.ts';
import { measurePortalRequests } from './figures/portalRequests.ts';
import { measureContactRead } from './contactRead.ts';
import { measureCollectThroughput } from './consent/collectThroughput.ts';
import { measureConsentCheck } from './consent/consentCheck.ts';
import { configureKernel } from '../src/kernel/runtime.ts';
import { MemoryKeyStore } from '../src/kernel/vault/index.ts';
import { runAuditBench } from './audit.ts';
import { figureNames, parseBenchOptions, resultsFileOf, sizesOf, type FigureName } from './options.ts';
import { meetsTarget, mergeResults, printTable, printWebTable, readResults, writeResults, type Figure, type Results } from './report.ts';
import { sizedWorkspace, type SizedWorkspace } from './sizedWorkspace.ts';
import { runWebBench } from './web/runWebBench.ts';
import { webTargetMet, type WebResults } from './web/webFigures.ts';

/*
 * npm run bench [-- --size N --events N --database pglite|postgres --rounds N --only …]
 * (bench/options.ts). Each size gets its own fresh database (PGlite on disk in a temporary
 * directory, or a new database on the PostgreSQL server), seeded fast; every Candor figure
 * is measured beside its independent baseline (bench/independent/: node:crypto and the
 * driver, no Candor code) in the same run, as ratios; growth figures compare two sizes
 * measured in the same run. Writes bench/results[.postgres][.<size>].json, keeping the figures
 * an `--only` run did not measure. `--only web` measures the web app in Chromium (bench/web/).
 */

const options = parseBenchOptions(process.argv.slice(2), process.env);
const resultsPath = fileURLToPath(new URL(`./${resultsFileOf(options)}`, import.meta.url));

async function main(): Promise<void> {
  const started = performance.now();
  // Keys in memory: the figures measure the work, not key-file reads (both sides share the store).
  const keyStore = new MemoryKeyStore();
  configureKernel(keyStore);
  const progress = (line: string) => process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0)}s] ${line}\n`);
  const environments: BenchEnvironment[] = [];
  const workspaces: SizedWorkspace[] = [];
  const figures: Figure[] = [];
  const notes = [
    'in-process = Fastify app.inject (no sockets). Baselines run in-process, straight to the driver, with bench/independent/ code only (node:crypto; no Candor helper).',
    "Each size is its own fresh database, seeded by bench/seeder.ts (COPY on PostgreSQL, multi-row INSERT on PGlite) plus the last 1,000 contacts through Candor's CSV import; the bench itself never runs ANALYZE.",
    `Ratios with a spread are medians of ${options.rounds} interleaved rounds; spread = min–max (quartiles in the JSON). The machine is a shared 2-core VM: figures are noisy.`,
  ];
  const only = options.only;
  const databaseFigures = [...only].some((name) => name !== 'web');
  let databaseLabel = '';
  let web: WebResults | undefined;
  try {
    const sizes = databaseFigures ? sizesOf(options) : [];
    for (const size of sizes) {
      const env = await openBenchEnvironment(options.databaseUrl);
      environments.push(env);
      databaseLabel = env.databaseLabel;
      progress(`${env.databaseLabel}: seeding ${size.toLocaleString('en')} contacts`);
      const workspace = await sizedWorkspace(env, keyStore, size, size === options.size ? options.events : 0);
      progress(`seeded at ${Math.round(workspace.seed.rowsPerSecond).toLocaleString('en')} rows/s (${workspace.seed.seconds.toFixed(0)} s)`);
      notes.push(
        `seeder: ${workspace.seed.rows.toLocaleString('en')} rows (contacts + events) at ${Math.round(workspace.seed.rowsPerSecond).toLocaleString('en')} rows/s for the ${size.toLocaleString('en')}-contact workspace`,
      );
      workspaces.push(workspace);
    }
    const largest = workspaces[workspaces.length - 1];
    const { rounds } = options;
    const step = async (name: FigureName, label: string, measure: () => Promise<Figure | Figure[]>) => {
      if (!only.has(name) || !databaseFigures) return;
      progress(label);
      figures.push(...[await measure()].flat());
    };
    // First, straight after the bulk import: nothing may refresh statistics before it.
    await step('email', 'exact e-mail search', () => measureEmailSearch(workspaces, rounds));
    await step('list', 'list pages', () => measureListPages(workspaces, rounds, progress));
    await step('prefix', 'name-prefix search', () => measureNamePrefixSearch(workspaces, rounds));
    await step('read', 'permitted fields of many contacts', () => measureContactRead(largest.env, Math.min(10_000, largest.contacts - 1)));
    await step('create', 'single-contact create, 1 and 8 writers', () => measureContactCreate(largest, rounds));
    await step('batch', 'batch upsert', () => measureBatchUpsert(largest, rounds));
    await step('events', 'bulk event ingest', () => measureEventIngest(largest.env, largest.seed.contactIds));
    await step('consent', 'consent check (set-wise, point in time) and collection throughput', async () => [
      ...(await measureConsentCheck(largest.env, rounds, progress)),
      await measureCollectThroughput(largest.env, largest.keys, rounds),
    ]);
    await step('access', 'access export of one subject', () => measureAccessExport(largest, largest.contacts === options.size ? options.events : 0, rounds));
    await step('audit', 'audit append and chain verification', async () =>
      (await runAuditBench(largest.env.database)).map(
        (figure): Figure => ({ ...figure, target: figure.target === null ? null : `>= ${figure.target}`, transport: 'in-process', samples: 3 }),
      ),
    );
    await step('portal', 'portal rights requests, unknown against known addresses', () => measurePortalRequests(largest, rounds));
    // Last: it erases contacts of the measured workspace and advances its key epoch.
    await step('erasure', 'erasure of one subject, and the key epoch advance', () => measureErasure(largest, keyStore, options.databaseUrl, rounds, progress));
  } finally {
    for (const env of environments) await env.close();
  }
  if (only.has('web')) web = await runWebBench({ contacts: options.webContacts, dataDir: options.webDataDir }, progress);
  const write = (line: string) => process.stdout.write(`${line}\n`);
  const current: Results = {
    measuredAt: new Date().toISOString(),
    database: databaseLabel,
    node: process.version,
    sizes: sizesOf(options),
    figures,
    notes,
    web,
  };
  if (databaseFigures) printTable(current, write);
  if (web) printWebTable(web, write);
  const partial = figureNames.some((name) => name !== 'web' && !only.has(name));
  writeResults(resultsPath, mergeResults(readResults(resultsPath), current, partial));
  process.stdout.write(`\nWrote ${resultsPath} in ${((performance.now() - started) / 1000).toFixed(0)} s.\n`);
  if (figures.some((figure) => meetsTarget(figure) === false) || web?.figures.some((figure) => webTargetMet(figure) === false)) process.exitCode = 1;
}

await main();
