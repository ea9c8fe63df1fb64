import { exportFields } from '../../crm/export/exportRecords.ts';
import { startExport, type ExportFormat } from '../../crm/export/exportService.ts';
import type { ImportObject } from '../../crm/import/columnMapping.ts';
import { accessContext } from '../principal.ts';
import { routePlugin } from './routePlugin.ts';

// Streaming exports of every contact or company, with the column names the import accepts.
// Each export is audited (action "export", field names, format) before the first byte.

const files: Array<{ path: string; object: ImportObject; format: ExportFormat; operationId: string }> = [
  { path: '/exports/contacts.csv', object: 'contact', format: 'csv', operationId: 'exportContactsCsv' },
  { path: '/exports/contacts.json', object: 'contact', format: 'json', operationId: 'exportContactsJson' },
  { path: '/exports/companies.csv', object: 'company', format: 'csv', operationId: 'exportCompaniesCsv' },
  { path: '/exports/companies.json', object: 'company', format: 'json', operationId: 'exportCompaniesJson' },
];

export const exportRoutes = routePlugin(async (app, deps) => {
  for (const file of files) {
    const plural = file.object === 'contact' ? 'contacts' : 'companies';
    app.get(
      file.path,
      {
        schema: {
          operationId: file.operationId,
          tags: ['exports'],
          summary: `Export every ${file.object} of the workspace as ${file.format.toUpperCase()} (streamed; audited)`,
          description:
            `Columns: ${exportFields[file.object].join(', ')} — the names POST /imports accepts, so the file re-imports as it is. ` +
            (file.format === 'json' ? 'A JSON array of objects with those keys.' : 'A header row, then one row per record.'),
          produces: [file.format === 'csv' ? 'text/csv' : 'application/json'],
        },
      },
      async (request, reply) => {
        const ctx = accessContext(request, 'export:read');
        const started = await startExport(deps.database, ctx, { object: file.object, format: file.format });
        return reply
          .header('content-type', started.contentType)
          .header('content-disposition', `attachment; filename="${plural}.${file.format}"`)
          .header('cache-control', 'no-store')
          .send(started.body);
      },
    );
  }
});
