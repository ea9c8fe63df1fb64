import { sql } from 'drizzle-orm';
import type { AuditReason } from '../../db/schema/audit.ts';
import type { ChainedFields, EncodingVersion } from './canonical.ts';

export type AuditDecision = 'allow' | 'deny' | 'partial';
export type { AuditReason };

/** What a caller records: names, ids, codes and subjects — never a personal value. */
export type AuditRecord = {
  action: string;
  object?: string;
  /** Ids of the non-subject records involved (deals, companies, batches…). */
  recordIds?: string[];
  /** Names of the fields touched, never their values. */
  fields?: string[];
  /** The policy decision; 'allow' when omitted. */
  decision?: AuditDecision;
  /** Why, e.g. [{ field: 'email', reason: 'no_consent', subjects: 12 }]. */
  reasons?: AuditReason[];
  /** Data subjects touched (contact or visitor ids); stored only as keyed pseudonyms. */
  subjectIds?: string[];
  /** Subjects already pseudonymised with subjectPseudonym(). */
  subjectPseudonyms?: string[];
  detail?: Record<string, string | number | boolean | null | string[]>;
};

/** An entry as read back (API shape). */
export type AuditEntry = {
  /** The encoding version its hash was computed with (canonical.ts). */
  version: EncodingVersion;
  sequence: number;
  occurredAt: string;
  actor: { type: string; id: string };
  purpose: string | null;
  action: string;
  object: string | null;
  recordIds: string[];
  fields: string[];
  decision: AuditDecision;
  reasons: AuditReason[];
  subjectPseudonyms: string[];
  /** Pseudonyms whose subject index rows this entry's erasure removed (version 2). */
  erasedPseudonyms: string[];
  detail: Record<string, unknown>;
  previousHash: string;
  hash: string;
};

export type AuditEntryRow = {
  tenant_id: string;
  sequence: number | string;
  occurred_at: string;
  actor_type: string;
  actor_id: string;
  purpose: string | null;
  action: string;
  object: string | null;
  record_ids: string[];
  fields: string[];
  decision: AuditDecision;
  reasons: AuditReason[];
  subject_pseudonyms: string[];
  detail: Record<string, unknown>;
  previous_hash: string;
  hash: string;
  version: number;
  erased_pseudonyms: string[];
};

// The timestamp is formatted in SQL so both drivers hand back the same ISO string.
export const entryColumns = (alias: string) =>
  sql.raw(
    ['tenant_id', 'sequence'].map((column) => `${alias}.${column}`).join(', ') +
      `, to_char(${alias}.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as occurred_at, ` +
      [
        'actor_type',
        'actor_id',
        'purpose',
        'action',
        'object',
        'record_ids',
        'fields',
        'decision',
        'reasons',
        'subject_pseudonyms',
        'detail',
        'previous_hash',
        'hash',
        'version',
        'erased_pseudonyms',
      ]
        .map((column) => `${alias}.${column}`)
        .join(', '),
  );

export function chainedFieldsOf(row: AuditEntryRow): ChainedFields {
  return {
    // The column's check constraint admits only the versions there are.
    version: row.version as EncodingVersion,
    tenantId: row.tenant_id,
    sequence: Number(row.sequence),
    occurredAt: row.occurred_at,
    actorType: row.actor_type,
    actorId: row.actor_id,
    purpose: row.purpose,
    action: row.action,
    object: row.object,
    recordIds: row.record_ids,
    fields: row.fields,
    decision: row.decision,
    reasons: row.reasons,
    subjectPseudonyms: row.subject_pseudonyms,
    erasedPseudonyms: row.erased_pseudonyms,
    detail: row.detail,
    previousHash: row.previous_hash,
  };
}

export function entryOf(row: AuditEntryRow): AuditEntry {
  // The API shape is the chained fields regrouped, plus the entry's own hash.
  const { tenantId: _tenantId, actorType, actorId, ...chained } = chainedFieldsOf(row);
  return { ...chained, actor: { type: actorType, id: actorId }, hash: row.hash };
}
