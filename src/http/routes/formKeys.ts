import { z } from 'zod';
import { forgetFormKeys } from '../../privacy/formKeyMemo.ts';
import { createFormKey, findFormKey, listFormKeys, revokeFormKey, rotateFormKey, unneededFieldChoices, type FormKey } from '../../privacy/formKeys.ts';
import { recordChange } from '../../platform/changes.ts';
import { accessContext } from '../principal.ts';
import { nameComponent, uuid } from '../openapi/components.ts';
import { singleEnvelope } from './recordRouteSupport.ts';
import { routePlugin } from './routePlugin.ts';

// Public form keys for POST /api/v1/collect: workspace configuration, administered by admins, audited.
const formKeySchema = z.object({
  id: uuid,
  name: z.string(),
  publicKey: z.string().describe('cfk_…: public, printed in the form page; sent as the Candor-Form-Key header'),
  allowedOrigins: z.array(z.string()),
  unneededFields: z.enum(unneededFieldChoices).describe('refuse: 422 naming each unneeded field; drop: stored without them, listed in `dropped`'),
  purposes: z.array(z.string()).describe('Purposes on a basis other than consent that the form serves'),
  createdAt: z.date(),
  rotatedAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
});
nameComponent(formKeySchema, 'FormKey');

const idParams = z.object({ id: uuid });
const view = (key: FormKey) => ({ data: key, withheld: [] });

export const formKeyRoutes = routePlugin(async (app, deps) => {
  app.post(
    '/form-keys',
    {
      schema: {
        operationId: 'createFormKey',
        tags: ['collection'],
        summary: 'Create a public form key for POST /collect (admin)',
        body: z.object({
          name: z.string().trim().min(1).max(200),
          allowedOrigins: z.array(z.string().max(300)).min(1).max(50),
          unneededFields: z.enum(unneededFieldChoices).optional(),
          purposes: z.array(z.string().min(1).max(100)).max(50).optional(),
        }),
        response: { 201: singleEnvelope(formKeySchema) },
      },
    },
    async (request, reply) => {
      const ctx = accessContext(request, 'workspace:write');
      const created = await deps.database.db.transaction(async (tx) => {
        const key = await createFormKey(tx, ctx.tenantId, request.body);
        await recordChange(tx, ctx, { object: 'form_key', recordId: key.id, kind: 'created', fields: Object.keys(request.body) });
        return key;
      });
      return reply.code(201).send(view(created));
    },
  );

  app.get(
    '/form-keys',
    {
      schema: {
        operationId: 'listFormKeys',
        tags: ['collection'],
        summary: "The workspace's form keys, oldest first",
        querystring: z.object({
          includeRevoked: z
            .enum(['true', 'false'])
            .default('true')
            .transform((value) => value === 'true'),
        }),
        response: { 200: z.object({ data: z.array(formKeySchema), withheld: z.array(z.never()) }) },
      },
    },
    async (request) => {
      const ctx = accessContext(request, 'workspace:read');
      return { data: await listFormKeys(deps.database.db, ctx.tenantId, request.query.includeRevoked), withheld: [] };
    },
  );

  app.post(
    '/form-keys/:id/rotate',
    {
      schema: {
        operationId: 'rotateFormKey',
        tags: ['collection'],
        summary: 'Give a form key a new public key; the old one is refused from now on',
        params: idParams,
        response: { 200: singleEnvelope(formKeySchema) },
      },
    },
    async (request) => {
      const ctx = accessContext(request, 'workspace:write');
      const rotated = await deps.database.db.transaction(async (tx) => {
        const key = await rotateFormKey(tx, ctx.tenantId, request.params.id);
        await recordChange(tx, ctx, { object: 'form_key', recordId: key.id, kind: 'updated', fields: ['publicKey'] });
        return key;
      });
      // Committed: the collection routes' remembered lookups must not answer the old key.
      forgetFormKeys();
      return view(rotated);
    },
  );

  app.delete(
    '/form-keys/:id',
    {
      schema: {
        operationId: 'revokeFormKey',
        tags: ['collection'],
        summary: 'Revoke a form key: its submissions are refused from now on',
        params: idParams,
        response: { 200: singleEnvelope(formKeySchema) },
      },
    },
    async (request) => {
      const ctx = accessContext(request, 'workspace:write');
      const revoked = await deps.database.db.transaction(async (tx) => {
        if (await revokeFormKey(tx, ctx.tenantId, request.params.id)) {
          await recordChange(tx, ctx, { object: 'form_key', recordId: request.params.id, kind: 'deleted', fields: [] });
        }
        return findFormKey(tx, ctx.tenantId, request.params.id);
      });
      forgetFormKeys();
      return view(revoked);
    },
  );
});
