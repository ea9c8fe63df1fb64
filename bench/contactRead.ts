import { pathToFileURL } from 'node:url';
import { newId } from '../src/db/ids.ts';
import type { PurposeContext } from '../src/kernel/accessContext.ts';
import { listPermittedContacts } from '../src/kernel/contactAccess.ts';
import { insertRoleGrants } from '../src/kernel/policy/index.ts';
import { configureKernel, kernelKeyStore } from '../src/kernel/runtime.ts';
import { defaultSubjectKeyCache, MemoryKeyStore } from '../src/kernel/vault/index.ts';
import { readFirstContacts } from './independent/sealedReads.ts';
import { openBenchEnvironment, type BenchEnvironment } from './benchEnvironment.ts';
import { seedContacts } from './fixtures.ts';
import { alternate, median, timed } from './measure.ts';
import { printTable, type Figure } from './report.ts';

/*
 * (f) Reading the permitted fields of 10,000 contacts for one purpose through the kernel —
 * grant, catalog, the SELECT with the policy's row filter, subject keys, decryption of the
 * purpose's fields and the audit entry with 10,000 pseudonyms — against the independent
 * baseline of bench/independent/sealedReads.ts (node:crypto and the driver, no Candor code):
 * one SELECT of the same contacts joined with their keys, unwrapping every key, decrypting
 * every sealed field. Same data, same run, interleaved.
 *
 * Fairness of the key cache: the baseline unwraps every key on every run, so the kernel's
 * subject-key cache is emptied before each kernel run: both unwrap all 10,000 keys. A
 * second figure (no target) shows the kernel with the cache warm, as a busy server runs.
 */

const contactsRead = 10_000;
const rounds = 7;

export async function measureContactRead(env: BenchEnvironment, count = contactsRead): Promise<Figure[]> {
  const keyStore = kernelKeyStore();
  // sales is granted to the sales role by default; granted here too so the figure does not depend on it.
  await insertRoleGrants(env.database.db, env.tenantId, [{ role: 'sales', purposeKey: 'sales' }]);
  const ctx: PurposeContext = { tenantId: env.tenantId, actor: { type: 'user', id: newId(), role: 'sales' }, purpose: 'sales' };
  let opened = 0;
  const kernel = async () => {
    const page = await listPermittedContacts(env.database.db, ctx, { limit: count });
    if (page.rows.length !== count) throw new Error(`kernel read ${page.rows.length} contacts, expected ${count}`);
    opened = page.rows.reduce((sum, row) => sum + Object.keys(row.personal).length, 0);
  };
  let baselineFields = 0;
  const baseline = async () => {
    const result = await readFirstContacts((text, params) => env.database.query(text, params), keyStore, env.tenantId, count, null);
    if (result.contacts !== count) throw new Error(`baseline read ${result.contacts} contacts, expected ${count}`);
    baselineFields = result.fields;
  };
  await kernel();
  await baseline();
  if (opened !== baselineFields) throw new Error(`kernel opened ${opened} fields, baseline ${baselineFields}: not the same work`);

  const cold = await alternate(
    rounds,
    () => {
      defaultSubjectKeyCache.clear();
      return timed(kernel);
    },
    () => timed(baseline),
  );
  const warm = await alternate(
    rounds,
    () => timed(kernel),
    () => timed(baseline),
  );
  const figure = (name: string, samples: { candor: number[]; baseline: number[] }, target: string | null, baselineIs: string): Figure => {
    const candor = median(samples.candor);
    const raw = median(samples.baseline);
    return { name, candor, baseline: raw, unit: 'ms', ratio: candor / raw, target, transport: 'in-process', baselineIs, samples: rounds };
  };
  const baselineIs = `raw SELECT of the same ${count.toLocaleString('en')} contacts joined with subject_keys, every key unwrapped (no cache), every sealed field decrypted (${baselineFields.toLocaleString('en')} values); median of ${rounds}, interleaved`;
  return [
    figure(`permitted fields of ${count.toLocaleString('en')} contacts for one purpose (key cache emptied per read)`, cold, '<= 2', baselineIs),
    figure(`permitted fields of ${count.toLocaleString('en')} contacts for one purpose (key cache warm)`, warm, null, baselineIs),
  ];
}

// `npx tsx bench/contactRead.ts`: this figure alone, on a fresh database (DATABASE_URL for PostgreSQL).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  configureKernel(new MemoryKeyStore());
  const env = await openBenchEnvironment(process.env.DATABASE_URL || undefined);
  try {
    await seedContacts(env, contactsRead);
    await env.database.exec('analyze');
    const figures = await measureContactRead(env);
    printTable({ measuredAt: new Date().toISOString(), database: env.databaseLabel, node: process.version, figures, notes: [] }, (line) =>
      process.stdout.write(`${line}\n`),
    );
  } finally {
    await env.close();
  }
}
