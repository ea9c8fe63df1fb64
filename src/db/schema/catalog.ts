import { boolean, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { tenantId, updatedAt } from './columns.ts';
import { workspaces } from './tenancy.ts';

/*
 * A workspace's own declarations of personal fields (src/kernel/catalog/). The built-in
 * declarations ship in code; a row here replaces one of them, or the derived declaration
 * of a contact custom field, for this workspace only. Holds settings, never values.
 */
export const catalogDeclarations = pgTable(
  'catalog_declarations',
  {
    tenantId: tenantId().references(() => workspaces.id, { onDelete: 'cascade' }),
    object: text('object').notNull(),
    field: text('field').notNull(),
    dataCategory: text('data_category').notNull(),
    subject: text('subject').notNull(),
    sensitivity: text('sensitivity').notNull(),
    // Purpose keys; checked against the workspace's purposes when written (no FK over an array).
    purposes: text('purposes').array().notNull(),
    encrypted: boolean('encrypted').notNull(),
    lookup: boolean('lookup').notNull(),
    search: boolean('search').notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.object, t.field] })],
);
