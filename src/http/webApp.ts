import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { sendRouteNotFound } from './problem.ts';

/*
 * The web app (web/, built into web/dist): its page at / and at every path of the app's own
 * routes (/contacts/…, and /accept-invitation and /reset-password, which the e-mailed links
 * open), and its hashed script, style and image files under /assets/. The page is the same
 * for every path; the app reads the path in the browser. It talks to Candor only through
 * /api/v1, so no route here reads the database or needs a login.
 *
 * The server keeps its own paths: an unknown URL under one of them is the API's problem+json
 * 404, never the app's page, so a client that mistypes an API URL is not handed HTML.
 */
const serverPaths = ['/api', '/v1', '/.well-known', '/dev', '/assets', '/widget'];

/** Whether the request is for a page of the web app: a GET (or HEAD) of a path outside the server's own. */
export function isWebAppPage(method: string, url: string): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  const path = url.split(/[?#]/, 1)[0];
  return !serverPaths.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

// Served when web/dist has no build (the sources were never built, e.g. a checkout used as an
// API server only): says how to build it instead of a blank page.
const notBuiltPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Candor</title></head>
<body><main><h1>Candor</h1>
<p>The web app is not built in this installation. Build it with <code>npm run build -w web</code> (<code>npm ci</code> and <code>npm start</code> do it too), or use the API: <a href="/api/docs">/api/docs</a>.</p>
</main></body></html>
`;

async function sendWebAppPage(reply: FastifyReply, webRoot: string) {
  // Read at each request (it is small): a rebuild while the server runs replaces the hashed
  // asset names it refers to.
  const page = await readFile(join(webRoot, 'index.html'), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  reply.type('text/html; charset=utf-8');
  return page === null ? reply.code(503).send(notBuiltPage) : reply.send(page);
}

/** Registers the app's page and files, and the fallback that sends any other app path the page (replacing the 404 handler). */
export async function registerWebApp(app: FastifyInstance, webRoot: string): Promise<void> {
  await app.register(async (scope) => {
    // Everything here is the same for every visitor: no login, no purpose.
    scope.addHook('onRoute', (route) => {
      route.config = { ...(route.config ?? {}), public: true };
    });
    scope.get('/', { schema: { hide: true } }, (_request, reply) => sendWebAppPage(reply, webRoot));
    await scope.register(fastifyStatic, {
      root: join(webRoot, 'assets'),
      prefix: '/assets/',
      decorateReply: false,
      index: false,
      // File names carry a hash of their content: a changed file is a new name.
      maxAge: '365d',
      immutable: true,
      // The build writes .br and .gz copies beside each text file (web/precompress.ts).
      preCompressed: true,
    });
  });
  app.setNotFoundHandler((request, reply) => (isWebAppPage(request.method, request.url) ? sendWebAppPage(reply, webRoot) : sendRouteNotFound(request, reply)));
}
