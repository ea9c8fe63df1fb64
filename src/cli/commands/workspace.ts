import type { Command } from 'commander';
import { createWorkspace } from '../../accounts/workspaces.ts';
import { withCliDatabase } from '../cliDatabase.ts';

export function registerWorkspaceCommands(program: Command) {
  const workspace = program.command('workspace').description('manage workspaces (tenants)');
  workspace
    .command('create')
    .description('create a workspace with the default purposes and sales pipeline')
    .requiredOption('--slug <slug>', 'short name used in URLs and commands, e.g. acme')
    .option('--name <name>', 'display name (defaults to the slug)')
    .action(async (options: { slug: string; name?: string }) => {
      await withCliDatabase('workspace create', async (database) => {
        const created = await createWorkspace(database.db, { slug: options.slug, name: options.name ?? options.slug });
        process.stdout.write(`workspace ${created.slug} created (id ${created.id})\n`);
      });
    });
}
