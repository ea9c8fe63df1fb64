import { and, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import { newId } from '../db/ids.ts';
import { apiKeyLookup, apiKeys, purposes, users } from '../db/schema/index.ts';
import { DomainError, invalid } from '../shared/domainError.ts';
import { randomToken, hashSecret, verifySecret } from '../shared/secrets.ts';
import { credentialCacheKey, forgetCredentials, rememberCredential } from './credentialCache.ts';
import { isRole, roleIncludes, type Role } from '../shared/roles.ts';
import { assertPurposesExist } from '../privacy/purposes.ts';
import { keysetCondition, keysetOrderBy, pageByCreationOf, parseSort, type SortColumn } from '../shared/keyset.ts';

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
  const purposes = [...new Set(input.purposes)];
  const defaultPurpose = input.defaultPurpose ?? purposes[0] ?? null;
  if (defaultPurpose && !purposes.includes(defaultPurpose)) {
    throw invalid('defaultPurpose', "must be one of the key's purposes");
  }
  if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) throw invalid('expiresAt', 'must be in the future');
  if (input.name.trim() === '') throw invalid('name', 'must not be empty');
  await assertPurposesExist(db, input.tenantId, purposes);
  const id = newId();
  const keyId = randomToken(12)
    .replace(/[^A-Za-z0-9]/g, '')
    .padEnd(16, '0')
    .slice(0, 16);
  const secret = randomToken(32);
  await db.insert(apiKeys).values({
    tenantId: input.tenantId,
    id,
    keyId,
    name: input.name,
    role: input.role,
    secretHash: hashSecret(secret),
    purposes,
    defaultPurpose,
    createdBy: input.createdBy ?? null,
    expiresAt: input.expiresAt ?? null,
    // Millisecond precision, like the JS Date a keyset cursor carries (now() has microseconds).
    createdAt: new Date(),
  });
  await db.insert(apiKeyLookup).values({ keyId, tenantId: input.tenantId, apiKeyId: id });
  return { id, keyId, key: `cnd_${keyId}_${secret}` };
}

/**
 * A bearer key's principal. purposeKnown: whether the requested purpose exists (null when
 * none was requested); purposeGranted: whether the workspace grants the key's role the
 * purpose it acts for (the requested one, else the key's default).
 */
export type VerifiedApiKey = ApiKeyPrincipal & { purposeKnown: boolean | null; purposeGranted: boolean; expiresAt: Date | null };

/** Resolves a bearer key (remembered for up to a second, see credentialCache.ts). */
export async function verifyApiKey(db: Executor, presented: string, options: { now?: Date; purpose?: string } = {}): Promise<VerifiedApiKey | null> {
  const now = options.now ?? new Date();
  const verified = await rememberCredential(credentialCacheKey(presented, options.purpose), () => lookUpApiKey(db, presented, now, options.purpose));
  // A remembered key still expires on time.
  return verified && (!verified.expiresAt || verified.expiresAt > now) ? verified : null;
}

async function lookUpApiKey(db: Executor, presented: string, now: Date, purpose: string | undefined): Promise<VerifiedApiKey | null> {
  const options = { purpose };
  const match = keyPattern.exec(presented);
  if (!match) return null;
  const [, keyId, secret] = match;
  const [row] = await db
    .select({
      key: apiKeys,
      // The request's purpose is checked in the same round trip: authentication sits on
      // every request's path, so one query instead of two.
      purposeKnown: options.purpose
        ? sql<boolean>`exists (select 1 from ${purposes} where ${purposes.tenantId} = ${apiKeys.tenantId} and ${purposes.key} = ${options.purpose})`
        : sql<null>`null`,
      purposeGranted: sql<boolean>`exists (select 1 from role_purpose_grants g where g.tenant_id = ${apiKeys.tenantId}
        and g.role = ${apiKeys.role} and g.purpose_key = coalesce(${options.purpose ?? null}::text, ${apiKeys.defaultPurpose}))`,
    })
    .from(apiKeyLookup)
    .innerJoin(apiKeys, and(eq(apiKeys.tenantId, apiKeyLookup.tenantId), eq(apiKeys.id, apiKeyLookup.apiKeyId)))
    .leftJoin(users, and(eq(users.tenantId, apiKeys.tenantId), eq(users.id, apiKeys.createdBy)))
    .where(and(eq(apiKeyLookup.keyId, keyId), or(isNull(apiKeys.createdBy), eq(users.status, 'active'))))
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
    purposeKnown: row.purposeKnown,
    purposeGranted: row.purposeGranted === true,
    expiresAt: row.key.expiresAt,
  };
}

/** Revokes a key; true when it was live. Revoking a revoked key keeps its first revocation time. */
export async function revokeApiKey(db: Executor, tenantId: string, id: string): Promise<boolean> {
  const [key] = await db
    .select({ revokedAt: apiKeys.revokedAt })
    .from(apiKeys)
    .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, id)))
    .for('update');
  if (!key) throw new DomainError('not_found', 'No API key with that id in this workspace.');
  if (key.revokedAt) return false;
  forgetCredentials();
  await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, id)));
  return true;
}

/** Revokes every live key a user created (their deactivation); returns the keys' ids. */
export async function revokeApiKeysCreatedBy(db: Executor, tenantId: string, userId: string, now = new Date()): Promise<string[]> {
  forgetCredentials();
  const revoked = await db
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.createdBy, userId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return revoked.map((row) => row.id);
}

/**
 * Revokes the live keys a user created whose role can do more than `role` (after the user
 * is demoted): nobody keeps through a key the powers their own role lost. Returns their ids.
 */
export async function revokeApiKeysBeyondRole(db: Executor, tenantId: string, userId: string, role: Role, now = new Date()): Promise<string[]> {
  const live = await db
    .select({ id: apiKeys.id, role: apiKeys.role })
    .from(apiKeys)
    .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.createdBy, userId), isNull(apiKeys.revokedAt)));
  const beyond = live.filter((key) => !(isRole(key.role) && roleIncludes(role, key.role))).map((key) => key.id);
  if (beyond.length > 0) {
    forgetCredentials();
    await db
      .update(apiKeys)
      .set({ revokedAt: now })
      .where(and(eq(apiKeys.tenantId, tenantId), inArray(apiKeys.id, beyond)));
  }
  return beyond;
}

/** A key as the API shows it: never the secret or its hash. */
export type PublicApiKey = {
  id: string;
  keyId: string;
  name: string;
  role: Role;
  purposes: string[];
  defaultPurpose: string | null;
  createdBy: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
};

export function toPublicApiKey(row: typeof apiKeys.$inferSelect): PublicApiKey {
  return {
    id: row.id,
    keyId: row.keyId,
    name: row.name,
    role: row.role as Role,
    purposes: row.purposes,
    defaultPurpose: row.defaultPurpose,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
  };
}

export async function findApiKey(db: Executor, tenantId: string, id: string): Promise<PublicApiKey | null> {
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, id)))
    .limit(1);
  return row ? toPublicApiKey(row) : null;
}

const apiKeySorts: Record<string, SortColumn> = { created_at: { column: apiKeys.createdAt, kind: 'timestamp' } };

export async function listApiKeys(
  db: Executor,
  tenantId: string,
  query: { cursor?: string; limit: number; sort?: string; includeRevoked?: boolean },
): Promise<{ data: PublicApiKey[]; nextCursor: string | null }> {
  const order = parseSort(query.sort, apiKeySorts, 'created_at');
  const conditions: Array<SQL | undefined> = [
    eq(apiKeys.tenantId, tenantId),
    query.includeRevoked === false ? isNull(apiKeys.revokedAt) : undefined,
    keysetCondition(order, apiKeys.id, query.cursor),
  ];
  const rows = await db
    .select()
    .from(apiKeys)
    .where(and(...conditions))
    .orderBy(...keysetOrderBy(order, apiKeys.id))
    .limit(query.limit + 1);
  const page = pageByCreationOf(rows, query.limit, order);
  return { data: page.data.map(toPublicApiKey), nextCursor: page.nextCursor };
}
