import { z } from 'zod';
import { gpcOptsOut } from '../../privacy/gpc.ts';
import { widgetNotices } from '../../privacy/notices/widgetNotices.ts';
import { formKeyHeader, formKeyOf, limitFormKeyRequest, registerFormKeyPreflight } from '../formKeyRequests.ts';
import { routePlugin } from './routePlugin.ts';

/*
 * GET /api/v1/collect/notices: what the consent widget shows, under a form key (the same
 * header, CORS and kind of limits as POST /collect: ../formKeyRequests.ts). Notices are no
 * personal data; the answer may be cached briefly by the browser, per origin and GPC signal.
 */

/** Reads per minute: per form key (every page view of the site loads it), and per client address. */
export const noticeLimits = { scope: 'collect_notices', perKey: 3000, perClient: 120, windowMs: 60_000 } as const;

const widgetNoticeSchema = z.object({
  purposeKey: z.string(),
  version: z.number().int().describe('The notice version: send it back with the choice made under it'),
  title: z.string(),
  language: z.string().describe('BCP 47 language tag'),
  text: z.string().describe('The notice in plain text, one heading, paragraph or list item a line (no Markdown, no HTML)'),
  gpcCovered: z.boolean().describe('A Global Privacy Control signal opts the visitor out of this purpose'),
});

const noticesSchema = z.object({
  data: z.object({
    purposes: z.array(widgetNoticeSchema).describe("The workspace's consent purposes with a published notice; e-mail marketing aside (double opt-in only)"),
    gpc: z.boolean().describe('Whether this request carried a Global Privacy Control opt-out (Sec-GPC: 1)'),
  }),
  withheld: z.array(z.never()),
});

export const collectNoticeRoutes = routePlugin(async (app, deps) => {
  registerFormKeyPreflight(app, deps.database, '/collect/notices', 'GET');

  app.get(
    '/collect/notices',
    {
      config: { public: true },
      schema: {
        operationId: 'listCollectNotices',
        tags: ['collection'],
        summary: 'The consent purposes and their published notices, for the consent widget, under a form key',
        description:
          "Each consent purpose of the form key's workspace with its published notice in plain text, for a visitor to choose from. Public (a form key, not an API key), CORS for the key's allowed origins, rate-limited per key and client.",
        headers: z.looseObject({ [formKeyHeader]: z.string().max(200).describe('The public form key, cfk_…') }),
        response: { 200: noticesSchema },
      },
    },
    async (request, reply) => {
      const { key } = await formKeyOf(deps.database, request, reply);
      await limitFormKeyRequest(deps.database, key, request.ip, noticeLimits, 'notice reads');
      const purposes = await widgetNotices(deps.database.db, key.tenantId);
      reply.header('cache-control', 'private, max-age=60');
      reply.header('vary', 'Origin, Sec-GPC');
      return { data: { purposes, gpc: gpcOptsOut(request.headers['sec-gpc']) }, withheld: [] };
    },
  );
});
