import { z } from 'zod';
import { createPipeline, deletePipeline, updatePipeline } from '../../crm/pipelines/pipelineWrites.ts';
import { getPipeline, listPipelines, type Pipeline } from '../../crm/pipelines/pipelines.ts';
import { stageOutcomes } from '../../crm/pipelines/stagePlan.ts';
import { runIdempotent } from '../../platform/idempotency.ts';
import { auditedTransaction } from '../../kernel/index.ts';
import { optionalIfMatchVersion, requiredIfMatchVersion, setEtag } from '../etag.ts';
import { nameComponent, uuid } from '../openapi/components.ts';
import { accessContext } from '../principal.ts';
import { createdStatus, idempotencyRequestOf, idParams, instant, listEnvelope, singleEnvelope } from './recordRouteSupport.ts';
import { routePlugin } from './routePlugin.ts';

const stageSchema = z.object({
  id: uuid,
  name: z.string(),
  position: z.number().int().describe('0-based place in the pipeline'),
  probability: z.number().int(),
  outcome: z.enum(stageOutcomes),
});
const pipelineSchema = z.object({
  id: uuid,
  name: z.string(),
  isDefault: z.boolean(),
  stages: z.array(stageSchema),
  createdAt: instant,
  updatedAt: instant,
  version: z.number().int(),
});
nameComponent(stageSchema, 'PipelineStage');
nameComponent(pipelineSchema, 'Pipeline');

const stageInput = z.strictObject({
  id: uuid.optional().describe('An existing stage of this pipeline; leave out to add a stage'),
  name: z.string().min(1).max(100),
  probability: z.number().int().min(0).max(100).describe('Chance of winning, in percent'),
  outcome: z.enum(stageOutcomes).describe('open, or won/lost for stages that close a deal'),
});
const stagesInput = z
  .array(stageInput)
  .min(1)
  .max(50)
  .describe(
    'The stages in order. On update the array replaces the stages: reorder by order, remove by leaving out (refused with 409 while deals use the stage)',
  );
const pipelineCreate = z.strictObject({ name: z.string().min(1).max(100), isDefault: z.boolean().optional(), stages: stagesInput });
const pipelinePatch = z.strictObject({
  name: z.string().min(1).max(100).optional(),
  isDefault: z.boolean().optional().describe('true makes this the default pipeline (the previous default stops being one); there is always exactly one'),
  stages: stagesInput.optional(),
});

const pipelineView = (pipeline: Pipeline): z.infer<typeof pipelineSchema> => ({
  ...pipeline,
  createdAt: pipeline.createdAt.toISOString(),
  updatedAt: pipeline.updatedAt.toISOString(),
});

export const pipelineRoutes = routePlugin(async (app, deps) => {
  const { database } = deps;

  app.get(
    '/pipelines',
    {
      schema: {
        operationId: 'listPipelines',
        tags: ['pipelines'],
        summary: 'List the pipelines with their ordered stages, the default first',
        response: { 200: listEnvelope(pipelineSchema) },
      },
    },
    async (request) => {
      const ctx = accessContext(request, 'pipeline:read');
      const pipelines = await listPipelines(database.db, ctx);
      return { data: pipelines.map(pipelineView), withheld: [], nextCursor: null };
    },
  );

  app.post(
    '/pipelines',
    {
      config: { idempotencyKey: true, etag: true, problems: ['conflict'] },
      schema: {
        operationId: 'createPipeline',
        tags: ['pipelines'],
        summary: 'Create a pipeline with its stages',
        body: pipelineCreate,
        response: { 200: singleEnvelope(pipelineSchema), 201: singleEnvelope(pipelineSchema) },
      },
    },
    async (request, reply) => {
      const ctx = accessContext(request, 'pipeline:write');
      const outcome = await runIdempotent(database, idempotencyRequestOf(request, ctx), async (tx) => ({
        statusCode: 201,
        recordId: await createPipeline(tx, ctx, request.body),
      }));
      const pipeline = await getPipeline(database.db, ctx, outcome.recordId ?? '');
      setEtag(reply, pipeline.version);
      return reply.code(createdStatus(outcome)).send({ data: pipelineView(pipeline), withheld: [] });
    },
  );

  app.get(
    '/pipelines/:id',
    {
      config: { etag: true },
      schema: {
        operationId: 'getPipeline',
        tags: ['pipelines'],
        summary: 'Get a pipeline with its ordered stages',
        params: idParams,
        response: { 200: singleEnvelope(pipelineSchema) },
      },
    },
    async (request, reply) => {
      const ctx = accessContext(request, 'pipeline:read');
      const pipeline = await getPipeline(database.db, ctx, request.params.id);
      setEtag(reply, pipeline.version);
      return { data: pipelineView(pipeline), withheld: [] };
    },
  );

  app.patch(
    '/pipelines/:id',
    {
      config: { ifMatch: 'required', etag: true, problems: ['conflict'] },
      schema: {
        operationId: 'updatePipeline',
        tags: ['pipelines'],
        summary: 'Rename a pipeline, make it the default, or replace its stage array (If-Match required)',
        params: idParams,
        body: pipelinePatch,
        response: { 200: singleEnvelope(pipelineSchema) },
      },
    },
    async (request, reply) => {
      const ctx = accessContext(request, 'pipeline:write');
      const expectedVersion = requiredIfMatchVersion(request);
      await auditedTransaction(database.db, (tx) => updatePipeline(tx, ctx, request.params.id, expectedVersion, request.body));
      const pipeline = await getPipeline(database.db, ctx, request.params.id);
      setEtag(reply, pipeline.version);
      return { data: pipelineView(pipeline), withheld: [] };
    },
  );

  app.delete(
    '/pipelines/:id',
    {
      config: { ifMatch: 'optional', problems: ['conflict'] },
      schema: {
        operationId: 'deletePipeline',
        tags: ['pipelines'],
        summary: 'Delete a pipeline that has no deals and is not the default',
        params: idParams,
        response: { 204: z.null().describe('Deleted') },
      },
    },
    async (request, reply) => {
      const ctx = accessContext(request, 'pipeline:delete');
      const expectedVersion = optionalIfMatchVersion(request);
      await auditedTransaction(database.db, (tx) => deletePipeline(tx, ctx, request.params.id, expectedVersion));
      return reply.code(204).send(null);
    },
  );
});
