import { z } from 'zod';
import { epochStatus } from '../../kernel/index.ts';
import { accessContext } from '../principal.ts';
import { nameComponent } from '../openapi/components.ts';
import { isoOrNull } from './recordRouteSupport.ts';
import { routePlugin } from './routePlugin.ts';

// The vault's key epochs and the erasure window, for the privacy console. Named after the
// `candor keys` commands (rotate, advance-epoch) that act on the same epochs.

const seconds = (ms: number) => Math.round(ms / 1000);

const epochStatusSchema = z.object({
  currentEpoch: z.number().int().nullable().describe('The epoch new data keys are wrapped under; null before the first personal value is stored'),
  epochStartedAt: z.string().nullable().describe('When the current epoch began: the last advance (or rotation), or the first data key'),
  pendingErasures: z
    .number()
    .int()
    .describe('Erasures no completed advance covers yet: gone from the live database, still openable in a copy taken before (counts only, never who)'),
  firstPendingErasureAt: z.string().nullable(),
  advanceInProgress: z.boolean().describe('An advance began and is still re-wrapping data keys'),
  nextAdvanceDueAt: z.string().nullable().describe('When the next epoch advance is due; null when no erasure waits for one'),
  pendingErasuresHoldBy: z
    .string()
    .nullable()
    .describe(
      'By when the scheduled advance will have started (it is checked every minute): from then, plus its own run, no database copy holds an openable key of the pending erasures. Key-store backups hold old epoch keys for as long as you keep them',
    ),
  retiredEpochs: z.number().int().describe('Epochs being re-wrapped away from (non-zero only during an advance)'),
  destroyedEpochs: z.number().int().describe('Epochs whose keys were destroyed'),
  erasureWindow: z
    .object({
      maxDelaySeconds: z.number().int().describe('An advance is due this long after the first erasure it covers'),
      maxPendingErasures: z.number().int().describe('…or as soon as this many erasures wait'),
      checkIntervalSeconds: z.number().int().describe('How often the scheduled job looks for a due advance'),
      worstCaseSeconds: z
        .number()
        .int()
        .describe("How long at most from an erasure until old database copies hold no openable key of it (the advance's own run aside)"),
    })
    .describe('The policy every erasure is held to'),
});
nameComponent(epochStatusSchema, 'KeyEpochStatus');

export const keyRoutes = routePlugin(async (app, deps) => {
  app.get(
    '/keys',
    {
      schema: {
        operationId: 'getKeyEpochStatus',
        tags: ['keys'],
        summary:
          "The workspace's key epoch and erasure window: the current epoch, erasures waiting for the next advance and when it is due (admins and privacy officers)",
        response: { 200: z.object({ data: epochStatusSchema }) },
      },
    },
    async (request) => {
      const ctx = accessContext(request, 'vault:read');
      const status = await epochStatus(deps.database.db, ctx.tenantId);
      const { policy } = status;
      return {
        data: {
          currentEpoch: status.currentEpoch,
          epochStartedAt: isoOrNull(status.epochStartedAt),
          pendingErasures: status.pendingErasures,
          firstPendingErasureAt: isoOrNull(status.firstPendingErasureAt),
          advanceInProgress: status.advanceInProgress,
          nextAdvanceDueAt: isoOrNull(status.nextAdvanceDueAt),
          pendingErasuresHoldBy: isoOrNull(status.pendingErasuresHoldBy),
          retiredEpochs: status.retiredEpochs,
          destroyedEpochs: status.destroyedEpochs,
          erasureWindow: {
            maxDelaySeconds: seconds(policy.maxDelayMs),
            maxPendingErasures: policy.maxPendingErasures,
            checkIntervalSeconds: seconds(policy.checkIntervalMs),
            worstCaseSeconds: seconds(policy.maxDelayMs + policy.checkIntervalMs),
          },
        },
      };
    },
  );
});
