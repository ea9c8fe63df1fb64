import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../shared/domainError.ts';

/*
 * GET /widget/consent.js: the consent widget other sites embed with a script tag (web/src/widget/,
 * built into web/dist/widget/consent.js with the web app). The same file for everyone, no
 * login, no cookie. Other sites load it, so it is served for cross-origin use (the security
 * headers keep every other response to this origin), cached briefly: a fix reaches the sites
 * within minutes.
 */

export const consentWidgetPath = '/widget/consent.js';

export function registerConsentWidgetScript(app: FastifyInstance, webRoot: string): void {
  app.get(consentWidgetPath, { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
    // Read at each request (it is small), like the web app's page: a rebuild replaces it.
    const script = await readFile(join(webRoot, 'widget', 'consent.js')).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    if (script === null) throw new DomainError('not_found', 'The consent widget is not built in this installation: run npm run build -w web.');
    reply.header('content-type', 'text/javascript; charset=utf-8');
    reply.header('cache-control', 'public, max-age=300');
    reply.header('cross-origin-resource-policy', 'cross-origin');
    reply.header('access-control-allow-origin', '*');
    return reply.send(script);
  });
}
