import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { validatorCompiler as zodValidatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { fieldsOf } from '../../crm/import/columnMapping.ts';
import { createImportBatch, listImportBatches, readImportReport } from '../../crm/import/importBatches.ts';
import { queueImport } from '../../crm/import/importJob.ts';
import { abandonedAfterMs, discardAbandonedImports, prepareImport, runPreparedImport } from '../../crm/import/importService.ts';
import { undoImport } from '../../crm/import/importUndo.ts';
import { parseImportDate } from '../../crm/import/rowValidation.ts';
import { actorKey } from '../../kernel/index.ts';
import { runIdempotent } from '../../platform/idempotency.ts';
import { camelCaseName } from '../../shared/camelCase.ts';
import { defaultPageSize, maxPageSize } from '../../shared/cursor.ts';
import { DomainError, invalid } from '../../shared/domainError.ts';
import { accessContext } from '../principal.ts';
import { sendRequestProblem } from '../problem.ts';
import { fileNameOf, importFailed, importReportBody, importReportSchema, importSummaryBody, importSummarySchema, overridesOf } from './importRouteSupport.ts';
import { idParams, listEnvelope, singleEnvelope } from './recordRouteSupport.ts';
import { declaredIdempotencyKey } from '../routeContract.ts';
import { routePlugin } from './routePlugin.ts';

// CSV imports over HTTP. The body is the file itself (Content-Type: text/csv; multipart is
// not installed); options go in the query string. While a server holds the embedded
// database this is how large files get in, so the body limit is generous, and the file is
// staged in short transactions so other requests keep flowing during the upload.

export const maxImportBodyBytes = 64 * 1024 * 1024;

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
  consentSource: z
    .string()
    .min(1)
    .max(500)
    .optional()
    .describe('Contact imports with consent:<purpose> columns: where the consents were collected (e.g. "Trade fair sign-up sheet 2025"); sealed as evidence'),
  consentDate: z
    .string()
    .max(40)
    .optional()
    .describe('When the consents were given, for rows with no consent_date cell (ISO 8601, e.g. 2025-03-01); never in the future'),
  background: z
    .enum(['true', 'false'])
    .default('false')
    .describe('true: answer 202 at once with the import queued, and stage and publish it in a background job; follow it with GET /imports/{id}'),
});

const importListQuery = z.object({
  cursor: z.string().max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(maxPageSize).default(defaultPageSize),
});

/** The consentDate query parameter as an instant (422 naming it when it is no ISO 8601 date or lies in the future). */
function consentDateOf(value: string | undefined): Date | null {
  if (value === undefined) return null;
  const date = parseImportDate(value);
  if (!date) throw invalid('consentDate', 'not a valid date (expected ISO 8601, e.g. 2025-03-01)');
  if (date.getTime() > Date.now() + 60_000) throw invalid('consentDate', 'must not be in the future');
  return date;
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
      config: { idempotencyKey: true, problems: ['conflict', 'jobs_unavailable'] },
      schema: {
        operationId: 'createImport',
        tags: ['imports'],
        summary: `Import contacts or companies from a CSV file sent as the text/csv body (at most ${maxImportBodyBytes / 1024 / 1024} MiB)`,
        description:
          'Columns are matched to fields by header (HubSpot, Salesforce and Candor export headers are recognised). All-or-nothing: ' +
          'with any invalid row and skipInvalid=false nothing is published and the answer is 422 listing each line, field and reason. ' +
          'With background=true the answer is 202 with the import queued; a job stages and publishes it, and GET /imports/{id} shows its progress and report. ' +
          'Name the file with Content-Disposition: attachment; filename="contacts.csv" to see the name in GET /imports. ' +
          `Contact fields: ${fieldsOf('contact').map(camelCaseName).join(', ')}. Company fields: ${fieldsOf('company').map(camelCaseName).join(', ')}. ` +
          'A contact file may carry consent:<purpose key> columns (given, refused, withdrawn, yes or no) with a consent_date column or consentDate, and needs consentSource then: ' +
          'each cell becomes a consent ledger event, channel import, at that date, for new and matched contacts alike; the report counts them and says when some were already expired.',
        querystring: importQuery,
        consumes: ['text/csv'],
        body: z.string().describe('The CSV file, header row first (UTF-8)'),
        response: { 201: singleEnvelope(importReportSchema), 202: singleEnvelope(importReportSchema) },
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
      const { object, skipInvalid, owner, map, mode, matchOn, background, consentSource, consentDate } = request.query;
      const options = {
        object,
        mode,
        matchOn,
        overrides: overridesOf(map),
        skipInvalid: skipInvalid === 'true',
        ownerEmail: owner ?? null,
        consentSource: consentSource ?? null,
        consentDate: consentDateOf(consentDate),
      };
      const fileName = fileNameOf(request.headers['content-disposition']);
      await discardAbandonedImports(deps.database, { idleMs: abandonedAfterMs });
      // The batch is created with the Idempotency-Key; a retry finds it and answers from its state.
      const key = declaredIdempotencyKey(request);
      const fileHash = createHash('sha256').update(upload).digest('hex');
      const idempotency =
        key !== null
          ? { tenantId: ctx.tenantId, key, actor: actorKey(ctx.actor), method: 'POST', route: '/imports', body: { ...request.query, fileName, fileHash } }
          : null;
      if (background === 'true') {
        const queued = await queueImport(deps.database, ctx, { ...options, fileName, file: upload }, idempotency);
        const report = await readImportReport(deps.database.db, ctx, queued.batchId);
        return reply
          .code(202)
          .header('location', `/api/v1/imports/${queued.batchId}`)
          .send({ data: importReportBody(report), withheld: [] });
      }
      const prepared = await prepareImport(deps.database, ctx, { ...options, fileName, input: Readable.from([upload]) });
      const created = await runIdempotent(deps.database, idempotency, async (tx) => ({
        statusCode: 201,
        recordId: await createImportBatch(tx, ctx, { object, mode, fileName }),
      }));
      const batchId = created.recordId as string;
      const report = created.replayed ? await readImportReport(deps.database.db, ctx, batchId) : await runPreparedImport(deps.database, ctx, prepared, batchId);
      if (report.status === 'running' || report.status === 'staged') {
        throw new DomainError('idempotency_in_progress', 'The import with this Idempotency-Key is still running; fetch GET /imports/{id} shortly.', [], {
          importId: batchId,
        });
      }
      const body = importReportBody(report);
      if (report.status === 'failed') throw importFailed(body);
      return reply.code(201).header('location', `/api/v1/imports/${batchId}`).send({ data: body, withheld: [] });
    },
  );

  app.get(
    '/imports',
    {
      schema: {
        operationId: 'listImports',
        tags: ['imports'],
        summary: "The workspace's imports, newest first: state, progress, counts, who and when, and the file's name (no value from any file)",
        querystring: importListQuery,
        response: { 200: listEnvelope(importSummarySchema) },
      },
    },
    async (request) => {
      const ctx = accessContext(request, 'import:read');
      const page = await listImportBatches(deps.database.db, ctx, request.query);
      return { data: page.data.map(importSummaryBody), withheld: [], nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/imports/:id',
    {
      schema: {
        operationId: 'getImport',
        tags: ['imports'],
        summary: 'An import: its state, progress and report (line numbers, fields and reasons only, grouped in issueSummary)',
        params: idParams,
        response: { 200: singleEnvelope(importReportSchema) },
      },
    },
    async (request) => {
      const ctx = accessContext(request, 'import:read');
      return { data: importReportBody(await readImportReport(deps.database.db, ctx, request.params.id)), withheld: [] };
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
      return { data: importReportBody(await undoImport(deps.database, ctx, request.params.id)), withheld: [] };
    },
  );
});
