import { unlockUserByEmail } from '../../accounts/accountUnlock.ts';
import { listUsers } from '../../accounts/userAdministration.ts';
import { addUser, type PublicUser } from '../../accounts/users.ts';
import { requireWorkspace } from '../../accounts/workspaces.ts';
import type { Database } from '../../db/connection.ts';
import { systemContext } from '../../kernel/index.ts';
import type { Role } from '../../shared/roles.ts';
import type { CommandContext } from '../cliDatabase.ts';
import { formatTable, shortDate } from '../table.ts';

export async function addUserCommand(
  database: Database,
  context: CommandContext,
  input: { workspace: string; email: string; role: Role; name?: string; password: string },
): Promise<void> {
  const workspace = await requireWorkspace(database.db, input.workspace);
  const created = await addUser(database.db, {
    tenantId: workspace.id,
    email: input.email,
    displayName: input.name ?? input.email,
    role: input.role,
    password: input.password,
  });
  context.stdout.write(`user ${created.id} added to ${workspace.slug} as ${input.role}\n`);
}

export async function listUsersCommand(database: Database, context: CommandContext, options: { workspace: string; json?: boolean }): Promise<void> {
  const workspace = await requireWorkspace(database.db, options.workspace);
  const ctx = systemContext(workspace.id, 'cli');
  const users: PublicUser[] = [];
  let cursor: string | undefined;
  do {
    const page = await listUsers(database.db, ctx, { limit: 100, ...(cursor ? { cursor } : {}) });
    users.push(...page.data);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  if (options.json) {
    context.stdout.write(`${JSON.stringify(users)}\n`);
    return;
  }
  const rows = users.map((user) => [user.email, user.role, user.status, shortDate(user.createdAt), user.id]);
  context.stdout.write(formatTable(['email', 'role', 'status', 'created', 'id'], rows));
}

/** `candor user unlock`: forgets the account's failed logins; returns the line to print. */
export async function unlockUserCommand(database: Database, options: { workspace: string; email: string }): Promise<string> {
  const workspace = await requireWorkspace(database.db, options.workspace);
  const user = await unlockUserByEmail(database.db, systemContext(workspace.id, 'cli'), options.email);
  return `user ${user.id} unlocked in ${workspace.slug}: the right password gets in at once\n`;
}
