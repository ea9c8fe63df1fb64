import { index, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { id, tenantId, timestampColumn } from './columns.ts';

// Behavioural events: the high-volume, append-only table. No foreign keys, so bulk loads
// stay cheap; the subject (contact or visitor) is checked on ingest. Properties are
// personal data of the subject and only the kernel reads or writes them.
export const events = pgTable(
  'events',
  {
    tenantId: tenantId(),
    id: id(),
    contactId: uuid('contact_id'),
    visitorId: uuid('visitor_id'),
    type: text('type').notNull(),
    occurredAt: timestampColumn('occurred_at').notNull(),
    receivedAt: timestampColumn('received_at').notNull().defaultNow(),
    properties: jsonb('properties').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    // A subject's events are listed by (occurred_at, id): the id ends the index so a page
    // deep in a long history starts at its cursor instead of sorting the ties.
    index('events_contact_occurred_idx').on(t.tenantId, t.contactId, t.occurredAt, t.id),
    index('events_visitor_occurred_idx').on(t.tenantId, t.visitorId, t.occurredAt, t.id),
  ],
);
