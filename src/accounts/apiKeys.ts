import { and, eq } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import { newId } from '../db/ids.ts';
import { apiKeyLookup, apiKeys } from '../db/schema/index.ts';
import { DomainError, invalid } from '../shared/domainError.ts';
import { randomToken, hashSecret, verifySecret } from './secrets.ts';
import type { Role } from './roles.ts';
import { assertPurposesExist } from '../privacy/purposes.ts';

export type CreateApiKeyInput = {
  tenantId: string;
  name: string;
  role: Role;
  purposes: string[];
  defaultPurpose?: string | null;
  expiresAt?: Date | null;
  createdBy?: string | null;
};

export type ApiKeyPrincipal = {
  tenantId: string;
  apiKeyId: string;
  role: Role;
  purposes: string[];
  defaultPurpose: string | null;
  createdBy: string | null;
};

const keyPattern = /^cnd_([A-Za-z0-9]{16})_([A-Za-z0-9_-]{43})$/;

/** Creates a key and returns it in full: the only time the secret is ever shown. */
export async function createApiKey(db: Executor, input: CreateApiKeyInput): Promise<{ id: string; key: string; keyId: string }> {
  const defaultPurpose = input.defaultPurpose ?? input.purposes[0] ?? null;
  if (defaultPurpose && !input.purposes.includes(defaultPurpose)) {
    throw invalid('defaultPurpose', 'must be one of the key\'s purposes');
  }
  await assertPurposesExist(db, input.tenantId, input.purposes);
  const id = newId();
  const keyId = randomToken(12).replace(/[^A-Za-z0-9]/g, '').padEnd(16, '0').slice(0, 16);
  const secret = randomToken(32);
  await db.insert(apiKeys).values({
    tenantId: input.tenantId,
    id,
    keyId,
    name: input.name,
    role: input.role,
    secretHash: hashSecret(secret),
    purposes: input.purposes,
    defaultPurpose,
    createdBy: input.createdBy ?? null,
    expiresAt: input.expiresAt ?? null,
  });
  await db.insert(apiKeyLookup).values({ keyId, tenantId: input.tenantId, apiKeyId: id });
  return { id, keyId, key: `cnd_${keyId}_${secret}` };
}

/** Resolves a bearer key to its principal, or null when it is unknown, wrong, expired or revoked. */
export async function verifyApiKey(db: Executor, presented: string, now = new Date()): Promise<ApiKeyPrincipal | null> {
  const match = keyPattern.exec(presented);
  if (!match) return null;
  const [, keyId, secret] = match;
  const [row] = await db
    .select({ key: apiKeys })
    .from(apiKeyLookup)
    .innerJoin(apiKeys, and(eq(apiKeys.tenantId, apiKeyLookup.tenantId), eq(apiKeys.id, apiKeyLookup.apiKeyId)))
    .where(eq(apiKeyLookup.keyId, keyId))
    .limit(1);
  if (!row || !verifySecret(secret, row.key.secretHash)) return null;
  if (row.key.revokedAt || (row.key.expiresAt && row.key.expiresAt <= now)) return null;
  return {
    tenantId: row.key.tenantId,
    apiKeyId: row.key.id,
    role: row.key.role as Role,
    purposes: row.key.purposes,
    defaultPurpose: row.key.defaultPurpose,
    createdBy: row.key.createdBy,
  };
}

export async function revokeApiKey(db: Executor, tenantId: string, id: string): Promise<void> {
  const revoked = await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, id)))
    .returning({ id: apiKeys.id });
  if (revoked.length === 0) throw new DomainError('not_found', 'No API key with that id in this workspace.');
}
