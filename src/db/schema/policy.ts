import { foreignKey, index, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { tenantId, timestampColumn } from './columns.ts';
import { purposes } from './purposes.ts';

/*
 * What the policy (src/kernel/policy/) needs to know about roles and data subjects. A
 * subject id is the id of a contact or visitor; these tables hold no personal values, and
 * every state carries its own time so "does the basis hold NOW" is a plain comparison.
 */

// A role may act only for the purposes its workspace grants it (default deny).
export const rolePurposeGrants = pgTable(
  'role_purpose_grants',
  {
    tenantId: tenantId(),
    role: text('role').notNull(),
    purposeKey: text('purpose_key').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.role, t.purposeKey] }),
    foreignKey({ columns: [t.tenantId, t.purposeKey], foreignColumns: [purposes.tenantId, purposes.key] }).onDelete('cascade'),
  ],
);

// Art. 21 objections. A null purpose_key objects to all direct marketing.
export const objections = pgTable(
  'objections',
  {
    tenantId: tenantId(),
    id: uuid('id').notNull(),
    subjectId: uuid('subject_id').notNull(),
    purposeKey: text('purpose_key'),
    objectedAt: timestampColumn('objected_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index('objections_subject_idx').on(t.tenantId, t.subjectId)],
);

// Art. 18 restrictions: in force from restricted_at until lifted_at.
export const restrictions = pgTable(
  'restrictions',
  {
    tenantId: tenantId(),
    subjectId: uuid('subject_id').notNull(),
    restrictedAt: timestampColumn('restricted_at').notNull(),
    liftedAt: timestampColumn('lifted_at'),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.subjectId, t.restrictedAt] })],
);

// Subjects erased (Art. 17): kept so nothing of them is ever processed again.
export const erasures = pgTable(
  'erasures',
  {
    tenantId: tenantId(),
    subjectId: uuid('subject_id').notNull(),
    erasedAt: timestampColumn('erased_at').notNull(),
    /** Why (src/privacy/erasure/subjectErasure.ts ErasureReason); null for erasures before migration 0026. */
    reason: text('reason'),
    /** The rights request it fulfilled, if any. */
    requestId: uuid('request_id'),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.subjectId] })],
);

// The e-mail addresses of erased people, as the blind index of their lookup token (never the
// address, never the subject): checked by every path that makes or changes a contact
// (src/kernel/suppressions.ts). A fresh consent through a channel the person uses lifts it.
export const suppressions = pgTable(
  'suppressions',
  {
    tenantId: tenantId(),
    emailIndex: text('email_index').notNull(),
    suppressedAt: timestampColumn('suppressed_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.emailIndex], name: 'suppressions_pk' })],
);
