import { pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';

// GLOBAL table: the workspaces themselves (the tenants).
export const workspaces = pgTable('workspaces', {
  id: uuid('id').primaryKey(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  /** ISO 3166-1 alpha-2 region that phone numbers typed without a country code belong to. */
  defaultRegion: text('default_region').notNull().default('US'),
  createdAt: createdAt(),
});
