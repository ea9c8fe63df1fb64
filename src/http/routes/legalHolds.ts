import { z } from 'zod';
import { recordAudit } from '../../kernel/index.ts';
import { listLegalHolds, maxLegalHoldReasonLength, placeLegalHold, releaseLegalHold, type LegalHold } from '../../privacy/retention/legalHolds.ts';
import { accessContext } from '../principal.ts';
import { nameComponent, uuid } from '../openapi/components.ts';
import { idParams, singleEnvelope } from './recordRouteSupport.ts';
import { routePlugin } from './routePlugin.ts';

// Legal holds (Art. 17(3)): privacy officers and admins place and release them; a held subject is never erased.
const legalHoldSchema = z.object({
  id: uuid,
  subjectId: uuid.describe('The contact or visitor held'),
  reason: z.string().describe('Why the law requires keeping the data (a case or obligation reference)'),
  createdBy: z.string().describe('Who placed it: user:… or api_key:…'),
  createdAt: z.date(),
  releasedAt: z.date().nullable().describe('Null while the hold is active'),
});
nameComponent(legalHoldSchema, 'LegalHold');

const view = (hold: LegalHold) => ({ data: hold, withheld: [] });

export const legalHoldRoutes = routePlugin(async (app, deps) => {
  app.post(
    '/legal-holds',
    {
      // A subject that does not exist in the workspace is 404.
      config: { problems: ['not_found'] },
      schema: {
        operationId: 'placeLegalHold',
        tags: ['privacy'],
        summary: 'Place a legal hold on a contact or visitor: no erasure reaches them until it is released (privacy officer, admin; audited)',
        body: z.object({ subjectId: uuid, reason: z.string().trim().min(1).max(maxLegalHoldReasonLength) }),
        response: { 201: singleEnvelope(legalHoldSchema) },
      },
    },
    async (request, reply) => {
      const ctx = accessContext(request, 'legal_hold:write');
      const hold = await deps.database.db.transaction((tx) => placeLegalHold(tx, ctx, request.body));
      return reply.code(201).send(view(hold));
    },
  );

  app.get(
    '/legal-holds',
    {
      schema: {
        operationId: 'listLegalHolds',
        tags: ['privacy'],
        summary: "The workspace's legal holds, oldest first: active ones, or all with includeReleased=true (audited)",
        querystring: z.object({
          subjectId: uuid.optional(),
          includeReleased: z
            .enum(['true', 'false'])
            .default('false')
            .transform((value) => value === 'true'),
        }),
        response: { 200: z.object({ data: z.array(legalHoldSchema), withheld: z.array(z.never()) }) },
      },
    },
    async (request) => {
      const ctx = accessContext(request, 'legal_hold:read');
      const holds = await deps.database.db.transaction(async (tx) => {
        const found = await listLegalHolds(tx, ctx.tenantId, request.query);
        await recordAudit(tx, ctx, {
          action: 'legal_hold.listed',
          object: 'legal_hold',
          recordIds: found.map((hold) => hold.id),
          subjectIds: [...new Set(found.map((hold) => hold.subjectId))],
        });
        return found;
      });
      return { data: holds, withheld: [] };
    },
  );

  app.post(
    '/legal-holds/:id/release',
    {
      schema: {
        operationId: 'releaseLegalHold',
        tags: ['privacy'],
        summary: 'Release a legal hold: the subject falls under the usual erasure and retention again (privacy officer, admin; audited)',
        params: idParams,
        response: { 200: singleEnvelope(legalHoldSchema) },
      },
    },
    async (request) => {
      const ctx = accessContext(request, 'legal_hold:write');
      return view(await deps.database.db.transaction((tx) => releaseLegalHold(tx, ctx, request.params.id)));
    },
  );
});
