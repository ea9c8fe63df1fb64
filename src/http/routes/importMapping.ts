import { z } from 'zod';
import { fieldsOf, mapHeaders } from '../../crm/import/columnMapping.ts';
import { assertValidOverrides } from '../../crm/import/importService.ts';
import { detectSourceFormat, sourceFormats } from '../../crm/import/sourceFormats.ts';
import { camelCaseName } from '../../shared/camelCase.ts';
import { nameComponent } from '../openapi/components.ts';
import { accessContext } from '../principal.ts';
import { overridesOf } from './importRouteSupport.ts';
import { singleEnvelope } from './recordRouteSupport.ts';
import { routePlugin } from './routePlugin.ts';

// How POST /imports would map a file's columns, asked with its header row alone: a mapping
// screen shows it before the file is sent, and sends the user's changes back as `map`. The
// header row is names, not values, so it may travel; the rows stay in the browser.

const mappingRequest = z.strictObject({
  object: z.enum(['contact', 'company']),
  headers: z.array(z.string().max(300)).min(1).max(500).describe("The file's header row, in order"),
  map: z
    .array(z.string().max(1000))
    .max(500)
    .default([])
    .describe('Header=field to map a column by hand, Header= to ignore it: what POST /imports takes as map'),
});

const columnMappingSchema = z.object({
  column: z.number().int().describe('0-based position in the header row'),
  header: z.string(),
  field: z.string().nullable().describe('The field the column fills (as the export names it); null: the column is not imported'),
});

const importMappingSchema = z.object({
  object: z.enum(['contact', 'company']),
  format: z
    .enum(sourceFormats)
    .nullable()
    .describe('The system whose export the header row is recognised as (its preset of header names); null: none in particular'),
  fields: z.array(z.string()).describe('Every field a column may fill, for a choice of field per column'),
  columns: z.array(columnMappingSchema),
  unmapped: z.array(z.string()).describe('Headers that match no field and were not ignored by hand: not imported'),
  consentColumns: z
    .array(z.object({ column: z.number().int(), header: z.string(), purposeKey: z.string() }))
    .describe('Contact files: consent:<purpose key> columns, imported as consent ledger events (POST /imports then needs consentSource)'),
  consentDateColumn: z.number().int().nullable().describe('Contact files: the consent_date column dating those consents, if any'),
});
nameComponent(importMappingSchema, 'ImportMapping', "How POST /imports maps a header row's columns to fields");

export const importMappingRoutes = routePlugin(async (app) => {
  app.post(
    '/imports/mapping',
    {
      schema: {
        operationId: 'previewImportMapping',
        tags: ['imports'],
        summary: 'How POST /imports would map the columns of a file with this header row (HubSpot, Salesforce and Candor export headers are recognised)',
        body: mappingRequest,
        response: { 200: singleEnvelope(importMappingSchema) },
      },
    },
    async (request) => {
      accessContext(request, 'import:write');
      const { object, headers, map } = request.body;
      const overrides = overridesOf(map);
      assertValidOverrides(object, overrides);
      const { mapping, unmapped, consentColumns, consentDateColumn } = mapHeaders(object, headers, overrides);
      const data = {
        object,
        format: detectSourceFormat(object, headers),
        fields: fieldsOf(object).map(camelCaseName),
        columns: mapping.map(({ column, header, field }) => ({ column, header, field: field === null ? null : camelCaseName(field) })),
        unmapped,
        consentColumns,
        consentDateColumn,
      };
      return { data, withheld: [] };
    },
  );
});
