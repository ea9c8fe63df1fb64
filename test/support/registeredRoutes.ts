import type { FastifyInstance, HTTPMethods } from 'fastify';

export type Route = { method: HTTPMethods; url: string };

/**
 * Every registered route, read from Fastify's own route tree (printRoutes), so a route added
 * anywhere — a new plugin, swagger, a demo-only group — is walked without being named here.
 * The tree with its common prefixes: without them, printRoutes leaves out a segment no route
 * ends at (the web app's /assets/* would print as /*).
 */
export function registeredRoutes(app: FastifyInstance): Route[] {
  const routes: Route[] = [];
  const pathAtDepth: string[] = [];
  for (const line of app.printRoutes().split('\n')) {
    const match = /^((?:[│ ] {3})*)[├└]── (\S+)(?: \(([^)]*)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1].length / 4;
    pathAtDepth[depth] = (depth === 0 ? '' : pathAtDepth[depth - 1]) + match[2];
    for (const method of (match[3] ?? '').split(', ').filter(Boolean)) routes.push({ method: method as HTTPMethods, url: pathAtDepth[depth] });
  }
  return routes;
}
