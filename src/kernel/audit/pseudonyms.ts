import { createHmac } from 'node:crypto';
import { DomainError } from '../../shared/domainError.ts';
import type { AuditKeys } from './keys.ts';

/**
 * A data subject's pseudonym in the audit trail: HMAC-SHA256 under the workspace's audit
 * pseudonym key of (tenant, subject id), truncated to 128 bits (32 hex characters) — ample
 * against collisions, half the index size. Without the key a pseudonym cannot be linked to
 * a subject id, so the trail can be shown to auditors without revealing whom it concerns.
 */
export function subjectPseudonym(key: Buffer, tenantId: string, subjectId: string): string {
  return createHmac('sha256', key).update(`candor-audit-subject\u0000${tenantId.toLowerCase()}\u0000${subjectId.toLowerCase()}`).digest('hex').slice(0, 32);
}

export const isPseudonym = (value: string) => /^[0-9a-f]{32}$/.test(value);

/** Pseudonymises subject ids under the workspace's key, fetched once for the whole list. */
export async function pseudonymsOf(keys: AuditKeys | null, tenantId: string, subjectIds: readonly string[]): Promise<string[]> {
  if (subjectIds.length === 0) return [];
  if (!keys) {
    throw new DomainError('configuration_error', 'The audit trail cannot pseudonymise data subjects: no audit key store is configured.');
  }
  const tenant = tenantId.toLowerCase();
  const key = await keys.pseudonymKey(tenant);
  return subjectIds.map((subjectId) => subjectPseudonym(key, tenant, subjectId));
}
