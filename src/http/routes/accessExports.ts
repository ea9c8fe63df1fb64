import { z } from 'zod';
import { clientAttempt, consumeAttempts, throttleRules } from '../../accounts/throttles.ts';
import { dsrFulfilmentKey, requirePurpose, type PurposeContext } from '../../kernel/index.ts';
import { accessExportFormats } from '../../privacy/accessExports/accessExportFormats.ts';
import { createAccessExportLink, downloadAccessExport } from '../../privacy/accessExports/accessExportLinks.ts';
import { createAccessExport, findAccessExport, listAccessExports } from '../../privacy/accessExports/accessExports.ts';
import { DomainError, notFound } from '../../shared/domainError.ts';
import { uuid, uuidLookup } from '../openapi/components.ts';
import { accessContext } from '../principal.ts';
import type { FastifyRequest } from 'fastify';
import { routePlugin } from './routePlugin.ts';

/*
 * Access exports (GDPR Art. 15 and 20): staff acting for dsr_fulfilment ask for a copy of
 * everything held on a contact, follow its progress, and make a short-lived single-use
 * download link for the person; the link is public (the person has no account) and
 * rate-limited per client. Built by the access-export job (src/privacy/accessExports/).
 */

const exportView = z.object({
  id: uuid,
  contactId: uuid,
  format: z.enum(accessExportFormats),
  status: z.enum(['queued', 'running', 'ready', 'failed']),
  progress: z.number().int().describe('0–100'),
  step: z.string().nullable().describe('What the job is doing: reading, context, rendering, sealing, done, failed'),
  requestId: uuid.nullable().describe('The rights request it answers'),
  fileName: z.string().nullable(),
  contentType: z.string().nullable(),
  byteSize: z.number().int().nullable(),
  error: z.string().nullable().describe('Why it failed: an error code'),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
  expiresAt: z.string().describe('When the file stops being downloadable'),
});

const exportParams = z.object({ id: uuidLookup, exportId: uuidLookup });

/** The staff context of these routes: their purpose must be dsr_fulfilment (403 naming Candor-Purpose otherwise). */
function dsrContext(request: FastifyRequest): PurposeContext {
  const ctx = requirePurpose(accessContext(request, 'contact:read'));
  if (ctx.purpose !== dsrFulfilmentKey) {
    throw new DomainError('forbidden', 'Access exports are made for dsr_fulfilment only.', [{ field: 'Candor-Purpose', reason: 'must be dsr_fulfilment' }]);
  }
  return ctx;
}

export const accessExportRoutes = routePlugin(async (app, deps) => {
  app.post(
    '/contacts/:id/access-exports',
    {
      schema: {
        operationId: 'createAccessExport',
        tags: ['access exports'],
        summary: 'Ask for a copy of everything held on a contact with its GDPR Art. 15 context, as JSON, a zip of CSVs or an HTML page (dsr_fulfilment)',
        description:
          'Built by the access-export job; follow it with GET …/access-exports/{exportId}. The file is sealed under the contact’s key, so erasing the contact shreds it.',
        params: z.object({ id: uuidLookup }),
        body: z.object({ format: z.enum(accessExportFormats), requestId: uuid.optional().describe('The rights request it answers') }),
        response: { 202: z.object({ data: exportView }) },
      },
    },
    async (request, reply) => {
      const ctx = dsrContext(request);
      const view = await createAccessExport(deps.database, ctx, request.params.id, request.body.format, {
        controllerUrl: deps.config.publicUrl,
        requestId: request.body.requestId ?? null,
      });
      return reply.code(202).send({ data: view });
    },
  );

  app.get(
    '/contacts/:id/access-exports',
    {
      schema: {
        operationId: 'listAccessExports',
        tags: ['access exports'],
        summary: "A contact's access exports, newest first (at most 100), with their state and progress (dsr_fulfilment)",
        params: z.object({ id: uuidLookup }),
        response: { 200: z.object({ data: z.array(exportView) }) },
      },
    },
    async (request) => {
      const ctx = dsrContext(request);
      return { data: await listAccessExports(deps.database.db, ctx.tenantId, request.params.id) };
    },
  );

  app.get(
    '/contacts/:id/access-exports/:exportId',
    {
      schema: {
        operationId: 'getAccessExport',
        tags: ['access exports'],
        summary: "An access export's state and progress (dsr_fulfilment)",
        params: exportParams,
        response: { 200: z.object({ data: exportView }) },
      },
    },
    async (request) => {
      const ctx = dsrContext(request);
      const view = await findAccessExport(deps.database.db, ctx.tenantId, request.params.id, request.params.exportId);
      if (!view) throw notFound('access export');
      return { data: view };
    },
  );

  app.post(
    '/contacts/:id/access-exports/:exportId/download-links',
    {
      config: { problems: ['conflict'] },
      schema: {
        operationId: 'createAccessExportDownloadLink',
        tags: ['access exports'],
        summary: 'A download link for a ready export: one export, valid 15 minutes, works once (dsr_fulfilment)',
        params: exportParams,
        response: {
          201: z.object({
            data: z.object({ url: z.string(), token: z.string(), expiresAt: z.string() }).describe('Give the url to the person; it needs no account'),
          }),
        },
      },
    },
    async (request, reply) => {
      const ctx = dsrContext(request);
      const link = await createAccessExportLink(deps.database, ctx, request.params.id, request.params.exportId, deps.clock?.() ?? new Date());
      const url = `${deps.config.publicUrl.replace(/\/$/, '')}/api/v1/access-export-downloads/${link.token}`;
      return reply.code(201).send({ data: { url, token: link.token, expiresAt: link.expiresAt } });
    },
  );

  app.get(
    '/access-export-downloads/:token',
    {
      config: { public: true, problems: ['rate_limited', 'not_found'] },
      schema: {
        operationId: 'downloadAccessExport',
        tags: ['access exports'],
        summary: 'Download an access export through its link (public, once, rate-limited per client); an unknown, used or expired link is 404',
        security: [],
        params: z.object({ token: z.string().max(200) }),
        produces: ['application/json', 'application/zip', 'text/html'],
      },
    },
    async (request, reply) => {
      await consumeAttempts(deps.database.db, [clientAttempt(throttleRules.accessExportDownloadPerClient, request.ip)], 'Too many downloads; wait a while.');
      const file = await downloadAccessExport(deps.database, request.params.token, deps.clock?.() ?? new Date());
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .header('cache-control', 'no-store')
        .header('referrer-policy', 'no-referrer')
        .send(file.body);
    },
  );
});
