import { portalPerson } from '../../privacy/portal/portalPerson.ts';
import { readPortalData } from '../../privacy/portal/portalData.ts';
import { portalCaller } from '../portalSessionAccess.ts';
import { portalDataSchema } from './portalSchemas.ts';
import { portalParams } from './portalSessions.ts';
import { routePlugin } from './routePlugin.ts';

/*
 * What a person signed in to the privacy portal sees and does: everything held on them
 * (read by the kernel's subject access, audited), their consents, their rights requests and
 * copies of their data. Every route needs the workspace's portal session (401 otherwise);
 * changes echo its CSRF token.
 */

export const portalSelfServiceRoutes = routePlugin(async (app, deps) => {
  const { database } = deps;

  app.get(
    '/portal/:workspace/me/data',
    {
      config: { public: true, portalSession: true, problems: ['not_found'] },
      schema: {
        operationId: 'readPortalData',
        tags: ['portal'],
        summary: 'Everything held on the signed-in person: values, records, consents with receipts, who accessed them, and the purposes',
        params: portalParams,
        response: { 200: portalDataSchema },
      },
    },
    async (request) => {
      const { workspace, session } = await portalCaller(database, request);
      const person = await portalPerson(database, session);
      return { data: await readPortalData(database, workspace.id, person, deps.config.publicUrl) };
    },
  );
});
