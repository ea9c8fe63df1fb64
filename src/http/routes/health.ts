import { z } from 'zod';
import { sql } from 'drizzle-orm';
import { routePlugin } from './routePlugin.ts';

export const healthRoutes = routePlugin(async (app, deps) => {
  app.get(
    '/health',
    {
      config: { public: true },
      schema: {
        operationId: 'getHealth',
        tags: ['system'],
        summary: 'Liveness and database reachability',
        response: { 200: z.object({ status: z.literal('ok'), database: z.enum(['pglite', 'postgres']) }) },
      },
    },
    async () => {
      await deps.database.db.execute(sql`select 1`);
      return { status: 'ok' as const, database: deps.database.kind };
    },
  );
});
