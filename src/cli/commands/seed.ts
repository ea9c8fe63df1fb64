import type { Command } from 'commander';
import { defaultDemoContacts, demoSlug, maxDemoContacts } from '../../crm/seed/demoDefaults.ts';
import { invalid } from '../../shared/domainError.ts';
import { withCliDatabase } from '../cliDatabase.ts';

export function registerSeedCommand(program: Command) {
  program
    .command('seed')
    .description(
      'fill a workspace with realistic synthetic demo data: users, companies, contacts, deals, activities, purchases and events. ' +
        'Running it again adds nothing twice: existing demo records are kept, missing ones (an interrupted run, a larger --contacts) are added.',
    )
    .option('--demo', 'seed the demo data set (the only data set so far)')
    .option('--contacts <n>', `number of contacts, 1 to ${maxDemoContacts.toLocaleString('en-US')}; other records in proportion`, String(defaultDemoContacts))
    .option('--workspace <slug>', 'workspace to create or complete', demoSlug)
    .action(async (options: { demo?: boolean; contacts: string; workspace: string }) => {
      if (!options.demo) throw invalid('demo', 'pass --demo (the demo data set is the only one)');
      const contacts = Number(options.contacts.replaceAll('_', '').replaceAll(',', ''));
      if (!Number.isSafeInteger(contacts) || contacts < 1 || contacts > maxDemoContacts) {
        throw invalid('contacts', `must be a whole number from 1 to ${maxDemoContacts}`);
      }
      await withCliDatabase('seed', async (database, _config, context) => {
        const { seedDemo } = await import('../actions/seed.ts');
        await seedDemo(database, context, { workspace: options.workspace, contacts });
      });
    });
}
