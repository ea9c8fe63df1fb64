import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/*
 * Security headers on every response — routes, problem responses and 404s alike — set in
 * onRequest, before authentication can refuse the request.
 *
 * The CSP is one policy for the whole server: the API answers JSON, and its one HTML page of
 * its own, Swagger UI at /api/docs, loads only files served from this origin (no inline
 * script or style, no event-handler attributes; test/securityHeaders.test.ts checks the page)
 * plus data: images from its stylesheet. No 'unsafe-inline', no 'unsafe-eval', no other
 * origin. upgrade-insecure-requests is left out: `candor serve` speaks plain HTTP (TLS is a
 * proxy's job), and on an address other than localhost it would send the docs' own assets
 * to https:// and break them. The demo mailbox (/dev/mail) sets its own, stricter policy.
 */
const contentSecurityPolicy = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    baseUri: ["'self'"],
    fontSrc: ["'self'", 'data:'],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    imgSrc: ["'self'", 'data:'],
    objectSrc: ["'none'"],
    scriptSrc: ["'self'"],
    scriptSrcAttr: ["'none'"],
    styleSrc: ["'self'"],
  },
};

export const securityHeadersPlugin = fp(async (app: FastifyInstance) => {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
  // Responses may carry personal data: no browser, proxy or CDN may keep a copy. A route
  // serving something else may set its own (the docs' static files do).
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });
});
