import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { pipelines, pipelineStages } from '../../db/schema/index.ts';
import type { AccessContext } from '../../kernel/index.ts';
import { notFound } from '../../shared/domainError.ts';
import type { StageOutcome } from './stagePlan.ts';

export type Stage = { id: string; name: string; position: number; probability: number; outcome: StageOutcome };
export type Pipeline = {
  id: string;
  name: string;
  isDefault: boolean;
  stages: Stage[];
  createdAt: Date;
  updatedAt: Date;
  version: number;
};
/** A stage with the pipeline it belongs to, as deals need it. */
export type StageOfPipeline = Stage & { pipelineId: string };

type PipelineRow = typeof pipelines.$inferSelect;

async function stagesOf(db: Executor, tenantId: string, pipelineIds: string[]): Promise<StageOfPipeline[]> {
  if (pipelineIds.length === 0) return [];
  const rows = await db
    .select()
    .from(pipelineStages)
    .where(and(eq(pipelineStages.tenantId, tenantId), inArray(pipelineStages.pipelineId, pipelineIds)))
    .orderBy(asc(pipelineStages.pipelineId), asc(pipelineStages.position));
  return rows.map(({ id, pipelineId, name, position, probability, outcome }) => ({
    id,
    pipelineId,
    name,
    position,
    probability,
    outcome: outcome as StageOutcome,
  }));
}

async function withStages(db: Executor, tenantId: string, rows: PipelineRow[]): Promise<Pipeline[]> {
  const stages = await stagesOf(
    db,
    tenantId,
    rows.map((row) => row.id),
  );
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    isDefault: row.isDefault,
    stages: stages.filter((stage) => stage.pipelineId === row.id).map(({ pipelineId: _pipeline, ...stage }) => stage),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    version: row.version,
  }));
}

/** Every pipeline of the workspace, the default first. Workspaces have a handful, so no paging. */
export async function listPipelines(db: Executor, ctx: AccessContext): Promise<Pipeline[]> {
  const rows = await db
    .select()
    .from(pipelines)
    .where(eq(pipelines.tenantId, ctx.tenantId))
    .orderBy(desc(pipelines.isDefault), asc(pipelines.createdAt), asc(pipelines.id));
  return withStages(db, ctx.tenantId, rows);
}

export async function findPipeline(db: Executor, ctx: AccessContext, id: string): Promise<Pipeline | null> {
  const rows = await db
    .select()
    .from(pipelines)
    .where(and(eq(pipelines.tenantId, ctx.tenantId), eq(pipelines.id, id)));
  const [pipeline] = await withStages(db, ctx.tenantId, rows);
  return pipeline ?? null;
}

export async function getPipeline(db: Executor, ctx: AccessContext, id: string): Promise<Pipeline> {
  const pipeline = await findPipeline(db, ctx, id);
  if (!pipeline) throw notFound('pipeline');
  return pipeline;
}

/** The workspace's default pipeline id; every workspace is created with one. */
export async function defaultPipelineId(db: Executor, tenantId: string): Promise<string | null> {
  const [row] = await db
    .select({ id: pipelines.id })
    .from(pipelines)
    .where(and(eq(pipelines.tenantId, tenantId), eq(pipelines.isDefault, true)))
    .limit(1);
  return row?.id ?? null;
}

export async function findStage(db: Executor, tenantId: string, stageId: string): Promise<StageOfPipeline | null> {
  const [row] = await db
    .select()
    .from(pipelineStages)
    .where(and(eq(pipelineStages.tenantId, tenantId), eq(pipelineStages.id, stageId)))
    .limit(1);
  return row
    ? { id: row.id, pipelineId: row.pipelineId, name: row.name, position: row.position, probability: row.probability, outcome: row.outcome as StageOutcome }
    : null;
}

/** Where a new deal starts when no stage is named: the pipeline's first stage. */
export async function firstStageOf(db: Executor, tenantId: string, pipelineId: string): Promise<StageOfPipeline | null> {
  const [first] = (await stagesOf(db, tenantId, [pipelineId])).slice(0, 1);
  return first ?? null;
}
