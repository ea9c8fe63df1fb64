import type { Command } from 'commander';
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
      await withCliDatabase('apikey create', async (database, _config, context) => {
        const { createKey } = await import('../actions/apikey.ts');
        await createKey(database, context, { ...options, role, expiresInDays: days });
      });
    });
  apikey
    .command('list')
    .description("list a workspace's API keys (never their secrets), newest first")
    .requiredOption('--workspace <slug>', 'workspace slug')
    .option('--include-revoked', 'also list revoked keys')
    .option('--json', 'print a JSON array instead of a table')
    .action(async (options: { workspace: string; includeRevoked?: boolean; json?: boolean }) => {
      await withCliDatabase('apikey list', async (database, _config, context) => {
        const { listKeys } = await import('../actions/apikey.ts');
        await listKeys(database, context, options);
      });
    });
  apikey
    .command('revoke')
    .description('revoke an API key at once (audited)')
    .argument('<key>', 'the key id shown by `candor apikey list` (or the id, or the key itself)')
    .requiredOption('--workspace <slug>', 'workspace slug')
    .action(async (key: string, options: { workspace: string }) => {
      await withCliDatabase('apikey revoke', async (database, _config, context) => {
        const { revokeKey } = await import('../actions/apikey.ts');
        await revokeKey(database, context, { workspace: options.workspace, key });
      });
    });
}
