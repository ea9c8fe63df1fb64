import { z } from 'zod';
import {
  createCustomField,
  customFieldObjects,
  customFieldTypes,
  deleteCustomField,
  listCustomFields,
  type CustomFieldDefinition,
} from '../../crm/customFields/definitions.ts';
import { accessContext } from '../principal.ts';
import { instant } from './recordRouteSupport.ts';
import { routePlugin } from './routePlugin.ts';

const customFieldSchema = z.object({
  object: z.enum(customFieldObjects),
  key: z.string(),
  label: z.string(),
  type: z.enum(customFieldTypes),
  dataCategory: z.string().describe('fideslang data category key, e.g. user.contact.email'),
  options: z.array(z.string()).nullable().describe('The allowed values of a select field'),
  createdAt: instant,
});
const customFieldCreate = z.strictObject({
  object: z.enum(customFieldObjects),
  key: z.string().max(63).describe('snake_case; the key of the value in customFields'),
  label: z.string().max(100),
  type: z.enum(customFieldTypes),
  dataCategory: z
    .string()
    .max(200)
    .describe('fideslang data category key (data/fideslang/data_categories.json); company and deal fields may not take a personal (user.*) category: 422'),
  options: z.array(z.string().max(100)).max(100).optional().describe('Required for select fields'),
});

const view = (definition: CustomFieldDefinition): z.infer<typeof customFieldSchema> => ({ ...definition, createdAt: definition.createdAt.toISOString() });

export const customFieldRoutes = routePlugin(async (app, deps) => {
  const { database } = deps;

  app.get(
    '/custom-fields',
    {
      schema: {
        operationId: 'listCustomFields',
        tags: ['custom fields'],
        summary: "List the workspace's custom fields, each with its fideslang data category",
        querystring: z.object({ object: z.enum(customFieldObjects).optional() }),
        response: { 200: z.object({ data: z.array(customFieldSchema) }) },
      },
    },
    async (request) => {
      const ctx = accessContext(request, 'custom_field:read');
      return { data: (await listCustomFields(database.db, ctx, request.query.object)).map(view) };
    },
  );

  app.post(
    '/custom-fields',
    {
      config: { problems: ['conflict'] },
      schema: {
        operationId: 'createCustomField',
        tags: ['custom fields'],
        summary: 'Declare a custom field of contacts, companies or deals; contact values are personal data',
        body: customFieldCreate,
        response: { 201: z.object({ data: customFieldSchema }) },
      },
    },
    async (request, reply) => {
      const ctx = accessContext(request, 'custom_field:write');
      const definition = await database.db.transaction((tx) => createCustomField(tx, ctx, request.body));
      return reply.code(201).send({ data: view(definition) });
    },
  );

  app.delete(
    '/custom-fields/:object/:key',
    {
      schema: {
        operationId: 'deleteCustomField',
        tags: ['custom fields'],
        summary: 'Delete a custom field and every value stored for it (audited)',
        params: z.object({ object: z.enum(customFieldObjects), key: z.string().max(63) }),
        response: { 204: z.null().describe('Deleted') },
      },
    },
    async (request, reply) => {
      const ctx = accessContext(request, 'custom_field:delete');
      await database.db.transaction((tx) => deleteCustomField(tx, ctx, request.params.object, request.params.key));
      return reply.code(204).send(null);
    },
  );
});
