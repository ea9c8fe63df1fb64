import { and, eq } from 'drizzle-orm';
import type { AppDatabase } from '../db/connection.ts';
import { isUuid } from '../db/ids.ts';
import { apiKeys } from '../db/schema/index.ts';
import type { AccessContext } from '../kernel/index.ts';
import { recordChange } from '../platform/changes.ts';
import { DomainError } from '../shared/domainError.ts';
import { revokeApiKey } from './apiKeys.ts';
import { revokingTransaction } from './credentialCache.ts';

/**
 * Revokes a key and records the revocation in the audit trail, in one transaction; true when
 * the key was live. The HTTP API's DELETE /api-keys/{id} and `candor apikey revoke` both use it.
 */
export function revokeApiKeyRecorded(db: AppDatabase, ctx: AccessContext, id: string): Promise<boolean> {
  return revokingTransaction(db, async (tx) => {
    if (!(await revokeApiKey(tx, ctx.tenantId, id))) return false;
    await recordChange(tx, ctx, { object: 'api_key', recordId: id, kind: 'updated', fields: ['revokedAt'] });
    return true;
  });
}

/** The id of the workspace's key named by its id or by its key id (the part after `cnd_`). */
export async function apiKeyIdOf(db: AppDatabase, tenantId: string, idOrKeyId: string): Promise<string> {
  const named = isUuid(idOrKeyId) ? eq(apiKeys.id, idOrKeyId) : eq(apiKeys.keyId, idOrKeyId.replace(/^cnd_/, '').split('_')[0] ?? '');
  const [row] = await db
    .select({ id: apiKeys.id })
    .from(apiKeys)
    .where(and(eq(apiKeys.tenantId, tenantId), named))
    .limit(1);
  if (!row) throw new DomainError('not_found', 'No API key with that id in this workspace (`candor apikey list` lists them).');
  return row.id;
}
