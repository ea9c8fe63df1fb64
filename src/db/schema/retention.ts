import { sql } from 'drizzle-orm';
import { index, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId, timestampColumn } from './columns.ts';

/*
 * Legal holds (GDPR Art. 17(3)): while a hold on a subject is active (released_at null),
 * nothing erases it — neither a request nor the retention sweep. The reason says why the
 * law requires keeping it (a case reference, never the person's data). No foreign key to
 * the subject: a hold outlives the subject's erasure, as the record of why it was kept.
 */
export const legalHolds = pgTable(
  'legal_holds',
  {
    tenantId: tenantId(),
    id: id(),
    subjectId: uuid('subject_id').notNull(),
    reason: text('reason').notNull(),
    // actorKey() of who placed it: user:…, api_key:….
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    releasedAt: timestampColumn('released_at'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('legal_holds_subject_idx').on(t.tenantId, t.subjectId).where(sql`${t.releasedAt} is null`),
    index('legal_holds_created_idx').on(t.tenantId, t.createdAt, t.id),
  ],
);
