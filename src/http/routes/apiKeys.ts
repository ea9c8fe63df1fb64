import { z } from 'zod';
import { revokeApiKeyRecorded } from '../../accounts/apiKeyRevocation.ts';
import { createApiKeyRecorded } from '../../accounts/apiKeyCreation.ts';
import { findApiKey, listApiKeys, type PublicApiKey } from '../../accounts/apiKeys.ts';
import { humanBehind } from '../../accounts/users.ts';
import { defaultPageSize, maxPageSize } from '../../shared/cursor.ts';
import { runIdempotent } from '../../platform/idempotency.ts';
import { notFound } from '../../shared/domainError.ts';
import { accessContext, type Principal } from '../principal.ts';
import { roleSchema } from './users.ts';
import { routePlugin } from './routePlugin.ts';
import { idempotencyRequestOf, instant, listEnvelope, singleEnvelope } from './recordRouteSupport.ts';
import { nameComponent, uuid } from '../openapi/components.ts';

// The secret is never stored in the clear, so no response but the creating one can show it.
const apiKeySchema = z.object({
  id: uuid,
  keyId: z.string().describe('the public part of the key, cnd_<keyId>_…'),
  name: z.string(),
  role: roleSchema,
  purposes: z.array(z.string()),
  defaultPurpose: z.string().nullable(),
  createdBy: uuid.nullable().describe('the user behind the key; deactivating them revokes it'),
  createdAt: z.date(),
  expiresAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
});

nameComponent(apiKeySchema, 'ApiKey');

const createdApiKeySchema = apiKeySchema.extend({
  key: z.string().optional().describe('the full key, cnd_<keyId>_<secret>: shown only in the response that created it (not on an Idempotency-Key replay)'),
});

nameComponent(createdApiKeySchema, 'CreatedApiKey');
const idParams = z.object({ id: uuid });

const view = (key: PublicApiKey): z.infer<typeof apiKeySchema> => ({ ...key, role: key.role });

export const apiKeyRoutes = routePlugin(async (app, deps) => {
  app.post(
    '/api-keys',
    {
      config: { idempotencyKey: true },
      schema: {
        operationId: 'createApiKey',
        tags: ['api keys'],
        summary: 'Create an API key (admin); the full key is returned once and never again',
        body: z.object({
          name: z.string().trim().min(1).max(200),
          role: roleSchema,
          purposes: z.array(z.string().min(1).max(100)).min(1).max(100),
          defaultPurpose: z.string().min(1).max(100).optional(),
          expiresAt: instant.optional(),
        }),
        response: { 201: singleEnvelope(createdApiKeySchema) },
      },
    },
    async (request, reply) => {
      const ctx = accessContext(request, 'api_key:write');
      const principal = request.principal as Principal;
      let fullKey: string | undefined;
      const outcome = await runIdempotent(deps.database, idempotencyRequestOf(request, principal), async (tx) => {
        const created = await createApiKeyRecorded(tx, ctx, {
          name: request.body.name,
          role: request.body.role,
          purposes: request.body.purposes,
          defaultPurpose: request.body.defaultPurpose ?? null,
          expiresAt: request.body.expiresAt ? new Date(request.body.expiresAt) : null,
          createdBy: humanBehind(ctx.actor),
        });
        fullKey = created.key;
        return { statusCode: 201, recordId: created.id };
      });
      const key = await findApiKey(deps.database.db, ctx.tenantId, outcome.recordId as string);
      if (!key) throw notFound('API key');
      reply.code(201); // the only status this work stores, so a replay answers the same
      return { data: { ...view(key), ...(outcome.replayed ? {} : { key: fullKey }) }, withheld: [] };
    },
  );

  app.get(
    '/api-keys',
    {
      schema: {
        operationId: 'listApiKeys',
        tags: ['api keys'],
        summary: "The workspace's API keys, without their secrets",
        querystring: z.object({
          cursor: z.string().max(500).optional(),
          limit: z.coerce.number().int().min(1).max(maxPageSize).default(defaultPageSize),
          sort: z.enum(['created_at', '-created_at']).optional(),
          includeRevoked: z
            .enum(['true', 'false'])
            .default('true')
            .transform((value) => value === 'true'),
        }),
        response: { 200: listEnvelope(apiKeySchema) },
      },
    },
    async (request) => {
      const ctx = accessContext(request, 'api_key:read');
      const page = await listApiKeys(deps.database.db, ctx.tenantId, request.query);
      return { data: page.data.map(view), withheld: [], nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api-keys/:id',
    {
      schema: {
        operationId: 'getApiKey',
        tags: ['api keys'],
        summary: 'One API key, without its secret',
        params: idParams,
        response: { 200: singleEnvelope(apiKeySchema) },
      },
    },
    async (request) => {
      const ctx = accessContext(request, 'api_key:read');
      const key = await findApiKey(deps.database.db, ctx.tenantId, request.params.id);
      if (!key) throw notFound('API key');
      return { data: view(key), withheld: [] };
    },
  );

  app.delete(
    '/api-keys/:id',
    {
      schema: {
        operationId: 'revokeApiKey',
        tags: ['api keys'],
        summary: 'Revoke an API key (admin); it stops working at once',
        params: idParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const ctx = accessContext(request, 'api_key:delete');
      await revokeApiKeyRecorded(deps.database.db, ctx, request.params.id);
      return reply.code(204).send(null);
    },
  );
});
