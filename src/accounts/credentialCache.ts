import { createHash } from 'node:crypto';
import type { AppDatabase, Transaction } from '../db/connection.ts';

/**
 * A short-lived, in-process memo of verified API keys. Authentication is on every request's
 * path and a key lookup costs as much as the page it guards, so a verified key is reused
 * for at most one second. Every revocation in this process (key revoked, user deactivated
 * or demoted) clears the memo at once; another Candor process sharing the database notices
 * within the same second. Entries are keyed by a hash of the presented key, never the key.
 */
const ttlMs = 1_000;
const maxEntries = 10_000;
const entries = new Map<string, { expiresAt: number; value: unknown }>();

export function credentialCacheKey(...parts: Array<string | undefined>): string {
  return createHash('sha256')
    .update(parts.map((part) => part ?? '').join('\u0000'))
    .digest('base64url');
}

export async function rememberCredential<T>(key: string, load: () => Promise<T | null>, now = Date.now()): Promise<T | null> {
  const hit = entries.get(key);
  if (hit && hit.expiresAt > now) return hit.value as T;
  const value = await load();
  if (value === null) {
    entries.delete(key);
    return null;
  }
  if (entries.size >= maxEntries) entries.clear();
  entries.set(key, { expiresAt: now + ttlMs, value });
  return value;
}

/** Forgets every remembered key: called by every revocation, before it commits. */
export function forgetCredentials(): void {
  entries.clear();
}

/**
 * Runs a transaction that revokes or narrows credentials (a key revoked, a user deactivated
 * or demoted, a role's grants changed) and forgets remembered keys once it has committed:
 * a key verified while the transaction ran must not be remembered with its old powers.
 */
export async function revokingTransaction<T>(db: AppDatabase, work: (tx: Transaction) => Promise<T>): Promise<T> {
  try {
    return await db.transaction(work);
  } finally {
    forgetCredentials();
  }
}
