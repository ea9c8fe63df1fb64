import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { validatorCompiler as zodValidatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { fieldsOf } from '../../crm/import/columnMapping.ts';
import { createImportBatch, readImportReport, type ImportReport } from '../../crm/import/importBatches.ts';
import { abandonedAfterMs, discardAbandonedImports, prepareImport, runPreparedImport } from '../../crm/import/importService.ts';
import { undoImport } from '../../crm/import/importUndo.ts';
import { actorKey } from '../../kernel/index.ts';
import { runIdempotent } from '../../platform/idempotency.ts';
import { camelCaseName } from '../../shared/camelCase.ts';
import { DomainError } from '../../shared/domainError.ts';
import { accessContext } from '../principal.ts';
import { sendRequestProblem } from '../problem.ts';
import { idParams, singleEnvelope } from './recordRouteSupport.ts';
import { nameComponent } from '../openapi/components.ts';
import { declaredIdempotencyKey } from '../routeContract.ts';
import { routePlugin } from './routePlugin.ts';

// CSV imports over HTTP. The body is the file itself (Content-Type: text/csv; multipart is
// not installed); options go in the query string. While a server holds the embedded
// database this is how large files get in, so the body limit is generous, and the file is
// staged in short transactions so other requests keep flowing during the upload.

export const maxImportBodyBytes = 64 * 1024 * 1024;

const importIssueSchema = z.object({ line: z.number().int(), field: z.string(), reason: z.string() });
export const importReportSchema = z.object({
  id: z.string(),
  object: z.enum(['contact', 'company']),
  status: z.enum(['staging', 'published', 'failed', 'undone']),
  totalRows: z.number().int().describe('Data rows read (the header is not counted)'),
  mode: z.enum(['create', 'upsert']).describe('upsert: rows matching an existing record updated it'),
  importedRows: z.number().int().describe('Records created'),
  updatedRows: z.number().int().describe('Existing records updated (upsert imports)'),
  invalidRows: z.number().int().describe('Rows skipped (skipInvalid) or, when the import failed, the rows that made it fail'),
  issues: z.array(importIssueSchema).describe('Line number, field and reason of each problem — never the value'),
  issuesTruncated: z.boolean(),
  unmappedColumns: z.array(z.string()).optional().describe('File columns that match no field and were not imported'),
  removedContacts: z.number().int().optional(),
  removedCompanies: z.number().int().optional(),
  keptCompanies: z.number().int().optional().describe('Companies the import created that other records now use, so undo kept them'),
  keptUpdated: z
    .number()
    .int()
    .optional()
    .describe('Existing records an upsert import updated: undo keeps them with the values the import wrote (their earlier values are not kept)'),
  createdAt: z.string(),
  publishedAt: z.string().nullable(),
  undoneAt: z.string().nullable(),
});
nameComponent(importReportSchema, 'ImportReport');
type ImportReportBody = z.infer<typeof importReportSchema>;

const importQuery = z.object({
  object: z.enum(['contact', 'company']),
  skipInvalid: z.enum(['true', 'false']).default('false').describe('true: publish the valid rows and report the invalid ones by line'),
  mode: z.enum(['create', 'upsert']).default('create').describe('upsert: a row matching an existing record (matchOn) updates it instead of creating one'),
  matchOn: z
    .enum(['email', 'externalId', 'domain'])
    .optional()
    .describe('What an upsert matches: contacts email (default) or externalId; companies externalId (default) or domain'),
  owner: z.email().optional().describe('E-mail of the user who owns records whose row names no owner'),
  map: z
    .union([z.string().max(1000), z.array(z.string().max(1000)).max(1000)])
    .optional()
    .describe('Header=field to map a column by hand, Header= to ignore it; repeat for several columns'),
});

function reportBody(
  report: ImportReport & Partial<Pick<ImportReportBody, 'unmappedColumns' | 'removedContacts' | 'removedCompanies' | 'keptCompanies' | 'keptUpdated'>>,
): ImportReportBody {
  return {
    ...report,
    createdAt: report.createdAt.toISOString(),
    publishedAt: report.publishedAt?.toISOString() ?? null,
    undoneAt: report.undoneAt?.toISOString() ?? null,
  };
}

function overridesOf(map: string | string[] | undefined): Record<string, string | null> {
  const overrides: Record<string, string | null> = {};
  for (const entry of map === undefined ? [] : Array.isArray(map) ? map : [map]) {
    const at = entry.lastIndexOf('=');
    if (at <= 0)
      throw new DomainError('validation_failed', 'map must be Header=field', [
        { field: 'query.map', reason: 'use Header=field, or Header= to ignore a column' },
      ]);
    const field = entry.slice(at + 1).trim();
    overrides[entry.slice(0, at)] = field === '' ? null : field;
  }
  return overrides;
}

/** A failed import is a 422 problem naming each bad line and field, with the batch id and its report. */
function importFailed(report: ImportReportBody): DomainError {
  const issues = report.issues.map((issue) => ({ field: `line ${issue.line}: ${issue.field}`, reason: issue.reason }));
  return new DomainError(
    'validation_failed',
    `Nothing was imported: ${report.invalidRows} row(s) are invalid. Fix them, or import again with skipInvalid=true to publish the valid rows.`,
    issues,
    { importId: report.id, import: report },
  );
}

export const importRoutes = routePlugin(async (app, deps) => {
  // Scoped to this plugin: the raw file as a Buffer (hashed for Idempotency-Key, then streamed).
  app.addContentTypeParser(['text/csv', 'application/csv'], { parseAs: 'buffer', bodyLimit: maxImportBodyBytes }, (_request, body, done) => done(null, body));

  app.post(
    '/imports',
    {
      bodyLimit: maxImportBodyBytes,
      // The body is the raw file (a Buffer), checked by the handler; its schema only documents it.
      validatorCompiler: (route) =>
        route.httpPart === 'body' ? (data: unknown) => ({ value: data }) : zodValidatorCompiler(route as unknown as Parameters<typeof zodValidatorCompiler>[0]),
      config: { idempotencyKey: true, problems: ['conflict'] },
      schema: {
        operationId: 'createImport',
        tags: ['imports'],
        summary: `Import contacts or companies from a CSV file sent as the text/csv body (at most ${maxImportBodyBytes / 1024 / 1024} MiB)`,
        description:
          'Columns are matched to fields by header (HubSpot, Salesforce and Candor export headers are recognised). All-or-nothing: ' +
          'with any invalid row and skipInvalid=false nothing is published and the answer is 422 listing each line, field and reason. ' +
          `Contact fields: ${fieldsOf('contact').map(camelCaseName).join(', ')}. Company fields: ${fieldsOf('company').map(camelCaseName).join(', ')}.`,
        querystring: importQuery,
        consumes: ['text/csv'],
        body: z.string().describe('The CSV file, header row first (UTF-8)'),
        response: { 201: singleEnvelope(importReportSchema) },
      },
    },
    async (request, reply) => {
      const ctx = accessContext(request, 'import:write');
      const upload: unknown = request.body;
      if (!Buffer.isBuffer(upload)) {
        return sendRequestProblem(reply, 'unsupportedMediaType', 'Send the CSV file as the request body with Content-Type: text/csv.', [
          { field: 'content-type', reason: 'must be text/csv' },
        ]);
      }
      const { object, skipInvalid, owner, map, mode, matchOn } = request.query;
      const prepared = await prepareImport(deps.database, ctx, {
        object,
        mode,
        matchOn,
        input: Readable.from([upload]),
        overrides: overridesOf(map),
        skipInvalid: skipInvalid === 'true',
        ownerEmail: owner ?? null,
      });
      await discardAbandonedImports(deps.database, { idleMs: abandonedAfterMs });
      // The batch is created with the Idempotency-Key; a retry finds it and answers from its state.
      const key = declaredIdempotencyKey(request);
      const fileHash = createHash('sha256').update(upload).digest('hex');
      const idempotency =
        key !== null
          ? { tenantId: ctx.tenantId, key, actor: actorKey(ctx.actor), method: 'POST', route: '/imports', body: { ...request.query, fileHash } }
          : null;
      const created = await runIdempotent(deps.database, idempotency, async (tx) => ({
        statusCode: 201,
        recordId: await createImportBatch(tx, ctx, object, mode),
      }));
      const batchId = created.recordId as string;
      const report = created.replayed ? await readImportReport(deps.database.db, ctx, batchId) : await runPreparedImport(deps.database, ctx, prepared, batchId);
      if (report.status === 'staging') {
        throw new DomainError('idempotency_in_progress', 'The import with this Idempotency-Key is still running; fetch GET /imports/{id} shortly.', [], {
          importId: batchId,
        });
      }
      const body = reportBody(report);
      if (report.status === 'failed') throw importFailed(body);
      return reply.code(201).header('location', `/api/v1/imports/${batchId}`).send({ data: body, withheld: [] });
    },
  );

  app.get(
    '/imports/:id',
    {
      schema: {
        operationId: 'getImport',
        tags: ['imports'],
        summary: 'An import batch: its status and report (line numbers, fields and reasons only)',
        params: idParams,
        response: { 200: singleEnvelope(importReportSchema) },
      },
    },
    async (request) => {
      const ctx = accessContext(request, 'import:read');
      return { data: reportBody(await readImportReport(deps.database.db, ctx, request.params.id)), withheld: [] };
    },
  );

  app.post(
    '/imports/:id/undo',
    {
      config: { problems: ['conflict'] },
      schema: {
        operationId: 'undoImport',
        tags: ['imports'],
        summary:
          'Undo an import: delete the contacts and companies it created (companies other records now use are kept); records an upsert import updated are kept and counted (keptUpdated)',
        params: idParams,
        response: { 200: singleEnvelope(importReportSchema) },
      },
    },
    async (request) => {
      const ctx = accessContext(request, 'import:write');
      return { data: reportBody(await undoImport(deps.database, ctx, request.params.id)), withheld: [] };
    },
  );
});
