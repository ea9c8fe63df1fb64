import { routePlugin } from './routePlugin.ts';

// The web app arrives in a later release; until then the address Candor prints on start
// leads a newcomer to the API documentation rather than to a 401.
export const homeRoutes = routePlugin(async (app) => {
  app.get('/', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => reply.redirect('/api/docs', 302));
}, '');
