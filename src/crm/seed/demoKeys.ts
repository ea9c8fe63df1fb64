import { createApiKey, listApiKeys, revokeApiKey, type PublicApiKey } from '../../accounts/apiKeys.ts';
import type { Workspace } from '../../accounts/workspaces.ts';
import type { Database, Executor } from '../../db/connection.ts';
import type { Role } from '../../shared/roles.ts';
import { defaultPurposeByRole } from './demoDefaults.ts';
import { demoUsers } from './demoWorkspace.ts';

export type DemoKey = { role: Role; purpose: string; key: string };

const demoKeyName = (role: Role) => `demo start key (${role})`;
const demoKeyLifetimeMs = 7 * 24 * 60 * 60 * 1000;

async function liveKeys(db: Executor, tenantId: string): Promise<PublicApiKey[]> {
  const keys: PublicApiKey[] = [];
  let cursor: string | undefined;
  do {
    const page = await listApiKeys(db, tenantId, { limit: 100, includeRevoked: false, ...(cursor ? { cursor } : {}) });
    keys.push(...page.data);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return keys;
}

/**
 * A fresh key per demo role, made at each demo start for the start banner: the secrets live
 * only in this process's memory and the banner (never on disk, never in the structured log).
 * The keys an earlier start printed are revoked, so only the latest banner's keys work.
 */
export async function createDemoKeys(database: Database, workspace: Workspace): Promise<DemoKey[]> {
  const roles = demoUsers.map((user) => user.role);
  const names = new Set(roles.map(demoKeyName));
  return database.db.transaction(async (tx) => {
    for (const key of await liveKeys(tx, workspace.id)) {
      if (names.has(key.name)) await revokeApiKey(tx, workspace.id, key.id);
    }
    const created: DemoKey[] = [];
    for (const role of roles) {
      const purpose = defaultPurposeByRole[role];
      const { key } = await createApiKey(tx, {
        tenantId: workspace.id,
        name: demoKeyName(role),
        role,
        purposes: [purpose],
        expiresAt: new Date(Date.now() + demoKeyLifetimeMs),
      });
      created.push({ role, purpose, key });
    }
    return created;
  });
}
