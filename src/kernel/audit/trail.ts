import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { auditConfiguration } from './configuration.ts';
import { selectRows } from '../../db/rows.ts';
import { entryColumns, entryOf, type AuditEntry, type AuditEntryRow } from './entry.ts';
import type { AuditKeys } from './keys.ts';
import { legacyPseudonymsOf, pseudonymsOf } from './pseudonyms.ts';
import { auditFilterConditions, type AuditFilter } from './trailFilter.ts';

export type SubjectReference = { pseudonym: string } | { subjectId: string } | { pseudonyms: readonly string[] };

/** A page of the trail: entries after a sequence, at most `limit`, narrowed by `filter`. */
export type TrailPage = { after?: number; limit?: number; filter?: AuditFilter };

/** The page's bound and filter as conditions on the entries aliased `e`, ANDed. */
function pageConditions(tenantId: string, options: TrailPage): SQL {
  return sql.join([sql`e.tenant_id = ${tenantId} and e.sequence > ${options.after ?? 0}`, ...auditFilterConditions(options.filter ?? {})], sql` and `);
}

/** The pseudonyms a subject's entries are indexed under. */
export type SubjectPseudonyms = {
  /** Its own (encoding version 2), which new entries carry. */
  pseudonym: string;
  /** Its version-1 pseudonym, when the workspace's trail began before version 2. */
  legacyPseudonym: string | null;
};

const configuredKeys = (keys: AuditKeys | null | undefined) => (keys === undefined ? auditConfiguration().keys : keys);

/**
 * The pseudonyms of a living subject, or null when the id maps to none: the subject was
 * erased (its key shredded) or never existed — the two are not told apart, and the lookup
 * never creates a key. Needs the key store.
 */
export async function pseudonymsOfSubject(
  db: Executor,
  tenantId: string,
  subjectId: string,
  options: { keys?: AuditKeys | null } = {},
): Promise<SubjectPseudonyms | null> {
  const keys = configuredKeys(options.keys);
  const pseudonym = (await pseudonymsOf(db, keys, tenantId, [subjectId], { create: false })).get(subjectId.toLowerCase());
  if (!pseudonym) return null;
  const legacyPseudonym = (await legacyPseudonymsOf(db, keys, tenantId, [subjectId])).get(subjectId.toLowerCase()) ?? null;
  return { pseudonym, legacyPseudonym };
}

/**
 * The current pseudonyms of living subjects, sorted (ids without a key are left out; no key
 * is created): what an entry naming them records, for proofs that must name no subject id.
 */
export async function pseudonymsOfSubjects(
  db: Executor,
  tenantId: string,
  subjectIds: readonly string[],
  options: { keys?: AuditKeys | null } = {},
): Promise<string[]> {
  return [...(await pseudonymsOf(db, configuredKeys(options.keys), tenantId, subjectIds, { create: false })).values()].sort();
}

async function pseudonymsFor(db: Executor, tenantId: string, subject: SubjectReference, keys: AuditKeys | null | undefined): Promise<readonly string[]> {
  if ('pseudonym' in subject) return [subject.pseudonym];
  if ('pseudonyms' in subject) return subject.pseudonyms;
  const found = await pseudonymsOfSubject(db, tenantId, subject.subjectId, { keys });
  return found ? [found.pseudonym, ...(found.legacyPseudonym ? [found.legacyPseudonym] : [])] : [];
}

/**
 * "Who accessed my data, and for what purpose": every entry that touched one data subject,
 * in sequence order — one indexed query. A subject id is mapped to its pseudonyms first
 * (pseudonymsOfSubject: none once erased, so an erased subject's id finds nothing); a
 * pseudonym is used as given.
 */
export async function auditTrailForSubject(
  db: Executor,
  tenantId: string,
  subject: SubjectReference,
  options: TrailPage & { keys?: AuditKeys | null } = {},
): Promise<AuditEntry[]> {
  const pseudonyms = await pseudonymsFor(db, tenantId, subject, options.keys);
  if (pseudonyms.length === 0) return [];
  // Driven by the subject index in sequence order, joined to the entries, and limited after
  // the filter: limiting the index rows first would end a filtered page early and look like
  // the last one. An entry carries pseudonyms of one encoding version, so it joins once.
  const rows = await selectRows<AuditEntryRow>(
    db,
    sql`select ${entryColumns('e')}
                   from audit_subjects s
                   join audit_entries e on e.tenant_id = s.tenant_id and e.sequence = s.sequence
                   where s.tenant_id = ${tenantId} and s.pseudonym = any(${sql.param([...pseudonyms])}::text[]) and s.sequence > ${options.after ?? 0}
                     and ${pageConditions(tenantId, options)}
                   order by s.sequence limit ${options.limit ?? 1000}`,
  );
  return rows.map(entryOf);
}

/** A page of a workspace's audit trail in sequence order, after the given sequence, narrowed by the page's filter. */
export async function listAuditEntries(db: Executor, tenantId: string, options: TrailPage = {}): Promise<AuditEntry[]> {
  const rows = await selectRows<AuditEntryRow>(
    db,
    sql`select ${entryColumns('e')} from audit_entries e
                   where ${pageConditions(tenantId, options)}
                   order by e.sequence limit ${options.limit ?? 50}`,
  );
  return rows.map(entryOf);
}

/**
 * When each subject was last named by an entry of `action` (absent: never), in one indexed
 * query over the subjects' pseudonyms. The vault uses it as evidence of past merges
 * (src/kernel/eventSeals.ts).
 */
export async function latestActionTimes(
  db: Executor,
  tenantId: string,
  subjectIds: readonly string[],
  action: string,
  keys: AuditKeys | null = auditConfiguration().keys,
): Promise<Map<string, Date>> {
  const distinct = [...new Set(subjectIds.map((subjectId) => subjectId.toLowerCase()))];
  if (distinct.length === 0) return new Map();
  // Entries from before encoding version 2 name subjects by their legacy pseudonym.
  const current = await pseudonymsOf(db, keys, tenantId, distinct, { create: false });
  const legacy = await legacyPseudonymsOf(db, keys, tenantId, distinct);
  const subjectOf = new Map<string, string>();
  for (const byId of [current, legacy]) for (const [subjectId, pseudonym] of byId) subjectOf.set(pseudonym, subjectId);
  if (subjectOf.size === 0) return new Map();
  const rows = await selectRows<{ pseudonym: string; at: Date | string }>(
    db,
    sql`select s.pseudonym, max(e.occurred_at) as at
                   from audit_subjects s
                   join audit_entries e on e.tenant_id = s.tenant_id and e.sequence = s.sequence
                   where s.tenant_id = ${tenantId} and s.pseudonym = any(${sql.param([...subjectOf.keys()])}::text[]) and e.action = ${action}
                   group by s.pseudonym`,
  );
  const latest = new Map<string, Date>();
  for (const row of rows) {
    const subjectId = subjectOf.get(row.pseudonym)!;
    const at = new Date(row.at);
    if (!latest.has(subjectId) || latest.get(subjectId)! < at) latest.set(subjectId, at);
  }
  return latest;
}
