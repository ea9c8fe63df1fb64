import { sql } from 'drizzle-orm';
import { bigint, index, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
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

/*
 * Proof of deletion: one row per batch of a retention sweep (src/privacy/retention/). What
 * went, counted; the keyed pseudonyms the batch's audit entry names (never a subject id: the
 * proof must not itself keep the people it proves gone); and that entry's sequence, so the
 * proof can be checked against the hash-chained audit trail.
 */
export const retentionProofs = pgTable(
  'retention_proofs',
  {
    tenantId: tenantId(),
    id: id(),
    runId: uuid('run_id').notNull(),
    batch: integer('batch').notNull(),
    asOf: timestampColumn('as_of').notNull(),
    createdAt: createdAt(),
    actor: text('actor').notNull(),
    erasedSubjects: integer('erased_subjects').notNull(),
    anonymisedSubjects: integer('anonymised_subjects').notNull(),
    // Subjects due but kept: under a legal hold, or restricted (Art. 18).
    heldSubjects: integer('held_subjects').notNull(),
    expiredEvents: integer('expired_events').notNull(),
    subjectPseudonyms: text('subject_pseudonyms').array().notNull().default([]),
    auditSequence: bigint('audit_sequence', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index('retention_proofs_created_idx').on(t.tenantId, t.createdAt, t.id)],
);
