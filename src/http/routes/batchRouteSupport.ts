import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { maxBatchItems, type ItemResult } from '../../crm/batch/batchRunner.ts';
import type { Database, Transaction } from '../../db/connection.ts';
import type { AccessContext } from '../../kernel/index.ts';
import { runIdempotent } from '../../platform/idempotency.ts';
import { nameComponent, problemSchema, uuid } from '../openapi/components.ts';
import { domainProblem } from '../problem.ts';
import { idempotencyRequestOf } from './recordRouteSupport.ts';

/*
 * What POST /contacts/batch and POST /companies/batch share: the request and response
 * schemas, and running a batch once per Idempotency-Key. A batch answers ids, statuses and
 * problems only (never the records' values), so its answer is stored with the key and a
 * retry replays it as it was.
 */

/** Batches carry up to 1,000 records; a body of that many with custom fields may exceed the 1 MiB default. */
export const batchBodyLimit = 8 * 1024 * 1024;

export const batchModeSchema = z
  .enum(['atomic', 'perItem'])
  .describe('atomic: one transaction, the first refused item refuses the request (nothing written); perItem: each item succeeds or fails on its own');

/** The items of a batch: create, update (by id, optionally at a version) or upsert (matched on `matchOn`). */
export function batchItemsSchema<Create extends z.ZodType, Change extends z.ZodType>(create: Create, change: Change) {
  const item = z.union([
    z.strictObject({ op: z.enum(['create']), data: create }),
    z.strictObject({
      op: z.enum(['update']),
      id: uuid,
      version: z.number().int().min(1).max(2_147_483_647).optional().describe('Refuse the change (412) unless the record is at this version'),
      data: change,
    }),
    z.strictObject({ op: z.enum(['upsert']), data: create }),
  ]);
  return z.array(item).min(1).max(maxBatchItems).describe(`1 to ${maxBatchItems} items; more is refused with 422 naming items`);
}

export const batchResponseSchema = z.object({
  data: z.array(
    z.object({
      index: z.number().int().describe('Position of the item in the request'),
      status: z.number().int().describe('201 created, 200 updated, or the status of the problem'),
      id: uuid.optional(),
      outcome: z.enum(['created', 'updated']).optional(),
      problem: problemSchema.optional().describe('Why the item was refused (perItem mode); fields are named items.<index>.data.<field>'),
    }),
  ),
  summary: z.object({ created: z.number().int(), updated: z.number().int(), failed: z.number().int() }),
});
nameComponent(batchResponseSchema, 'BatchResult', 'Per item: its index, status and the id it created or updated, or its problem');
export type BatchResponse = z.infer<typeof batchResponseSchema>;

function responseOf(results: ItemResult[]): BatchResponse {
  const data = results.map((result) =>
    result.ok
      ? { index: result.index, status: result.outcome === 'created' ? 201 : 200, id: result.id, outcome: result.outcome }
      : { index: result.index, status: domainProblem(result.error).status, problem: domainProblem(result.error) },
  );
  const count = (outcome: string) => results.filter((result) => result.ok && result.outcome === outcome).length;
  return { data, summary: { created: count('created'), updated: count('updated'), failed: results.filter((result) => !result.ok).length } };
}

/** Runs a batch in one transaction, once per Idempotency-Key; a retry gets the stored answer. */
export async function runBatchRoute(
  database: Database,
  request: FastifyRequest,
  ctx: AccessContext,
  run: (tx: Transaction) => Promise<ItemResult[]>,
): Promise<BatchResponse> {
  const outcome = await runIdempotent(database, idempotencyRequestOf(request, ctx), async (tx) => ({
    statusCode: 200,
    recordId: null,
    result: responseOf(await run(tx)),
  }));
  return outcome.result as BatchResponse;
}
