import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import type { ProgramOutput } from './cliDatabase.ts';
import { registerApiKeyCommands } from './commands/apikey.ts';
import { registerExportCommand } from './commands/export.ts';
import { registerImportCommands } from './commands/import.ts';
import { registerKeysCommands } from './commands/keys.ts';
import { registerMigrateCommand } from './commands/migrate.ts';
import { registerOpenApiCommand } from './commands/openapi.ts';
import { registerRetentionCommand } from './commands/retention.ts';
import { registerSeedCommand } from './commands/seed.ts';
import { registerServeCommand } from './commands/serve.ts';
import { registerUserCommands } from './commands/user.ts';
import { registerVerifyCommand } from './commands/verify.ts';
import { registerWorkspaceCommands } from './commands/workspace.ts';

// Registering a command costs little: each command file names its options and loads what
// the command does (services, the database, the server) only when it runs, so `--help` and
// `--version` answer without loading Fastify or PGlite.

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/**
 * The `candor` program. `output` redirects help and parse errors: a running server builds
 * one per command line a CLI sends it, writing back to that CLI.
 */
export function buildProgram(output?: ProgramOutput): Command {
  const program = new Command();
  // Before the commands are added: they inherit the output settings and the exit override.
  program
    .name('candor')
    .description(
      'Candor: the CRM that enforces ethical data collection.\n' +
        'Environment: DATABASE_URL (PostgreSQL; embedded PGlite in CANDOR_DATA_DIR=./.candor when unset), PORT, SMTP_URL.\n' +
        'On the embedded database, commands run while `candor serve` runs are run by the server (over <data dir>/candor.sock).',
    )
    .version(packageJson.version, '-V, --version', 'print the version')
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({
      ...(output ? { writeOut: output.writeOut, writeErr: output.writeErr } : {}),
      // One line on stderr, so that a caller of `$(candor …)` sees it beside the exit status.
      outputError: (text, write) => write(`candor: ${text.replace(/^error: /, '').trim()} (see --help)\n`),
    });
  registerServeCommand(program, buildProgram);
  registerMigrateCommand(program);
  registerWorkspaceCommands(program);
  registerUserCommands(program);
  registerApiKeyCommands(program);
  registerVerifyCommand(program);
  registerImportCommands(program);
  registerExportCommand(program);
  registerSeedCommand(program);
  registerKeysCommands(program);
  registerOpenApiCommand(program);
  registerRetentionCommand(program);
  return program;
}
