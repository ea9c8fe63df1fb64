import { z } from 'zod';
import { requirePurpose } from '../../kernel/index.ts';
import { gpcSupportLastUpdated, listGpcConflicts } from '../../privacy/gpc.ts';
import { defaultPageSize, maxPageSize } from '../../shared/cursor.ts';
import { nameComponent, uuid } from '../openapi/components.ts';
import { accessContext } from '../principal.ts';
import { routePlugin } from './routePlugin.ts';

/*
 * Global Privacy Control (src/privacy/gpc.ts): the site-wide statement that Candor honours
 * the signal, at the well-known address the GPC spec gives it, and the privacy officer's list
 * of GPC opt-outs that overrode an opt-in.
 */

const gpcSupportSchema = z.object({
  gpc: z.literal(true).describe('This server honours Global Privacy Control signals'),
  lastUpdate: z.string().describe('When its GPC support last changed (YYYY-MM-DD)'),
});

/** GET /.well-known/gpc.json, outside /api/v1 where the GPC spec puts it. */
export const gpcWellKnownRoutes = routePlugin(async (app) => {
  app.get(
    '/.well-known/gpc.json',
    {
      config: { public: true },
      schema: {
        operationId: 'getGpcSupport',
        tags: ['consents'],
        summary: 'Global Privacy Control support resource (https://privacycg.github.io/gpc-spec/#gpc-support-resource)',
        security: [],
        response: { 200: gpcSupportSchema },
      },
    },
    async (_request, reply) => {
      reply.type('application/json');
      return { gpc: true as const, lastUpdate: gpcSupportLastUpdated };
    },
  );
}, '');

const conflictSchema = z.object({
  eventId: uuid.describe('The opt-out event in the consent ledger'),
  subjectId: uuid.describe('The contact or visitor profile'),
  purposeKey: z.string(),
  optedOutAt: z.string(),
  overrode: z.enum(['given', 'renewed']).describe('The state of the opt-in the GPC opt-out ended'),
  overrodeEventId: uuid,
  optedInAt: z.string(),
});

nameComponent(conflictSchema, 'GpcConflict', 'A GPC opt-out that ended a live opt-in: honoured, and shown to the privacy officer');

export const gpcRoutes = routePlugin(async (app, deps) => {
  app.get(
    '/consents/gpc-conflicts',
    {
      schema: {
        operationId: 'listGpcConflicts',
        tags: ['consents'],
        summary: 'GPC opt-outs that overrode an earlier opt-in, newest first (privacy officers and admins)',
        description:
          'Each GPC opt-out is honoured; when it ended a consent the person had given to the same purpose, it is listed here so the privacy officer can follow it up. Ids, purpose keys and times only.',
        querystring: z.object({
          cursor: z.string().max(200).optional(),
          limit: z.coerce.number().int().min(1).max(maxPageSize).default(defaultPageSize),
        }),
        response: { 200: z.object({ data: z.array(conflictSchema), nextCursor: z.string().nullable() }) },
      },
    },
    async (request) => {
      const ctx = requirePurpose(accessContext(request, 'audit:read'));
      const page = await listGpcConflicts(ctx, deps.database.db, request.query);
      return {
        data: page.data.map((conflict) => ({
          ...conflict,
          optedOutAt: conflict.optedOutAt.toISOString(),
          optedInAt: conflict.optedInAt.toISOString(),
        })),
        nextCursor: page.nextCursor,
      };
    },
  );
});
