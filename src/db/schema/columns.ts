import { bigint, customType, integer, timestamp, uuid } from 'drizzle-orm/pg-core';

// Shared column builders: every tenant-owned table leads with tenant_id, and mutable
// records carry an integer version for ETag / If-Match.
export const tenantId = () => uuid('tenant_id').notNull();
export const id = () => uuid('id').notNull();
export const createdAt = () => timestampColumn('created_at').notNull().defaultNow();
export const updatedAt = () => timestampColumn('updated_at').notNull().defaultNow();
export const version = () => integer('version').notNull().default(1);
// Millisecond precision: JavaScript dates carry milliseconds, so a keyset cursor built from
// a row's timestamp must compare equal to the stored value (microseconds would not).
export function timestampColumn(name: string) {
  return timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });
}
export const minorUnits = (name: string) => bigint(name, { mode: 'number' });

// PGlite returns bytea as Uint8Array, node-postgres as Buffer: both become Buffer here.
export const bytea = customType<{ data: Buffer; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
});
