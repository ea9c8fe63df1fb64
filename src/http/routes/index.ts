import type { RoutePlugin } from './routePlugin.ts';
import { healthRoutes } from './health.ts';
import { purposeRoutes } from './purposes.ts';

// Every route group, in one list. Each is a Fastify plugin with its own schemas.
export const routePlugins: RoutePlugin[] = [healthRoutes, purposeRoutes];
