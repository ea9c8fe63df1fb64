import type { Command } from 'commander';
import { withCliDatabase } from '../cliDatabase.ts';

export function registerMigrateCommand(program: Command) {
  program
    .command('migrate')
    .description('apply the checked-in SQL migrations (also done at every start)')
    .action(async () => {
      await withCliDatabase('migrate', async (database, _config, context) => {
        context.stdout.write(`migrations applied (${database.kind})\n`);
      });
    });
}
