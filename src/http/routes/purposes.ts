import { z } from 'zod';
import { listPurposes } from '../../privacy/purposes.ts';
import { requirePrincipal } from '../principal.ts';
import { routePlugin } from './routePlugin.ts';

export const purposeSchema = z.object({
  key: z.string(),
  description: z.string(),
  legalBasis: z.enum(['consent', 'contract', 'legal_obligation', 'vital_interests', 'public_task', 'legitimate_interests']),
  dataUse: z.string().describe('fideslang data use'),
  retentionDays: z.number().int().nullable(),
});

export const purposeRoutes = routePlugin(async (app, deps) => {
  app.get(
    '/purposes',
    {
      schema: {
        tags: ['purposes'],
        summary: "The workspace's purposes: why personal data may be processed, and on which legal basis",
        response: { 200: z.object({ data: z.array(purposeSchema) }) },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const rows = await listPurposes(deps.database.db, principal.tenantId);
      return { data: rows.map(({ key, description, legalBasis, dataUse, retentionDays }) => ({ key, description, legalBasis: legalBasis as z.infer<typeof purposeSchema>['legalBasis'], dataUse, retentionDays })) };
    },
  );
});
