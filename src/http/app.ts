import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { AppDependencies } from './dependencies.ts';
import { documentComponents, documentRoute } from './openapi/routeDocumentation.ts';
import { registerProblemHandler, sendFrameworkProblem } from './problem.ts';
import { registerStorableInputGuard } from './storableInput.ts';
import { apiPrefix, registerKnownQueryParameters } from './knownQueryParameters.ts';
import { registerWithheldMessages } from './reasonMessages.ts';
import { authenticationPlugin } from './plugins/authentication.ts';
import { securityHeadersPlugin } from './plugins/securityHeaders.ts';
import { routePlugins } from './routes/index.ts';
import { registerWebApp } from './webApp.ts';
import { registerConsentWidgetScript } from './consentWidgetScript.ts';

export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: deps.config.logLevel,
      stream: deps.logStream,
      // Query strings and headers can carry personal data or secrets: log the route only.
      serializers: {
        req: (request) => ({ method: request.method, route: request.routeOptions?.url ?? 'unmatched', id: request.id }),
        res: (reply) => ({ statusCode: reply.statusCode }),
      },
    },
    // Bulk event ingest is the largest body (10,000 events); see routes/events.ts.
    bodyLimit: 1024 * 1024,
    trustProxy: false,
    frameworkErrors: sendFrameworkProblem,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerProblemHandler(app);
  // Before authentication, which reads headers into queries.
  registerStorableInputGuard(app);
  registerWithheldMessages(app);

  // First, so its headers are on every response, including refusals by later hooks.
  await app.register(securityHeadersPlugin);
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Candor API', version: '1', description: 'Every request that touches personal data states its purpose in the Candor-Purpose header.' },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'cnd_<keyId>_<secret>' },
          session: { type: 'apiKey', in: 'cookie', name: 'candor_session' },
          portalSession: {
            type: 'apiKey',
            in: 'cookie',
            name: 'candor_portal',
            description: 'A customer privacy portal session (POST /api/v1/portal/{workspace}/sign-in)',
          },
          drpAgentToken: { type: 'http', scheme: 'bearer', description: 'Data Rights Protocol: the token POST /v1/agent/{id} gave the agent' },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
    transform: documentRoute,
    transformObject: documentComponents,
  });
  // The swagger UI's own routes (page, assets, spec) are public. Added before it registers
  // them: an onRoute hook sees only routes registered after it.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/docs')) route.config = { ...(route.config ?? {}), public: true };
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list' } });
  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());

  await app.register(authenticationPlugin, { database: deps.database });
  // Before the routes it checks: an onRoute hook sees only routes registered after it.
  registerKnownQueryParameters(app, apiPrefix);
  for (const plugin of routePlugins) {
    await app.register(plugin, { prefix: plugin.prefix ?? apiPrefix, deps });
  }
  registerConsentWidgetScript(app, deps.config.webRoot);
  // Last: its fallback answers the URLs no route above serves.
  await registerWebApp(app, deps.config.webRoot);
  return app;
}
