import { bigint, integer, timestamp, uuid } from 'drizzle-orm/pg-core';

// Shared column builders: every tenant-owned table leads with tenant_id, and mutable
// records carry an integer version for ETag / If-Match.
export const tenantId = () => uuid('tenant_id').notNull();
export const id = () => uuid('id').notNull();
export const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();
export const updatedAt = () => timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();
export const version = () => integer('version').notNull().default(1);
export const timestampColumn = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
export const minorUnits = (name: string) => bigint(name, { mode: 'number' });
