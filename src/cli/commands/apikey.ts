import type { Command } from 'commander';
import { createApiKey } from '../../accounts/apiKeys.ts';
import { requireWorkspace } from '../../accounts/workspaces.ts';
import { isRole, roles } from '../../shared/roles.ts';
import { invalid } from '../../shared/domainError.ts';
import { withCliDatabase } from '../cliDatabase.ts';

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerApiKeyCommands(program: Command) {
  const apikey = program.command('apikey').description('manage API keys');
  apikey
    .command('create')
    .description('create an API key; the key is printed once, as the last line of stdout')
    .requiredOption('--workspace <slug>', 'workspace slug')
    .requiredOption('--role <role>', `one of ${roles.join(', ')}`)
    .option('--purpose <key>', 'a purpose the key may act for (repeatable; the first is the default)', collect, [])
    .option('--default-purpose <key>', 'the purpose used when a request names none')
    .option('--name <name>', 'what the key is for', 'cli key')
    .option('--expires-in-days <days>', 'expire the key after this many days')
    .action(async (options: { workspace: string; role: string; purpose: string[]; defaultPurpose?: string; name: string; expiresInDays?: string }) => {
      if (!isRole(options.role)) throw invalid('role', `must be one of ${roles.join(', ')}`);
      const role = options.role;
      const days = options.expiresInDays === undefined ? null : Number(options.expiresInDays);
      if (days !== null && !(Number.isInteger(days) && days > 0)) throw invalid('expires-in-days', 'must be a positive whole number');
      await withCliDatabase('apikey create', async (database) => {
        const workspace = await requireWorkspace(database.db, options.workspace);
        const created = await createApiKey(database.db, {
          tenantId: workspace.id,
          name: options.name,
          role,
          purposes: options.purpose,
          defaultPurpose: options.defaultPurpose ?? null,
          expiresAt: days === null ? null : new Date(Date.now() + days * 86_400_000),
        });
        process.stderr.write(`API key ${created.keyId} created for ${workspace.slug} (${role}); store it now, it is not shown again:\n`);
        process.stdout.write(`${created.key}\n`);
      });
    });
}
