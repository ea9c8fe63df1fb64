import { createApiKeyRecorded } from '../../accounts/apiKeyCreation.ts';
import { listApiKeys, type PublicApiKey } from '../../accounts/apiKeys.ts';
import { apiKeyIdOf, revokeApiKeyRecorded } from '../../accounts/apiKeyRevocation.ts';
import { requireWorkspace } from '../../accounts/workspaces.ts';
import type { Database } from '../../db/connection.ts';
import { systemContext } from '../../kernel/index.ts';
import type { Role } from '../../shared/roles.ts';
import type { CommandContext } from '../cliDatabase.ts';
import { formatTable, shortDate } from '../table.ts';

export type CreateKeyInput = {
  workspace: string;
  role: Role;
  purpose: string[];
  defaultPurpose?: string;
  name: string;
  expiresInDays: number | null;
};

export async function createKey(database: Database, context: CommandContext, input: CreateKeyInput): Promise<void> {
  const workspace = await requireWorkspace(database.db, input.workspace);
  const created = await database.db.transaction((tx) =>
    createApiKeyRecorded(tx, systemContext(workspace.id, 'cli'), {
      name: input.name,
      role: input.role,
      purposes: input.purpose,
      defaultPurpose: input.defaultPurpose ?? null,
      expiresAt: input.expiresInDays === null ? null : new Date(Date.now() + input.expiresInDays * 86_400_000),
    }),
  );
  context.stderr.write(`API key ${created.keyId} created for ${workspace.slug} (${input.role}); store it now, it is not shown again:\n`);
  context.stdout.write(`${created.key}\n`);
}

/** Every key of the workspace, page by page (the listing's pages are the API's). */
async function allKeys(database: Database, tenantId: string, includeRevoked: boolean): Promise<PublicApiKey[]> {
  const keys: PublicApiKey[] = [];
  let cursor: string | undefined;
  do {
    const page = await listApiKeys(database.db, tenantId, { limit: 100, sort: '-created_at', includeRevoked, ...(cursor ? { cursor } : {}) });
    keys.push(...page.data);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return keys;
}

const keyStatus = (key: PublicApiKey, now: Date) => (key.revokedAt ? 'revoked' : key.expiresAt && key.expiresAt <= now ? 'expired' : 'live');

export async function listKeys(database: Database, context: CommandContext, options: { workspace: string; includeRevoked?: boolean; json?: boolean }) {
  const workspace = await requireWorkspace(database.db, options.workspace);
  const keys = await allKeys(database, workspace.id, options.includeRevoked === true);
  if (options.json) {
    context.stdout.write(`${JSON.stringify(keys)}\n`);
    return;
  }
  const now = new Date();
  const rows = keys.map((key) => [
    key.keyId,
    keyStatus(key, now),
    key.role,
    shortDate(key.createdAt),
    shortDate(key.expiresAt),
    key.purposes.join(',') || '-',
    key.name,
  ]);
  context.stdout.write(formatTable(['key id', 'status', 'role', 'created', 'expires', 'purposes', 'name'], rows));
}

export async function revokeKey(database: Database, context: CommandContext, options: { workspace: string; key: string }) {
  const workspace = await requireWorkspace(database.db, options.workspace);
  const id = await apiKeyIdOf(database.db, workspace.id, options.key);
  const revoked = await revokeApiKeyRecorded(database.db, systemContext(workspace.id, 'cli'), id);
  context.stdout.write(revoked ? `API key ${id} revoked\n` : `API key ${id} was already revoked\n`);
}
