import { createHash, hash, randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { sql } from 'drizzle-orm';
import { openDatabase, type Database } from '../src/db/connection.ts';
import { migrateDatabase } from '../src/migrate.ts';
import { newId } from '../src/db/ids.ts';
import { systemContext } from '../src/kernel/accessContext.ts';
import { appendAuditBatch, encodeChainedFields, entryHash, verifyAuditChain, type AuditRecord } from '../src/kernel/audit.ts';
import { selectRows } from '../src/db/rows.ts';
import { chainedFieldsOf, entryColumns, type AuditEntryRow } from '../src/kernel/audit/entry.ts';
import { interleave, median } from './measure.ts';
import { rawTransaction } from './rawSql.ts';

/*
 * Audit-trail overheads as ratios against raw baselines measured in the same run:
 *  - append: appendAuditBatch (chain-head lock, canonical encoding, SHA-256, one INSERT per
 *    batch) vs a raw multi-row INSERT of rows of the same size into a copy of the table;
 *  - verify: verifyAuditChain (paged read, recompute, link and checkpoint checks) vs raw
 *    SHA-256 over exactly the canonical bytes it hashes, held in memory (the issue's target),
 *    and — for information — vs a paged SELECT of the same rows hashing their JSON.
 * The three verification series are interleaved, so drift and noisy neighbours fall on all.
 * Writes entries under fresh random workspace ids that stay (the trail is append-only), so
 * give it a scratch database.
 */

export type BenchFigure = { name: string; candor: number; baseline: number; unit: string; ratio: number; target: number | null; baselineIs: string };

export type AuditBenchOptions = { entries?: number; batch?: number; rounds?: number; verifyOnly?: boolean };

const record = (index: number): AuditRecord => ({
  action: 'deal.updated',
  object: 'deal',
  recordIds: [newId()],
  fields: ['amount', 'stage', 'ownerId'],
  detail: { index },
});

const columns = [
  'tenant_id',
  'sequence',
  'occurred_at',
  'actor_type',
  'actor_id',
  'purpose',
  'action',
  'object',
  'record_ids',
  'fields',
  'decision',
  'reasons',
  'subject_pseudonyms',
  'detail',
  'previous_hash',
  'hash',
  'version',
  'erased_pseudonyms',
];

function baselineRow(tenantId: string, sequence: number): unknown[] {
  const item = record(sequence);
  return [
    tenantId,
    sequence,
    new Date().toISOString(),
    'system',
    'bench',
    'sales',
    item.action,
    item.object,
    item.recordIds,
    item.fields,
    'allow',
    '[]',
    [],
    JSON.stringify(item.detail),
    randomBytes(32).toString('hex'),
    randomBytes(32).toString('hex'),
    2,
    [],
  ];
}

async function seconds(work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

const figure = (name: string, candor: number, baseline: number, unit: string, target: number | null, baselineIs: string): BenchFigure => ({
  name,
  candor: Math.round(candor),
  baseline: Math.round(baseline),
  unit,
  ratio: Math.round((candor / baseline) * 100) / 100,
  target,
  baselineIs,
});

async function measureAppend(database: Database, entries: number, batch: number, rounds: number): Promise<BenchFigure> {
  await database.exec('drop table if exists bench_audit_rows; create table bench_audit_rows (like audit_entries including all)');
  const candor: number[] = [];
  const baseline: number[] = [];
  try {
    for (let round = 0; round < rounds; round += 1) {
      const ctx = systemContext(newId(), 'bench', 'sales');
      const records = Array.from({ length: entries }, (_, index) => record(index));
      candor.push(
        entries /
          (await seconds(async () => {
            for (let start = 0; start < entries; start += batch) {
              await database.db.transaction((tx) => appendAuditBatch(tx, ctx, records.slice(start, start + batch)));
            }
          })),
      );
      const tenantId = newId();
      const rows = Array.from({ length: entries }, (_, index) => baselineRow(tenantId, index + 1));
      baseline.push(
        entries /
          (await seconds(async () => {
            for (let start = 0; start < entries; start += batch) {
              const chunk = rows.slice(start, start + batch);
              const values = chunk.map((_, row) => `(${columns.map((__, column) => `$${row * columns.length + column + 1}`).join(',')})`).join(',');
              await rawTransaction(database, async (query) => {
                await query(`insert into bench_audit_rows (${columns.join(',')}) values ${values}`, chunk.flat());
              });
            }
          })),
      );
    }
  } finally {
    await database.exec('drop table if exists bench_audit_rows');
  }
  return figure(
    `audit append (appendAuditBatch, batches of ${batch}) vs raw multi-row INSERT of same-size rows`,
    median(candor),
    median(baseline),
    'entries/s',
    0.5,
    'raw multi-row INSERT of rows of the same size into a copy of audit_entries, same batches',
  );
}

/** The canonical bytes of each entry as verification's row-by-row path builds them, and the stored hashes. */
async function chainBytes(database: Database, tenantId: string, entries: number): Promise<{ encodings: string[]; hashes: string[] }> {
  const rows = await selectRows<AuditEntryRow>(
    database.db,
    sql`select ${entryColumns('e')} from audit_entries e where e.tenant_id = ${tenantId} order by e.sequence`,
  );
  const encodings = rows.map((row) => encodeChainedFields(chainedFieldsOf(row)));
  const hashes = rows.map((row) => row.hash);
  if (
    encodings.length !== entries ||
    encodings.some(
      (encoding, index) => entryHash(chainedFieldsOf(rows[index])) !== hashes[index] || createHash('sha256').update(encoding).digest('hex') !== hashes[index],
    )
  ) {
    throw new Error('the in-memory bytes are not the bytes the chain hashes');
  }
  return { encodings, hashes };
}

async function measureVerify(database: Database, entries: number, batch: number, rounds: number): Promise<BenchFigure[]> {
  const tenantId = newId();
  const ctx = systemContext(tenantId, 'bench', 'sales');
  for (let start = 0; start < entries; start += batch) {
    await database.db.transaction((tx) =>
      appendAuditBatch(
        tx,
        ctx,
        Array.from({ length: Math.min(batch, entries - start) }, (_, index) => record(start + index)),
      ),
    );
  }
  const pageSize = 5000;
  const { encodings, hashes } = await chainBytes(database, tenantId, entries);
  const [candor, readAndHash, oneShot, hashObjects] = await interleave(rounds, [
    async () =>
      entries /
      (await seconds(async () => {
        const result = await verifyAuditChain(database.db, tenantId);
        if (!result.ok || result.entries !== entries) throw new Error(`benchmark chain did not verify: ${JSON.stringify(result)}`);
      })),
    async () =>
      entries /
      (await seconds(async () => {
        for (let after = 0; after < entries; after += pageSize) {
          const result = (await database.db.execute(
            sql`select * from audit_entries where tenant_id = ${tenantId} and sequence > ${after} order by sequence limit ${pageSize}`,
          )) as unknown as { rows: unknown[] };
          for (const row of result.rows) createHash('sha256').update(JSON.stringify(row)).digest('hex');
        }
      })),
    // The raw baselines: SHA-256 over exactly the bytes verification hashes, already in
    // memory, one hash per entry, each compared with the stored hash (the one the next entry
    // links to). Verification hashes with the one-shot crypto.hash, so the target figure's
    // baseline does too; the createHash loop is shown beside it.
    async () =>
      entries /
      (await seconds(async () => {
        for (let index = 0; index < encodings.length; index += 1) {
          if (hash('sha256', encodings[index], 'hex') !== hashes[index]) throw new Error(`entry ${index + 1} does not hash as stored`);
        }
      })),
    async () =>
      entries /
      (await seconds(async () => {
        for (let index = 0; index < encodings.length; index += 1) {
          if (createHash('sha256').update(encodings[index]).digest('hex') !== hashes[index]) throw new Error(`entry ${index + 1} does not hash as stored`);
        }
      })),
  ]);
  const bytes = encodings.reduce((sum, encoding) => sum + Buffer.byteLength(encoding), 0);
  return [
    figure(
      `audit chain verification vs raw SHA-256 over the same canonical bytes in memory (${Math.round(bytes / entries)} bytes/entry)`,
      median(candor),
      median(oneShot),
      'entries/s',
      0.5,
      'crypto.hash("sha256") over each canonical encoding verification hashes, held in memory, compared with the stored hash (the fastest per-entry SHA-256 in Node)',
    ),
    figure(
      'audit chain verification vs a createHash("sha256") loop over the same canonical bytes in memory',
      median(candor),
      median(hashObjects),
      'entries/s',
      null,
      'createHash("sha256").update(encoding).digest("hex") per entry, compared with the stored hash',
    ),
    figure(
      'audit chain verification vs paged SELECT of the same rows + SHA-256 over their bytes',
      median(candor),
      median(readAndHash),
      'entries/s',
      null,
      "SELECT * of the same rows in pages of 5,000 through drizzle, SHA-256 of each row's JSON",
    ),
  ];
}

export async function runAuditBench(database: Database, options: AuditBenchOptions = {}): Promise<BenchFigure[]> {
  const entries = options.entries ?? 10_000;
  const batch = options.batch ?? 1000;
  const rounds = options.rounds ?? 3;
  // A warm-up so neither side pays for first-use costs (JIT, plan caches).
  if (options.verifyOnly) return measureVerify(database, entries * 2, batch, rounds);
  await measureAppend(database, batch, batch, 1);
  return [await measureAppend(database, entries, batch, rounds), ...(await measureVerify(database, entries * 2, batch, rounds))];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const database = await openDatabase(
    process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : { dataDir: process.env.CANDOR_BENCH_DIR ?? 'memory', command: 'bench/audit' },
  );
  try {
    await migrateDatabase(database);
    // tsx bench/audit.ts [--verify-only]: the audit figures alone, printed as JSON.
    console.log(JSON.stringify(await runAuditBench(database, { verifyOnly: process.argv.includes('--verify-only') }), null, 2));
  } finally {
    await database.close();
  }
}
