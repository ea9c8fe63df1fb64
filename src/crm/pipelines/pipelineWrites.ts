import { and, count, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { newId } from '../../db/ids.ts';
import { deals, pipelines, pipelineStages } from '../../db/schema/index.ts';
import type { AccessContext } from '../../kernel/index.ts';
import { recordChange } from '../../platform/changes.ts';
import { DomainError, invalid, notFound, staleVersion } from '../../shared/domainError.ts';
import { planStages, stageInUse, type ExistingStage, type StageInput, type StageOutcome } from './stagePlan.ts';

export type PipelineInput = { name: string; isDefault?: boolean; stages: StageInput[] };
export type PipelinePatch = { name?: string; isDefault?: boolean; stages?: StageInput[] };

/*
 * Pipeline writes are rare, so they serialise per workspace on one advisory lock: that
 * keeps "exactly one default pipeline" and unique names true under concurrent requests
 * without a partial unique index.
 */
async function lockWorkspacePipelines(tx: Executor, tenantId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`pipelines:${tenantId}`}, 0))`);
}

async function assertNameFree(tx: Executor, tenantId: string, name: string, exceptId: string | null): Promise<void> {
  const [clash] = await tx
    .select({ id: pipelines.id })
    .from(pipelines)
    .where(and(eq(pipelines.tenantId, tenantId), sql`lower(${pipelines.name}) = lower(${name})`, exceptId ? ne(pipelines.id, exceptId) : undefined))
    .limit(1);
  if (clash)
    throw new DomainError('conflict', 'Another pipeline of this workspace has this name.', [{ field: 'name', reason: 'already used by another pipeline' }]);
}

/** Makes `pipelineId` the only default: the previous default loses the flag (and says so). */
async function takeOverDefault(tx: Executor, ctx: AccessContext, pipelineId: string): Promise<void> {
  const previous = await tx
    .update(pipelines)
    .set({ isDefault: false, version: sql`${pipelines.version} + 1`, updatedAt: new Date() })
    .where(and(eq(pipelines.tenantId, ctx.tenantId), eq(pipelines.isDefault, true), ne(pipelines.id, pipelineId)))
    .returning({ id: pipelines.id });
  for (const row of previous) await recordChange(tx, ctx, { object: 'pipeline', recordId: row.id, kind: 'updated', fields: ['isDefault'] });
}

function cleanName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0) throw invalid('name', 'must not be blank');
  return trimmed;
}

export async function createPipeline(tx: Executor, ctx: AccessContext, input: PipelineInput): Promise<string> {
  await lockWorkspacePipelines(tx, ctx.tenantId);
  const name = cleanName(input.name);
  await assertNameFree(tx, ctx.tenantId, name, null);
  const plan = planStages([], input.stages);
  const id = newId();
  if (input.isDefault) await takeOverDefault(tx, ctx, id);
  await tx.insert(pipelines).values({ tenantId: ctx.tenantId, id, name, isDefault: input.isDefault === true });
  await tx.insert(pipelineStages).values(plan.stages.map(({ id: _none, ...stage }) => ({ tenantId: ctx.tenantId, id: newId(), pipelineId: id, ...stage })));
  await recordChange(tx, ctx, { object: 'pipeline', recordId: id, kind: 'created', fields: ['name', 'isDefault', 'stages'] });
  return id;
}

async function lockPipeline(tx: Executor, ctx: AccessContext, id: string, expectedVersion: number | null) {
  const [row] = await tx
    .select()
    .from(pipelines)
    .where(and(eq(pipelines.tenantId, ctx.tenantId), eq(pipelines.id, id)))
    .for('update');
  if (!row) throw notFound('pipeline');
  if (expectedVersion !== null && row.version !== expectedVersion) throw staleVersion(row.version);
  return row;
}

async function dealCountsByStage(tx: Executor, tenantId: string, stageIds: string[]): Promise<Map<string, number>> {
  if (stageIds.length === 0) return new Map();
  const rows = await tx
    .select({ stageId: deals.stageId, deals: count() })
    .from(deals)
    .where(and(eq(deals.tenantId, tenantId), inArray(deals.stageId, stageIds)))
    .groupBy(deals.stageId);
  return new Map(rows.map((row) => [row.stageId, Number(row.deals)]));
}

/** Replaces the stage array: reorders, renames, adds, and removes stages no deal uses. */
async function replaceStages(tx: Executor, tenantId: string, pipelineId: string, requested: StageInput[]): Promise<void> {
  const existingRows = await tx
    .select({ id: pipelineStages.id, name: pipelineStages.name, outcome: pipelineStages.outcome })
    .from(pipelineStages)
    .where(and(eq(pipelineStages.tenantId, tenantId), eq(pipelineStages.pipelineId, pipelineId)));
  const existing: ExistingStage[] = existingRows.map((row) => ({ ...row, outcome: row.outcome as StageOutcome }));
  const plan = planStages(existing, requested);
  const inUse = await dealCountsByStage(
    tx,
    tenantId,
    [...plan.removed, ...plan.outcomeChanged.map((change) => change.stage)].map((stage) => stage.id),
  );
  for (const stage of plan.removed) {
    const used = inUse.get(stage.id) ?? 0;
    if (used > 0) throw stageInUse(stage, used, 'stages', 'removed');
  }
  // A stage's outcome decides whether its deals are closed; changing it under live deals
  // would leave their closedAt wrong, so those deals must move first.
  for (const { index, stage } of plan.outcomeChanged) {
    const used = inUse.get(stage.id) ?? 0;
    if (used > 0) throw stageInUse(stage, used, `stages.${index}.outcome`, 'given another outcome');
  }
  if (plan.removed.length > 0) {
    await tx.delete(pipelineStages).where(
      and(
        eq(pipelineStages.tenantId, tenantId),
        inArray(
          pipelineStages.id,
          plan.removed.map((stage) => stage.id),
        ),
      ),
    );
  }
  for (const stage of plan.stages) {
    const values = { name: stage.name, position: stage.position, probability: stage.probability, outcome: stage.outcome };
    if (stage.id) {
      await tx
        .update(pipelineStages)
        .set(values)
        .where(and(eq(pipelineStages.tenantId, tenantId), eq(pipelineStages.id, stage.id)));
    } else {
      await tx.insert(pipelineStages).values({ tenantId, id: newId(), pipelineId, ...values });
    }
  }
}

export async function updatePipeline(tx: Executor, ctx: AccessContext, id: string, expectedVersion: number, patch: PipelinePatch): Promise<void> {
  await lockWorkspacePipelines(tx, ctx.tenantId);
  const current = await lockPipeline(tx, ctx, id, expectedVersion);
  const changed: string[] = [];
  const values: Partial<typeof pipelines.$inferInsert> = {};
  if (patch.name !== undefined) {
    const name = cleanName(patch.name);
    if (name !== current.name) {
      await assertNameFree(tx, ctx.tenantId, name, id);
      values.name = name;
      changed.push('name');
    }
  }
  if (patch.isDefault === false && current.isDefault) {
    throw invalid('isDefault', 'a workspace has exactly one default pipeline; make another pipeline the default instead');
  }
  if (patch.isDefault === true && !current.isDefault) {
    await takeOverDefault(tx, ctx, id);
    values.isDefault = true;
    changed.push('isDefault');
  }
  if (patch.stages !== undefined) {
    await replaceStages(tx, ctx.tenantId, id, patch.stages);
    changed.push('stages');
  }
  await tx
    .update(pipelines)
    .set({ ...values, version: current.version + 1, updatedAt: new Date() })
    .where(and(eq(pipelines.tenantId, ctx.tenantId), eq(pipelines.id, id)));
  await recordChange(tx, ctx, { object: 'pipeline', recordId: id, kind: 'updated', fields: changed });
}

export async function deletePipeline(tx: Executor, ctx: AccessContext, id: string, expectedVersion: number | null): Promise<void> {
  await lockWorkspacePipelines(tx, ctx.tenantId);
  const current = await lockPipeline(tx, ctx, id, expectedVersion);
  if (current.isDefault) {
    throw new DomainError('conflict', 'The default pipeline cannot be deleted; make another pipeline the default first.', [
      { field: 'isDefault', reason: 'this is the default pipeline' },
    ]);
  }
  const [used] = await tx
    .select({ deals: count() })
    .from(deals)
    .where(and(eq(deals.tenantId, ctx.tenantId), eq(deals.pipelineId, id)));
  if (Number(used.deals) > 0) {
    throw new DomainError(
      'conflict',
      `This pipeline still has ${used.deals} deal(s); move or delete them first.`,
      [{ field: 'deals', reason: 'the pipeline still has deals' }],
      { dealCount: Number(used.deals) },
    );
  }
  await tx.delete(pipelines).where(and(eq(pipelines.tenantId, ctx.tenantId), eq(pipelines.id, id)));
  await recordChange(tx, ctx, { object: 'pipeline', recordId: id, kind: 'deleted' });
}
