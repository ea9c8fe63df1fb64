import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDependencies } from '../dependencies.ts';

// biome-ignore lint/suspicious/noExplicitAny: Fastify's raw server generics are irrelevant to route plugins; any keeps one type for http and inject.
export type CandorApp = FastifyInstance<any, any, any, any, ZodTypeProvider>;

/** A route group: a Fastify plugin with its own schemas, given the app's dependencies. */
export type RoutePlugin = ((app: CandorApp, options: { deps: AppDependencies }) => Promise<void>) & { prefix?: string };

export function routePlugin(register: (app: CandorApp, deps: AppDependencies) => Promise<void>, prefix?: string): RoutePlugin {
  const plugin: RoutePlugin = async (app, options) => register(app.withTypeProvider<ZodTypeProvider>(), options.deps);
  plugin.prefix = prefix;
  return plugin;
}
