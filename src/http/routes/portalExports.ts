import { z } from 'zod';
import { accountAttempt, consumeAttempts, throttleRules } from '../../accounts/throttles.ts';
import { accessExportFormats } from '../../privacy/accessExports/accessExportFormats.ts';
import { createPortalExportLink, listPortalExports, requestPortalExport } from '../../privacy/portal/portalExports.ts';
import { uuid, uuidLookup } from '../openapi/components.ts';
import { portalSignedIn } from '../portalSessionAccess.ts';
import { portalParams } from './portalSessions.ts';
import { routePlugin } from './routePlugin.ts';

/*
 * Copies of their data for a person signed in to the privacy portal: the access exports
 * staff make (JSON, a zip of CSVs, an HTML page), asked for by the person, followed until
 * ready, and fetched through a single-use link on the public download route. 409 when no
 * record is held for the address; creation is limited per address.
 */

const portalExportSchema = z.object({
  id: uuid,
  format: z.enum(accessExportFormats),
  status: z.enum(['queued', 'running', 'ready', 'failed']),
  progress: z.number().int().describe('0–100'),
  createdAt: z.string(),
  expiresAt: z.string().describe('When the file stops being downloadable'),
});

export const portalExportRoutes = routePlugin(async (app, deps) => {
  const { database } = deps;

  app.post(
    '/portal/:workspace/me/access-exports',
    {
      config: { public: true, portalSession: true, problems: ['not_found', 'conflict', 'rate_limited'] },
      schema: {
        operationId: 'requestPortalAccessExport',
        tags: ['portal'],
        summary: 'Ask for a copy of everything held on you, with what the law says you must be told about it; follow it until ready',
        description: '409 when no record is held for the signed-in address. At most 3 an hour.',
        params: portalParams,
        body: z.strictObject({ format: z.enum(accessExportFormats) }),
        response: { 202: z.object({ data: portalExportSchema }) },
      },
    },
    async (request, reply) => {
      const { workspace, person } = await portalSignedIn(database, request);
      await consumeAttempts(
        database.db,
        [accountAttempt(throttleRules.portalExportPerIdentity, workspace.slug, person.email)],
        'Too many copies asked for; wait before asking again.',
      );
      return reply.code(202).send({ data: await requestPortalExport(database, workspace.id, person, request.body.format, deps.config.publicUrl) });
    },
  );

  app.get(
    '/portal/:workspace/me/access-exports',
    {
      config: { public: true, portalSession: true, problems: ['not_found'] },
      schema: {
        operationId: 'listPortalAccessExports',
        tags: ['portal'],
        summary: 'The copies of your data, newest first (empty when no record is held for the address)',
        params: portalParams,
        response: { 200: z.object({ data: z.array(portalExportSchema) }) },
      },
    },
    async (request) => {
      const { workspace, person } = await portalSignedIn(database, request);
      return { data: await listPortalExports(database, workspace.id, person) };
    },
  );

  app.post(
    '/portal/:workspace/me/access-exports/:exportId/download-links',
    {
      config: { public: true, portalSession: true, problems: ['not_found', 'conflict'] },
      schema: {
        operationId: 'createPortalExportLink',
        tags: ['portal'],
        summary: 'A single-use download link to a ready copy, valid 15 minutes; 409 while it is not ready',
        params: portalParams.extend({ exportId: uuidLookup }),
        response: { 201: z.object({ data: z.object({ url: z.string(), expiresAt: z.string() }) }) },
      },
    },
    async (request, reply) => {
      const { workspace, person } = await portalSignedIn(database, request);
      const link = await createPortalExportLink(database, workspace.id, person, request.params.exportId);
      const url = `${deps.config.publicUrl.replace(/\/$/, '')}/api/v1/access-export-downloads/${link.token}`;
      return reply.code(201).send({ data: { url, expiresAt: link.expiresAt } });
    },
  );
});
