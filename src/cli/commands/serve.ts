import type { Command } from 'commander';
import type { ProgramOutput } from '../cliDatabase.ts';
import { invalid } from '../../shared/domainError.ts';

export function registerServeCommand(program: Command, buildProgram: (output: ProgramOutput) => Command) {
  program
    .command('serve')
    .description('start the Candor server (migrates the database first)')
    .option('--port <port>', 'port to listen on (default: PORT or 3000)')
    .option('--host <host>', 'address to bind (default: HOST or 127.0.0.1)')
    .option('--demo', 'create the demo workspace with users and sample data if it does not exist, and keep mail in /dev/mail')
    .action(async (options: { port?: string; host?: string; demo?: boolean }) => {
      const port = options.port === undefined ? undefined : Number(options.port);
      if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) throw invalid('port', 'must be a whole number from 0 to 65535');
      const { serve } = await import('../actions/serve.ts');
      await serve({ port, host: options.host, demo: options.demo === true }, buildProgram);
    });
}
