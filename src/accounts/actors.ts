import type { Executor } from '../db/connection.ts';
import type { Actor } from '../kernel/index.ts';
import { isRole } from '../shared/roles.ts';
import { findApiKey } from './apiKeys.ts';
import { findUserById } from './users.ts';

/**
 * The actor a stored actor key ("user:<id>", "api_key:<id>", "system:<name>") names, as it
 * stands now: a user's current role, a key's role and creator. Null when the user was
 * deactivated (or removed) or the key revoked or expired since, so work queued in their
 * name (a background import) does not run on after their access ended.
 */
export async function currentActor(db: Executor, tenantId: string, key: string, now = new Date()): Promise<Actor | null> {
  const at = key.indexOf(':');
  const type = key.slice(0, at);
  const id = key.slice(at + 1);
  if (type === 'system') return { type: 'system', id, role: 'admin' };
  if (type === 'user') {
    const user = await findUserById(db, tenantId, id);
    if (!user || user.status === 'deactivated' || !isRole(user.role)) return null;
    return { type: 'user', id, role: user.role };
  }
  if (type === 'api_key') {
    const apiKey = await findApiKey(db, tenantId, id);
    if (!apiKey || apiKey.revokedAt || (apiKey.expiresAt && apiKey.expiresAt <= now)) return null;
    return { type: 'api_key', id, role: apiKey.role, createdBy: apiKey.createdBy };
  }
  return null;
}
