import type { Executor } from '../db/connection.ts';
import type { AccessContext } from '../kernel/index.ts';
import { recordChange } from '../platform/changes.ts';
import { createApiKey, type CreateApiKeyInput } from './apiKeys.ts';

/**
 * Creates a key and records the creation in the audit trail (its settings by name, never the
 * key), on the caller's transaction. POST /api-keys and `candor apikey create` both use it:
 * a key made from the command line is as visible to the privacy officer as one made in the app.
 */
export async function createApiKeyRecorded(
  tx: Executor,
  ctx: AccessContext,
  input: Omit<CreateApiKeyInput, 'tenantId'>,
): Promise<{ id: string; key: string; keyId: string }> {
  const created = await createApiKey(tx, { ...input, tenantId: ctx.tenantId });
  await recordChange(tx, ctx, {
    object: 'api_key',
    recordId: created.id,
    kind: 'created',
    fields: ['name', 'role', 'purposes', 'defaultPurpose', 'expiresAt'],
  });
  return created;
}
