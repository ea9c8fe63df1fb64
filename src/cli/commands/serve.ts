import type { Command } from 'commander';
import type { ProgramOutput } from '../cliDatabase.ts';
import { invalid } from '../../shared/domainError.ts';
import { defaultDemoContacts, maxDemoContacts } from '../../crm/seed/demoDefaults.ts';

export function registerServeCommand(program: Command, buildProgram: (output: ProgramOutput) => Command) {
  program
    .command('serve')
    .description('start the Candor server (migrates the database first)')
    .option('--port <port>', 'port to listen on (default: PORT or 3000)')
    .option('--host <host>', 'address to bind (default: HOST or 127.0.0.1)')
    .option('--demo', 'create the demo workspace with users and sample data if it does not exist, and keep mail in /dev/mail')
    .option(
      '--contacts <n>',
      `with --demo: how many demo contacts to create, other records in proportion (default ${defaultDemoContacts.toLocaleString('en-US')})`,
    )
    .action(async (options: { port?: string; host?: string; demo?: boolean; contacts?: string }) => {
      const port = options.port === undefined ? undefined : Number(options.port);
      if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) throw invalid('port', 'must be a whole number from 0 to 65535');
      const demoContacts = options.contacts === undefined ? undefined : Number(options.contacts);
      if (demoContacts !== undefined && !(Number.isSafeInteger(demoContacts) && demoContacts >= 1 && demoContacts <= maxDemoContacts)) {
        throw invalid('contacts', `must be a whole number from 1 to ${maxDemoContacts}`);
      }
      if (demoContacts !== undefined && !options.demo) throw invalid('contacts', 'applies to the demo workspace: add --demo');
      const { serve } = await import('../actions/serve.ts');
      await serve({ port, host: options.host, demo: options.demo === true, demoContacts }, buildProgram);
    });
}
