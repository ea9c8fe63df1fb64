import type { Command } from 'commander';
import { unlockUserByEmail } from '../../accounts/accountUnlock.ts';
import { addUser } from '../../accounts/users.ts';
import { requireWorkspace } from '../../accounts/workspaces.ts';
import { isRole, roles } from '../../shared/roles.ts';
import { invalid } from '../../shared/domainError.ts';
import type { Database } from '../../db/connection.ts';
import { systemContext } from '../../kernel/index.ts';
import { withCliDatabase } from '../cliDatabase.ts';

/** `candor user unlock`: forgets the account's failed logins; returns the line to print. */
export async function unlockUserCommand(database: Database, options: { workspace: string; email: string }): Promise<string> {
  const workspace = await requireWorkspace(database.db, options.workspace);
  const user = await unlockUserByEmail(database.db, systemContext(workspace.id, 'cli'), options.email);
  return `user ${user.id} unlocked in ${workspace.slug}: the right password gets in at once\n`;
}

export function registerUserCommands(program: Command) {
  const user = program.command('user').description('manage staff accounts');
  user
    .command('add')
    .description('add a user who logs in with e-mail and password (read from CANDOR_PASSWORD or --password)')
    .requiredOption('--workspace <slug>', 'workspace slug')
    .requiredOption('--email <email>', 'login e-mail address')
    .requiredOption('--role <role>', `one of ${roles.join(', ')}`)
    .option('--name <name>', 'display name')
    .option('--password <password>', 'initial password (at least 12 characters); prefer CANDOR_PASSWORD so it stays out of shell history')
    .action(async (options: { workspace: string; email: string; role: string; name?: string; password?: string }) => {
      if (!isRole(options.role)) throw invalid('role', `must be one of ${roles.join(', ')}`);
      const role = options.role;
      const password = options.password ?? process.env.CANDOR_PASSWORD;
      if (!password) throw invalid('password', 'set CANDOR_PASSWORD or pass --password');
      await withCliDatabase('user add', async (database) => {
        const workspace = await requireWorkspace(database.db, options.workspace);
        const created = await addUser(database.db, {
          tenantId: workspace.id,
          email: options.email,
          displayName: options.name ?? options.email,
          role,
          password,
        });
        process.stdout.write(`user ${created.id} added to ${workspace.slug} as ${role}\n`);
      });
    });
  user
    .command('unlock')
    .description('forget failed logins on an account, so its right password gets in at once')
    .requiredOption('--workspace <slug>', 'workspace slug')
    .requiredOption('--email <email>', 'login e-mail address')
    .action(async (options: { workspace: string; email: string }) => {
      await withCliDatabase('user unlock', async (database) => {
        process.stdout.write(await unlockUserCommand(database, options));
      });
    });
}
