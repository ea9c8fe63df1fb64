import { z } from 'zod';
import { auditedTransaction } from '../../kernel/index.ts';
import { currentNotice, listNoticeVersions, type Notice } from '../../privacy/notices/notices.ts';
import { deleteDraft, maxNoticeBodyLength, maxNoticeTitleLength, maxRenewalGraceDays, publishDraft, saveDraft } from '../../privacy/notices/noticeAuthoring.ts';
import { optionalIfMatchVersion, setEtag } from '../etag.ts';
import { nameComponent } from '../openapi/components.ts';
import { accessContext } from '../principal.ts';
import { isoOrNull } from './recordRouteSupport.ts';
import { routePlugin } from './routePlugin.ts';

// Each purpose's plain-language notice, in versions: read by every role, written and
// published by privacy officers and admins (notice:write). src/privacy/notices/ holds the rules.

const readabilitySchema = z
  .object({
    readingEase: z.number().describe('Flesch reading ease: 60–70 is plain English, higher is easier'),
    grade: z.number().describe('Flesch–Kincaid grade: the US school grade that can follow the text'),
    words: z.number().int(),
    sentences: z.number().int(),
  })
  .nullable()
  .describe('Scored on the text without Markdown; English formulas (a rough guide for other languages); null for a text without words');

const noticeSchema = z.object({
  purposeKey: z.string(),
  version: z.number().int().describe("The notice's own number, 1, 2, 3… per purpose (not the purpose's ETag)"),
  status: z.enum(['draft', 'published', 'retired']).describe('One draft and one published notice at most; publishing retires the one before'),
  title: z.string(),
  language: z.string().describe('BCP 47 language tag'),
  bodyMarkdown: z.string(),
  contentHash: z.string().describe("SHA-256 (hex) of bodyMarkdown's UTF-8 bytes: a consent records it with the version"),
  material: z.boolean().describe('A material change: consents given under older versions stop counting at renewBy'),
  renewalGraceDays: z.number().int().nullable(),
  publishedAt: z.string().nullable(),
  publishedBy: z.string().nullable().describe('Who published it: user:<id>, api_key:<id> or system:<name>'),
  renewBy: z.string().nullable().describe('publishedAt + renewalGraceDays, for a material version'),
  updatedAt: z.string(),
  revision: z.number().int().describe("A draft's edit counter: send it as If-Match to change or publish the draft"),
  readability: readabilitySchema,
});
nameComponent(noticeSchema, 'PurposeNotice', "A version of a purpose's plain-language notice");

const params = z.object({ key: z.string().max(63) });

const draftBody = z.strictObject({
  title: z.string().max(maxNoticeTitleLength),
  bodyMarkdown: z.string().max(maxNoticeBodyLength).describe('Plain-language Markdown; no raw HTML is rendered'),
  language: z.string().max(35).optional().describe('BCP 47 tag; by default the published notice\'s, or "en"'),
});

const publishBody = z.strictObject({
  material: z.boolean().describe('Whether consents given under older versions must be renewed'),
  renewalGraceDays: z
    .number()
    .int()
    .min(0)
    .max(maxRenewalGraceDays)
    .nullable()
    .optional()
    .describe('Required for a material change and refused otherwise: days until older consents stop counting'),
});

const view = (notice: Notice): z.infer<typeof noticeSchema> => ({
  purposeKey: notice.purposeKey,
  version: notice.version,
  status: notice.status,
  title: notice.title,
  language: notice.language,
  bodyMarkdown: notice.bodyMarkdown,
  contentHash: notice.contentHash,
  material: notice.material,
  renewalGraceDays: notice.renewalGraceDays,
  publishedAt: isoOrNull(notice.publishedAt),
  publishedBy: notice.publishedBy,
  renewBy: isoOrNull(notice.renewBy),
  updatedAt: notice.updatedAt.toISOString(),
  revision: notice.revision,
  readability: notice.readability,
});

export const noticeRoutes = routePlugin(async (app, deps) => {
  const { database } = deps;

  app.get(
    '/purposes/:key/notices',
    {
      schema: {
        operationId: 'listPurposeNotices',
        tags: ['notices'],
        summary: "Every version of a purpose's notice, newest first (the draft, if any, leads), each with its readability",
        params,
        response: { 200: z.object({ data: z.array(noticeSchema) }) },
      },
    },
    async (request) => {
      const ctx = accessContext(request, 'notice:read');
      return { data: (await listNoticeVersions(database.db, ctx.tenantId, request.params.key)).map(view) };
    },
  );

  app.get(
    '/purposes/:key/notices/current',
    {
      schema: {
        operationId: 'getCurrentPurposeNotice',
        tags: ['notices'],
        summary: "The purpose's published notice: the words people are shown when asked to agree",
        params,
        response: { 200: z.object({ data: noticeSchema }) },
      },
    },
    async (request) => {
      const ctx = accessContext(request, 'notice:read');
      return { data: view(await currentNotice(database.db, ctx.tenantId, request.params.key)) };
    },
  );

  app.put(
    '/purposes/:key/notices/draft',
    {
      config: { ifMatch: 'optional', etag: true },
      schema: {
        operationId: 'savePurposeNoticeDraft',
        tags: ['notices'],
        summary: "Write the purpose's draft notice (privacy officer, admin; audited)",
        description:
          'Without a draft, starts one as the next version (send no If-Match). With one, replaces its title, text and language: ' +
          'send If-Match with the ETag (its revision) you read, or get 412 with the current one.',
        params,
        body: draftBody,
        response: { 200: z.object({ data: noticeSchema }) },
      },
    },
    async (request, reply) => {
      const ctx = accessContext(request, 'notice:write');
      const expected = optionalIfMatchVersion(request);
      const saved = await auditedTransaction(database.db, (tx) => saveDraft(tx, ctx, request.params.key, request.body, expected));
      setEtag(reply, saved.revision);
      return { data: view(saved) };
    },
  );

  app.delete(
    '/purposes/:key/notices/draft',
    {
      config: { ifMatch: 'optional' },
      schema: {
        operationId: 'deletePurposeNoticeDraft',
        tags: ['notices'],
        summary: "Discard the purpose's draft notice (privacy officer, admin; audited)",
        params,
        response: { 204: z.null().describe('Discarded') },
      },
    },
    async (request, reply) => {
      const ctx = accessContext(request, 'notice:write');
      const expected = optionalIfMatchVersion(request);
      await auditedTransaction(database.db, (tx) => deleteDraft(tx, ctx, request.params.key, expected));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/purposes/:key/notices/draft/publish',
    {
      config: { ifMatch: 'optional' },
      schema: {
        operationId: 'publishPurposeNoticeDraft',
        tags: ['notices'],
        summary: "Publish the purpose's draft as its current notice (privacy officer, admin; audited)",
        description:
          'The published version is immutable and retires the one before. A material change needs renewalGraceDays (0–365): ' +
          'renewBy is then publishedAt plus those days, after which consents given under older versions no longer count. ' +
          'With If-Match, only the draft revision you read is published.',
        params,
        body: publishBody,
        response: { 200: z.object({ data: noticeSchema }) },
      },
    },
    async (request) => {
      const ctx = accessContext(request, 'notice:write');
      const expected = optionalIfMatchVersion(request);
      const published = await auditedTransaction(database.db, (tx) => publishDraft(tx, ctx, request.params.key, request.body, expected));
      return { data: view(published) };
    },
  );
});
