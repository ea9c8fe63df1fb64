import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../db/connection.ts';
import { refreshStaleStatistics } from '../../db/statistics.ts';
import { pipelines, pipelineStages, users } from '../../db/schema/index.ts';
import { appendAudit, systemContext } from '../../kernel/index.ts';
import { demoSizeFor } from './demoData.ts';
import { defaultDemoContacts, maxDemoContacts } from './demoDefaults.ts';
import { seeders, seedPhases, type SeedPhase, type Seeding } from './seedBatches.ts';
import { seedConsents } from './seedConsents.ts';

const phaseSeeders: Record<SeedPhase, (seeding: Seeding, from: number, to: number) => Promise<number>> = { ...seeders, consents: seedConsents };

export { demoRecordId, demoSeed, seedPhases, type SeedPhase } from './seedBatches.ts';

/*
 * Writes demo data into a workspace in short transactions of `seedBatchRows` records, so a
 * million contacts never hold PGlite's single connection for long.
 *
 * Re-running is safe and adds nothing twice: every demo record's id is derived from the
 * workspace, its kind and its index (demoRecordId), and the data from a fixed seed and a
 * timeline ending when the workspace was created. Each batch first asks which of its ids
 * exist and writes only the missing ones, so a second run adds nothing, an interrupted run
 * is completed, and a run with a larger --contacts adds the records beyond the first run's.
 */

export { defaultDemoContacts, maxDemoContacts };
export const seedBatchRows = 2_000;

export type SeedResult = Record<SeedPhase, { planned: number; added: number }>;
/** Progress of one phase; the CLI passes a progress bar. */
export type SeedPhaseProgress = { tick(n: number): void; finish(): void; fail(): void };
export type SeedOptions = { contacts: number; progress?: (phase: SeedPhase, total: number) => SeedPhaseProgress };

async function prepare(database: Database, workspace: { id: string; createdAt: Date }, contactCount: number): Promise<Seeding> {
  const tenantId = workspace.id;
  const [pipeline] = await database.db
    .select({ id: pipelines.id })
    .from(pipelines)
    .where(and(eq(pipelines.tenantId, tenantId), eq(pipelines.isDefault, true)))
    .limit(1);
  if (!pipeline) throw new Error('The workspace has no default pipeline to seed deals into');
  const stages = await database.db
    .select({ id: pipelineStages.id, outcome: pipelineStages.outcome })
    .from(pipelineStages)
    .where(and(eq(pipelineStages.tenantId, tenantId), eq(pipelineStages.pipelineId, pipeline.id)))
    .orderBy(asc(pipelineStages.position));
  const owners = await database.db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), inArray(users.role, ['sales', 'admin']), eq(users.status, 'active')))
    .orderBy(asc(users.createdAt), asc(users.id));
  return {
    database,
    ctx: systemContext(tenantId, 'seed', 'sales'),
    tenantId,
    size: demoSizeFor(contactCount),
    // History ends when the workspace was created, so it looks recent yet never changes between runs.
    timeline: { end: workspace.createdAt, days: 730 },
    owners: owners.map((owner) => owner.id),
    pipelineId: pipeline.id,
    stages,
  };
}

/** Seeds (or completes) the demo data for `contacts` contacts; returns planned and added counts per kind. */
export async function seedWorkspace(database: Database, workspace: { id: string; createdAt: Date }, options: SeedOptions): Promise<SeedResult> {
  if (!Number.isSafeInteger(options.contacts) || options.contacts < 1 || options.contacts > maxDemoContacts) {
    throw new RangeError(`contacts must be a whole number from 1 to ${maxDemoContacts}`);
  }
  const seeding = await prepare(database, workspace, options.contacts);
  const result = {} as SeedResult;
  for (const phase of seedPhases) {
    const planned = seeding.size[phase];
    const progress = options.progress?.(phase, planned);
    let added = 0;
    try {
      for (let from = 0; from < planned; from += seedBatchRows) {
        const to = Math.min(planned, from + seedBatchRows);
        added += await phaseSeeders[phase](seeding, from, to);
        progress?.tick(to - from);
      }
    } catch (error) {
      progress?.fail();
      throw error;
    }
    progress?.finish();
    result[phase] = { planned, added };
  }
  await database.db.transaction((tx) =>
    appendAudit(tx, seeding.ctx, { action: 'seed.demo', detail: Object.fromEntries(seedPhases.map((phase) => [phase, result[phase].added])) }),
  );
  // The seed is the largest bulk load there is; the first list or lookup after it is planned
  // from these statistics (src/db/statistics.ts).
  await refreshStaleStatistics(database.db);
  return result;
}
