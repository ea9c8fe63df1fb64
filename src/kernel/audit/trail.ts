import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { auditConfiguration } from './configuration.ts';
import { selectRows } from '../../db/rows.ts';
import { entryColumns, entryOf, type AuditEntry, type AuditEntryRow } from './entry.ts';
import type { AuditKeys } from './keys.ts';
import { pseudonymsOf } from './pseudonyms.ts';

export type SubjectReference = { pseudonym: string } | { subjectId: string };

export type TrailPage = { after?: number; limit?: number };

/**
 * "Who accessed my data, and for what purpose": every entry that touched one data subject,
 * in sequence order — one indexed query. A subject id is pseudonymised under the workspace's
 * key first (so it needs the key store); a pseudonym is used as given.
 */
export async function auditTrailForSubject(
  db: Executor,
  tenantId: string,
  subject: SubjectReference,
  options: TrailPage & { keys?: AuditKeys | null } = {},
): Promise<AuditEntry[]> {
  const pseudonym =
    'pseudonym' in subject
      ? subject.pseudonym
      : (await pseudonymsOf(options.keys === undefined ? auditConfiguration().keys : options.keys, tenantId, [subject.subjectId]))[0];
  const rows = await selectRows<AuditEntryRow>(db, sql`select ${entryColumns('e')}
                   from audit_subjects s
                   join audit_entries e on e.tenant_id = s.tenant_id and e.sequence = s.sequence
                   where s.tenant_id = ${tenantId} and s.pseudonym = ${pseudonym} and s.sequence > ${options.after ?? 0}
                   order by s.sequence
                   limit ${options.limit ?? 1000}`,
  );
  return rows.map(entryOf);
}

/** A page of a workspace's audit trail in sequence order, after the given sequence. */
export async function listAuditEntries(db: Executor, tenantId: string, options: TrailPage = {}): Promise<AuditEntry[]> {
  const rows = await selectRows<AuditEntryRow>(db, sql`select ${entryColumns('e')} from audit_entries e
                   where e.tenant_id = ${tenantId} and e.sequence > ${options.after ?? 0}
                   order by e.sequence limit ${options.limit ?? 50}`,
  );
  return rows.map(entryOf);
}

/**
 * When each subject was last named by an entry of `action` (absent: never), in one indexed
 * query over the subjects' pseudonyms. The vault uses it as evidence of past merges
 * (src/kernel/eventSeals.ts).
 */
export async function latestActionTimes(db: Executor, tenantId: string, subjectIds: readonly string[], action: string, keys: AuditKeys | null = auditConfiguration().keys): Promise<Map<string, Date>> {
  const distinct = [...new Set(subjectIds)];
  if (distinct.length === 0) return new Map();
  const pseudonyms = await pseudonymsOf(keys, tenantId, distinct);
  const subjectOf = new Map(pseudonyms.map((pseudonym, position) => [pseudonym, distinct[position]]));
  const rows = await selectRows<{ pseudonym: string; at: Date | string }>(db, sql`select s.pseudonym, max(e.occurred_at) as at
                   from audit_subjects s
                   join audit_entries e on e.tenant_id = s.tenant_id and e.sequence = s.sequence
                   where s.tenant_id = ${tenantId} and s.pseudonym = any(${sql.param(pseudonyms)}::text[]) and e.action = ${action}
                   group by s.pseudonym`,
  );
  return new Map(rows.map((row) => [subjectOf.get(row.pseudonym)!, new Date(row.at)]));
}
