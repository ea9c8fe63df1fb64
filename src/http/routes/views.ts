import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  createView,
  deleteView,
  getView,
  guardViewName,
  listViews,
  updateView,
  viewObjects,
  viewSortNames,
  type SavedView,
} from '../../crm/views/savedViews.ts';
import { auditedTransaction, type AccessContext } from '../../kernel/index.ts';
import { optionalIfMatchVersion, requiredIfMatchVersion, setEtag } from '../etag.ts';
import { nameComponent, uuid } from '../openapi/components.ts';
import { accessContext, requirePrincipal } from '../principal.ts';
import { createThenRead, idempotencyRequestOf, idParams, instant, listEnvelope, pageQuery, singleEnvelope } from './recordRouteSupport.ts';
import { routePlugin } from './routePlugin.ts';
import { assertViewFitsList, viewReadAction } from './viewableLists.ts';

// Saved views of the lists (GET/POST/PATCH/DELETE /views), each the caller's own: a signed-in
// user's, or an API key's own (never its creator's). Another owner's view is a 404.

const viewObject = z.enum(viewObjects).describe('The list the view is of, by its path: contacts, companies, deals, activities or purchases');
const viewName = z.string().trim().min(1).max(100).describe('Unique among your views of the same list');
const viewFilters = z
  .record(z.string().max(60), z.string().max(300))
  .refine((filters) => Object.keys(filters).length <= 20, 'at most 20 filters')
  .describe('The list\'s filters as query-string values, by parameter name ({ "lifecycleStage": "lead" }); only the list\'s own filters');
const viewSort = z.string().max(60).nullable().describe('One of the sorts the list allows, - for descending; null for its default');
const viewColumns = z
  .array(z.string().max(100))
  .max(50)
  .describe("Fields of the list's records to show, in order (customFields.<key> for a custom field); empty for the screen's default");
const notShared = z.literal(false).describe('Views shared with the workspace are not available yet: only false');

const viewSchema = z.object({
  id: uuid,
  object: viewObject,
  name: z.string(),
  filters: z.record(z.string(), z.string()),
  sort: z.string().nullable(),
  columns: z.array(z.string()),
  shared: z.boolean(),
  createdAt: instant,
  updatedAt: instant,
  version: z.number().int(),
});
nameComponent(viewSchema, 'SavedView', "A list's filters, sort and columns saved under a name by its owner");

const viewCreate = z.strictObject({
  object: viewObject,
  name: viewName,
  filters: viewFilters.default({}),
  sort: viewSort.default(null),
  columns: viewColumns.default([]),
  shared: notShared.optional(),
});
const viewPatch = z
  .strictObject({
    name: viewName.optional(),
    filters: viewFilters.optional(),
    sort: viewSort.optional(),
    columns: viewColumns.optional(),
    shared: notShared.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'name at least one thing to change');
const viewListQuery = z.object({
  object: viewObject.optional(),
  ...pageQuery(viewSortNames, 'createdAt'),
});

const viewBody = (view: SavedView) => ({ ...view, createdAt: view.createdAt.toISOString(), updatedAt: view.updatedAt.toISOString() });

/** Reading, changing or deleting one's own views needs no permission beyond being signed in: the view is the caller's. */
function ownerContext(request: FastifyRequest): AccessContext {
  const principal = requirePrincipal(request);
  return { tenantId: principal.tenantId, actor: principal.actor, purpose: null };
}

export const viewRoutes = routePlugin(async (app, deps) => {
  const { database } = deps;

  app.get(
    '/views',
    {
      schema: {
        operationId: 'listViews',
        tags: ['views'],
        summary: 'Your saved views (of one list with object=), a page at a time',
        querystring: viewListQuery,
        response: { 200: listEnvelope(viewSchema) },
      },
    },
    async (request) => {
      const page = await listViews(database.db, ownerContext(request), request.query);
      return { data: page.data.map(viewBody), withheld: [], nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/views',
    {
      config: { idempotencyKey: true, etag: true, problems: ['duplicate'] },
      schema: {
        operationId: 'createView',
        tags: ['views'],
        summary: "Save a view of a list: its filters, sort and columns, checked against the list's own (honours Idempotency-Key)",
        description: 'Saving a view of a list needs the role to read that list. 422 names each filter, sort or column the list does not have.',
        body: viewCreate,
        response: { 201: singleEnvelope(viewSchema) },
      },
    },
    async (request, reply) => {
      const { shared: _shared, ...view } = request.body;
      const ctx = accessContext(request, viewReadAction(view.object));
      await assertViewFitsList(database.db, ctx, view.object, view);
      const created = await guardViewName(() =>
        createThenRead(
          database,
          idempotencyRequestOf(request, ctx),
          (tx) => createView(tx, ctx, view),
          (executor, id) => getView(executor, ctx, id),
        ),
      );
      setEtag(reply, created.read.version);
      return reply
        .code(created.statusCode)
        .header('location', `/api/v1/views/${created.read.id}`)
        .send({ data: viewBody(created.read), withheld: [] });
    },
  );

  app.get(
    '/views/:id',
    {
      config: { etag: true },
      schema: { operationId: 'getView', tags: ['views'], summary: 'One of your saved views', params: idParams, response: { 200: singleEnvelope(viewSchema) } },
    },
    async (request, reply) => {
      const view = await getView(database.db, ownerContext(request), request.params.id);
      setEtag(reply, view.version);
      return { data: viewBody(view), withheld: [] };
    },
  );

  app.patch(
    '/views/:id',
    {
      config: { ifMatch: 'required', etag: true, problems: ['duplicate'] },
      schema: {
        operationId: 'updateView',
        tags: ['views'],
        summary: 'Change one of your saved views (If-Match required); filters, sort and columns are checked against its list',
        params: idParams,
        body: viewPatch,
        response: { 200: singleEnvelope(viewSchema) },
      },
    },
    async (request, reply) => {
      const expectedVersion = requiredIfMatchVersion(request);
      const current = await getView(database.db, ownerContext(request), request.params.id);
      const ctx = accessContext(request, viewReadAction(current.object));
      const { shared: _shared, ...change } = request.body;
      await assertViewFitsList(database.db, ctx, current.object, change);
      await guardViewName(() => auditedTransaction(database.db, (tx) => updateView(tx, ctx, current.id, expectedVersion, change)));
      const view = await getView(database.db, ctx, current.id);
      setEtag(reply, view.version);
      return { data: viewBody(view), withheld: [] };
    },
  );

  app.delete(
    '/views/:id',
    {
      config: { ifMatch: 'optional' },
      schema: {
        operationId: 'deleteView',
        tags: ['views'],
        summary: 'Delete one of your saved views',
        params: idParams,
        response: { 204: z.null().describe('Deleted') },
      },
    },
    async (request, reply) => {
      const ctx = ownerContext(request);
      const expectedVersion = optionalIfMatchVersion(request);
      await auditedTransaction(database.db, (tx) => deleteView(tx, ctx, request.params.id, expectedVersion));
      return reply.code(204).send(null);
    },
  );
});
