import { z } from 'zod';
import { changeWorkspaceSettings, workspaceSettings } from '../../accounts/workspaces.ts';
import { accessContext, requirePrincipal } from '../principal.ts';
import { routePlugin } from './routePlugin.ts';

const settingsSchema = z.object({
  slug: z.string(),
  name: z.string(),
  defaultRegion: z.string().describe('ISO 3166-1 alpha-2 region that phone numbers typed without a country code belong to'),
});

const settingsChange = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    defaultRegion: z.string().max(10).optional().describe('ISO 3166-1 alpha-2 region in capitals (US, GB, DE, …)'),
  })
  .refine((body) => Object.keys(body).length > 0, 'name at least one setting to change');

// The workspace's own settings: readable by every member, changed by admins.
export const workspaceRoutes = routePlugin(async (app, deps) => {
  const { database } = deps;

  app.get(
    '/workspace',
    {
      schema: {
        operationId: 'getWorkspace',
        tags: ['workspace'],
        summary: "The workspace's settings: its name and the default region of phone numbers",
        response: { 200: z.object({ data: settingsSchema }) },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      return { data: await workspaceSettings(database.db, { tenantId: principal.tenantId, actor: principal.actor, purpose: null }) };
    },
  );

  app.patch(
    '/workspace',
    {
      schema: {
        operationId: 'updateWorkspace',
        tags: ['workspace'],
        summary: "Change the workspace's name or default phone region (admin)",
        description:
          'The default region turns national phone numbers into E.164 when contacts are written ("(555) 010-0102" → +15550100102 in US) and when they are searched. Numbers stored before keep their form.',
        body: settingsChange,
        response: { 200: z.object({ data: settingsSchema }) },
      },
    },
    async (request) => {
      const ctx = accessContext(request, 'workspace:write');
      return { data: await changeWorkspaceSettings(database.db, ctx, request.body) };
    },
  );
});
