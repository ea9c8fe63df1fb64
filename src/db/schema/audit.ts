import { sql } from 'drizzle-orm';
import { bigint, check, index, jsonb, pgTable, primaryKey, smallint, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, tenantId, timestampColumn } from './columns.ts';

/**
 * Why a decision went the way it did: a reason code, optionally the field it concerns and
 * how many subjects it applied to. Codes and field names only, never values.
 */
export type AuditReason = string | { reason: string; field?: string; subjects?: number };

/*
 * The audit trail: one hash chain per workspace (src/kernel/audit/). Every entry commits to
 * its predecessor's hash; sequence numbers are assigned under the workspace's chain-head
 * row lock, so they have no gaps. Field NAMES, record ids of non-subject records and keyed
 * pseudonyms of the data subjects touched — never values. The custom migration
 * `audit_triggers` makes entries, subject index and checkpoints refuse UPDATE, DELETE and
 * TRUNCATE; the chain head is the only mutable row. One exception (migration
 * `audit_pseudonyms_v2`): an erasure deletes a subject's index rows, and only right after
 * appending the entry that names their pseudonym in `erased_pseudonyms`.
 */
export const auditEntries = pgTable(
  'audit_entries',
  {
    tenantId: tenantId(),
    sequence: bigint('sequence', { mode: 'number' }).notNull(),
    // Generated in JS at millisecond precision so the hashed ISO string round-trips exactly.
    occurredAt: timestampColumn('occurred_at').notNull(),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id').notNull(),
    purpose: text('purpose'),
    action: text('action').notNull(),
    object: text('object'),
    recordIds: uuid('record_ids').array().notNull().default([]),
    fields: text('fields').array().notNull().default([]),
    decision: text('decision').$type<'allow' | 'deny' | 'partial'>().notNull().default('allow'),
    reasons: jsonb('reasons').$type<AuditReason[]>().notNull().default([]),
    subjectPseudonyms: text('subject_pseudonyms').array().notNull().default([]),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
    previousHash: text('previous_hash').notNull(),
    hash: text('hash').notNull(),
    // The entry's encoding version (src/kernel/audit/canonical.ts), hashed with it. Version 1
    // entries carry workspace-keyed pseudonyms; version 2 ones per-subject pseudonyms.
    version: smallint('version').notNull(),
    // Version 2: the pseudonyms whose subject index rows this entry's erasure removed.
    erasedPseudonyms: text('erased_pseudonyms').array().notNull().default([]),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.sequence] }),
    check('audit_entries_decision_check', sql`${t.decision} in ('allow', 'deny', 'partial')`),
    check('audit_entries_occurred_at_ms_check', sql`${t.occurredAt} = date_trunc('milliseconds', ${t.occurredAt})`),
    check('audit_entries_version_check', sql`${t.version} in (1, 2)`),
    check('audit_entries_erased_pseudonyms_check', sql`${t.version} >= 2 or cardinality(${t.erasedPseudonyms}) = 0`),
    // Erasure entries are rare: verification finds them without reading every entry twice.
    index('audit_entries_erasures_idx').on(t.tenantId, t.sequence).where(sql`cardinality(${t.erasedPseudonyms}) > 0`),
    // The trail's filters (GET /audit?actor=&purpose=&action=&from=&to=): each an index range
    // already in sequence order (time: in time order, which the chain's sequence follows), so
    // a filtered page reads its own entries rather than the workspace's whole chain. The
    // action index is in byte order, where a prefix ("contact.") is one range.
    index('audit_entries_actor_idx').on(t.tenantId, t.actorId, t.sequence),
    index('audit_entries_purpose_idx').on(t.tenantId, t.purpose, t.sequence),
    index('audit_entries_action_idx').on(t.tenantId, sql`${t.action} collate "C"`, t.sequence),
    index('audit_entries_occurred_idx').on(t.tenantId, t.occurredAt, t.sequence),
  ],
);

// "Who accessed my data, for what purpose": one index lookup by pseudonym, joined to the
// entries. Derived from audit_entries.subject_pseudonyms (which the hash covers) minus the
// rows an erasure entry removed (its erased_pseudonyms, also hashed); verification checks
// the two agree. Not itself part of the hashed chain bytes.
export const auditSubjects = pgTable(
  'audit_subjects',
  {
    tenantId: tenantId(),
    pseudonym: text('pseudonym').notNull(),
    sequence: bigint('sequence', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.pseudonym, t.sequence] })],
);

// The chain head: the last sequence and hash of each workspace's chain. Locked FOR UPDATE by
// every append, so appends to one workspace serialise and sequences have no gaps.
export const auditHeads = pgTable('audit_heads', {
  tenantId: tenantId().primaryKey(),
  sequence: bigint('sequence', { mode: 'number' }).notNull(),
  hash: text('hash').notNull(),
});

// Ed25519 signatures over (tenant, sequence, hash), every N entries or on demand. A rewrite
// of the chain before a checkpoint cannot be hidden without the signing key.
export const auditCheckpoints = pgTable(
  'audit_checkpoints',
  {
    tenantId: tenantId(),
    sequence: bigint('sequence', { mode: 'number' }).notNull(),
    hash: text('hash').notNull(),
    signature: text('signature').notNull(),
    publicKey: text('public_key').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.sequence] })],
);
