import { z } from 'zod';
import { catalogObjects, changeDeclaration, usableDataCategories, workspaceDeclarations, type WorkspaceDeclaration } from '../../kernel/index.ts';
import { camelCaseName, snakeCaseName } from '../../shared/camelCase.ts';
import { accessContext } from '../principal.ts';
import { routePlugin } from './routePlugin.ts';

const sensitivity = z.enum(['ordinary', 'special']).describe('special: a GDPR Art. 9 special category (health, beliefs, biometrics, …)');

const declarationSchema = z.object({
  object: z.enum(catalogObjects),
  field: z.string().describe('A built-in field by its API name (firstName), a custom field by its key'),
  dataCategory: z.string().describe('fideslang data category key'),
  subject: z.enum(['contact', 'visitor', 'record']).describe('Whose personal data the value is'),
  sensitivity,
  purposes: z.array(z.string()).describe('Keys of the purposes that may use the field'),
  encrypted: z.boolean(),
  lookup: z.boolean().describe('Exact-match blind index'),
  search: z.boolean().describe('Name-prefix blind index'),
  origin: z.enum(['built_in', 'custom_field']),
  updatedAt: z.string().nullable().describe("When this workspace last changed the declaration; null while it is Candor's default"),
});

const declarationChange = z
  .strictObject({
    dataCategory: z.string().max(200).optional().describe('fideslang data category key (data/fideslang/data_categories.json)'),
    sensitivity: sensitivity.optional().describe('Defaults to special when the new data category is a special category'),
    purposes: z.array(z.string().max(63)).max(100).optional().describe("The workspace's purposes that may use the field; [] withholds it from every purpose"),
    encrypted: z.boolean().optional().describe('Always true: the vault encrypts every personal value'),
    lookup: z.boolean().optional().describe('Fixed per field: only contact.email, contact.phone and visitor.anonymous_id have one'),
    search: z.boolean().optional().describe('Fixed per field: only contact.first_name and contact.last_name have one'),
  })
  .refine((body) => Object.keys(body).length > 0, 'name at least one setting to change');

// Built-in fields by their API names (firstName); a custom field by its key, which is the user's.
const view = ({ declaration, origin, changedAt }: WorkspaceDeclaration): z.infer<typeof declarationSchema> => ({
  ...declaration,
  field: origin === 'built_in' ? camelCaseName(declaration.field) : declaration.field,
  origin,
  updatedAt: changedAt ? changedAt.toISOString() : null,
});

export const catalogRoutes = routePlugin(async (app, deps) => {
  const { database } = deps;

  app.get(
    '/catalog',
    {
      schema: {
        operationId: 'listFieldDeclarations',
        tags: ['catalog'],
        summary: "The workspace's data catalog: every personal field, built-in or custom, with its data category, sensitivity, purposes and storage",
        querystring: z.object({ object: z.enum(catalogObjects).optional() }),
        response: { 200: z.object({ data: z.array(declarationSchema) }) },
      },
    },
    async (request) => {
      const ctx = accessContext(request, 'catalog:read');
      const entries = await workspaceDeclarations(database.db, ctx.tenantId);
      return { data: entries.filter((entry) => !request.query.object || entry.declaration.object === request.query.object).map(view) };
    },
  );

  app.get(
    '/catalog/data-categories',
    {
      schema: {
        operationId: 'listDataCategories',
        tags: ['catalog'],
        summary: 'The fideslang data categories a field may be declared with (not the deprecated ones), in the taxonomy order',
        response: {
          200: z.object({
            data: z.array(
              z.object({
                key: z.string().describe('What dataCategory takes, e.g. user.contact.email'),
                name: z.string(),
                description: z.string(),
                parentKey: z.string().nullable(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      accessContext(request, 'catalog:read');
      return { data: usableDataCategories() };
    },
  );

  app.put(
    '/catalog/:object/:field',
    {
      schema: {
        operationId: 'updateFieldDeclaration',
        tags: ['catalog'],
        summary: 'Change how the workspace declares a personal field (admin, privacy officer; audited)',
        description:
          'Settings you omit keep their value. The data category must be a fideslang key; purposes must be purposes of the workspace; ' +
          'encrypted, lookup and search can only take values the vault honours (every value is encrypted; blind indexes exist for fixed fields), ' +
          'otherwise 422 names the setting and says why. The change and its before/after settings are recorded in the audit trail, never values.',
        params: z.object({ object: z.enum(catalogObjects), field: z.string().max(63) }),
        body: declarationChange,
        response: { 200: z.object({ data: declarationSchema }) },
      },
    },
    async (request) => {
      const ctx = accessContext(request, 'catalog:write');
      const { object, field } = request.params;
      // The name the catalog lists (firstName) or the stored one (first_name); custom keys have no capitals.
      const changed = await database.db.transaction((tx) => changeDeclaration(tx, ctx, object, snakeCaseName(field), request.body));
      return { data: view(changed) };
    },
  );
});
