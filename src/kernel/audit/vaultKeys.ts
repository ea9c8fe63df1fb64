import { sign } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { selectRows } from '../../db/rows.ts';
import { ensurePseudonymKeys, existingPseudonymKeys, type KeyStore } from '../vault/index.ts';
import type { AuditKeys } from './keys.ts';

/**
 * The ids among `subjectIds` that are records the audit names as subjects: contacts,
 * visitors, and activities (their free text is sealed per activity, and activity reads
 * name them). Only these get a key when first pseudonymised, so an unknown or erased id
 * never creates one.
 */
export async function recordedSubjectIds(executor: Executor, tenantId: string, subjectIds: readonly string[]): Promise<Set<string>> {
  if (subjectIds.length === 0) return new Set();
  const ids = sql`${sql.param([...subjectIds])}::uuid[]`;
  const rows = await selectRows<{ id: string }>(
    executor,
    sql`select id from contacts where tenant_id = ${tenantId} and id = any(${ids})
        union all select id from visitors where tenant_id = ${tenantId} and id = any(${ids})
        union all select id from activities where tenant_id = ${tenantId} and id = any(${ids})`,
  );
  return new Set(rows.map((row) => row.id));
}

/**
 * The audit trail's keys from the vault's key store: per-subject pseudonym keys derived from
 * the subjects' data keys (src/kernel/vault/pseudonymKeys.ts), the workspace's legacy
 * pseudonym key and its checkpoint signer. `configureAudit({ keys: auditKeysFrom(keyStore) })`
 * at start-up (configureKernel does).
 */
export function auditKeysFrom(keyStore: KeyStore): AuditKeys {
  return {
    async subjectPseudonymKeys(executor, tenantId, subjectIds, { create }) {
      const found = await existingPseudonymKeys(executor, keyStore, tenantId, subjectIds);
      const missing = create ? [...new Set(subjectIds)].filter((subjectId) => !found.has(subjectId)) : [];
      if (missing.length === 0) return found;
      const recorded = await recordedSubjectIds(executor, tenantId, missing);
      if (recorded.size === 0) return found;
      for (const [subjectId, key] of await ensurePseudonymKeys(executor, keyStore, tenantId, [...recorded])) found.set(subjectId, key);
      return found;
    },
    legacyPseudonymKey: (tenantId) => keyStore.auditPseudonymKey(tenantId),
    async signer(tenantId) {
      const { privateKey, publicKey } = await keyStore.auditSigningKeyPair(tenantId);
      return { sign: (data) => sign(null, data, privateKey), publicKey };
    },
  };
}
