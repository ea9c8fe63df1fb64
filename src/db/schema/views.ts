import { sql } from 'drizzle-orm';
import { boolean, check, index, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId, updatedAt, version } from './columns.ts';

/*
 * Saved views: a list's filters, sort and columns, kept under a name by the one who saved
 * them — a user, or an API key (its own, not its creator's). Filters are query-string values
 * on non-personal attributes (owner, stage, company id…), so a view holds no personal value.
 * `shared` is for views a whole workspace sees, which do not exist yet: always false.
 */
export const savedViews = pgTable(
  'saved_views',
  {
    tenantId: tenantId(),
    id: id(),
    ownerType: text('owner_type').$type<'user' | 'api_key'>().notNull(),
    ownerId: uuid('owner_id').notNull(),
    /** The list it is a view of, by its API name: contacts, companies, deals, activities, purchases. */
    object: text('object').notNull(),
    name: text('name').notNull(),
    filters: jsonb('filters').$type<Record<string, string>>().notNull().default({}),
    sort: text('sort'),
    columns: text('columns').array().notNull().default([]),
    shared: boolean('shared').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    check('saved_views_owner_type_check', sql`${t.ownerType} in ('user', 'api_key')`),
    check('saved_views_not_shared_check', sql`not ${t.shared}`),
    // One name per list and owner, and the owner's views in creation order for its list.
    uniqueIndex('saved_views_owner_name_idx').on(t.tenantId, t.ownerType, t.ownerId, t.object, t.name),
    index('saved_views_owner_created_idx').on(t.tenantId, t.ownerType, t.ownerId, t.createdAt, t.id),
  ],
);
