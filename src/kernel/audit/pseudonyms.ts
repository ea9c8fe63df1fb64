import { createHmac } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { selectRows } from '../../db/rows.ts';
import { DomainError } from '../../shared/domainError.ts';
import type { AuditKeys, PseudonymKeyOptions } from './keys.ts';

/*
 * A data subject's pseudonym in the audit trail (encoding version 2): HMAC-SHA256 under the
 * subject's OWN pseudonym key of (tenant, subject id), truncated to 128 bits (32 hex
 * characters) — ample against collisions, half the index size. The key is derived from the
 * subject's data key (src/kernel/vault/pseudonymKeys.ts), so the erasure that shreds the data
 * key also cuts the link from the id to the pseudonym, in the live database at once and in
 * copies taken before once the epoch has advanced. Without the key a pseudonym cannot be
 * linked to a subject id, so the trail can be shown to auditors without revealing whom it
 * concerns. Version-1 entries carry legacySubjectPseudonym, under one workspace key.
 */

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function subjectPseudonym(pseudonymKey: Buffer, tenantId: string, subjectId: string): string {
  return createHmac('sha256', pseudonymKey)
    .update(`candor-audit-subject-v2\u0000${tenantId.toLowerCase()}\u0000${subjectId.toLowerCase()}`)
    .digest('hex')
    .slice(0, 32);
}

/** The encoding-version-1 pseudonym: HMAC-SHA256 under the workspace's audit pseudonym key. */
export function legacySubjectPseudonym(workspaceKey: Buffer, tenantId: string, subjectId: string): string {
  return createHmac('sha256', workspaceKey)
    .update(`candor-audit-subject\u0000${tenantId.toLowerCase()}\u0000${subjectId.toLowerCase()}`)
    .digest('hex')
    .slice(0, 32);
}

export const isPseudonym = (value: string) => /^[0-9a-f]{32}$/.test(value);

function requireKeys(keys: AuditKeys | null): AuditKeys {
  if (!keys) throw new DomainError('configuration_error', 'The audit trail cannot pseudonymise data subjects: no audit key store is configured.');
  return keys;
}

/**
 * Pseudonyms of the given subjects by subject id: one key fetch for the whole list. Ids
 * without a key (erased, or no such subject; with `create`, only the former) are absent.
 * Ids that are not uuids are never subjects.
 */
export async function pseudonymsOf(
  executor: Executor,
  keys: AuditKeys | null,
  tenantId: string,
  subjectIds: readonly string[],
  options: PseudonymKeyOptions,
): Promise<Map<string, string>> {
  const tenant = tenantId.toLowerCase();
  const ids = [...new Set(subjectIds.map((subjectId) => subjectId.toLowerCase()))].filter((subjectId) => uuidPattern.test(subjectId));
  if (ids.length === 0) return new Map();
  const pseudonymKeys = await requireKeys(keys).subjectPseudonymKeys(executor, tenant, ids, options);
  return new Map([...pseudonymKeys].map(([subjectId, key]) => [subjectId, subjectPseudonym(key, tenant, subjectId)]));
}

/**
 * Whether the workspace's trail began before encoding version 2, so that subjects may have
 * version-1 entries under their legacy pseudonym. Version 1 entries form a prefix of the
 * chain (nothing writes them any more), so the first entry tells: one primary-key lookup.
 */
export async function hasLegacyEntries(executor: Executor, tenantId: string): Promise<boolean> {
  const [first] = await selectRows<{ version: number }>(
    executor,
    sql`select version from audit_entries where tenant_id = ${tenantId} order by sequence limit 1`,
  );
  return first?.version === 1;
}

/** Version-1 pseudonyms of the given subjects, or none when the workspace has no version-1 entries. */
export async function legacyPseudonymsOf(
  executor: Executor,
  keys: AuditKeys | null,
  tenantId: string,
  subjectIds: readonly string[],
): Promise<Map<string, string>> {
  const tenant = tenantId.toLowerCase();
  if (subjectIds.length === 0 || !(await hasLegacyEntries(executor, tenant))) return new Map();
  const key = await requireKeys(keys).legacyPseudonymKey(tenant);
  return new Map(subjectIds.map((subjectId) => [subjectId.toLowerCase(), legacySubjectPseudonym(key, tenant, subjectId)]));
}
