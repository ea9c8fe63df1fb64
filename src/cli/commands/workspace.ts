import type { Command } from 'commander';
import { withCliDatabase } from '../cliDatabase.ts';

export function registerWorkspaceCommands(program: Command) {
  const workspace = program.command('workspace').description('manage workspaces (tenants)');
  workspace
    .command('create')
    .description('create a workspace with the default purposes and sales pipeline')
    .requiredOption('--slug <slug>', 'short name used in URLs and commands, e.g. acme')
    .option('--name <name>', 'display name (defaults to the slug)')
    .action(async (options: { slug: string; name?: string }) => {
      await withCliDatabase('workspace create', async (database, _config, context) => {
        const { createWorkspaceCommand } = await import('../actions/workspace.ts');
        await createWorkspaceCommand(database, context, options);
      });
    });
  workspace
    .command('list')
    .description('list the workspaces: slug, name, id')
    .option('--json', 'print a JSON array instead of a table')
    .action(async (options: { json?: boolean }) => {
      await withCliDatabase('workspace list', async (database, _config, context) => {
        const { listWorkspacesCommand } = await import('../actions/workspace.ts');
        await listWorkspacesCommand(database, context, options);
      });
    });
}
