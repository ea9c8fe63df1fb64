import type { Command } from 'commander';
import { isRole, roles } from '../../shared/roles.ts';
import { invalid } from '../../shared/domainError.ts';
import { commandContext, withCliDatabase } from '../cliDatabase.ts';

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
      // The caller's CANDOR_PASSWORD: a running server that runs this for a CLI is given the CLI's.
      const password = options.password ?? commandContext().env.CANDOR_PASSWORD;
      if (!password) throw invalid('password', 'set CANDOR_PASSWORD or pass --password');
      await withCliDatabase('user add', async (database, _config, context) => {
        const { addUserCommand } = await import('../actions/user.ts');
        await addUserCommand(database, context, { ...options, role, password });
      });
    });
  user
    .command('list')
    .description("list a workspace's staff accounts: e-mail, role and status")
    .requiredOption('--workspace <slug>', 'workspace slug')
    .option('--json', 'print a JSON array instead of a table')
    .action(async (options: { workspace: string; json?: boolean }) => {
      await withCliDatabase('user list', async (database, _config, context) => {
        const { listUsersCommand } = await import('../actions/user.ts');
        await listUsersCommand(database, context, options);
      });
    });
  user
    .command('unlock')
    .description('forget failed logins on an account, so its right password gets in at once')
    .requiredOption('--workspace <slug>', 'workspace slug')
    .requiredOption('--email <email>', 'login e-mail address')
    .action(async (options: { workspace: string; email: string }) => {
      await withCliDatabase('user unlock', async (database, _config, context) => {
        const { unlockUserCommand } = await import('../actions/user.ts');
        context.stdout.write(await unlockUserCommand(database, options));
      });
    });
}
