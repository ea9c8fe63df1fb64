import { Command, CommanderError } from 'commander';
import { DomainError } from '../shared/domainError.ts';
import { registerServeCommand } from './commands/serve.ts';
import { registerMigrateCommand } from './commands/migrate.ts';
import { registerWorkspaceCommands } from './commands/workspace.ts';
import { registerUserCommands } from './commands/user.ts';
import { registerApiKeyCommands } from './commands/apikey.ts';
import { registerVerifyCommand } from './commands/verify.ts';
import { registerImportCommands } from './commands/import.ts';
import { registerExportCommand } from './commands/export.ts';
import { registerSeedCommand } from './commands/seed.ts';
import { registerKeysCommands } from './commands/keys.ts';

const program = new Command();
program
  .name('candor')
  .description(
    'Candor: the CRM that enforces ethical data collection.\nEnvironment: DATABASE_URL (PostgreSQL; embedded PGlite in CANDOR_DATA_DIR=./.candor when unset), PORT, SMTP_URL.',
  )
  .showHelpAfterError()
  .enablePositionalOptions()
  .exitOverride();

registerServeCommand(program);
registerMigrateCommand(program);
registerWorkspaceCommands(program);
registerUserCommands(program);
registerApiKeyCommands(program);
registerVerifyCommand(program);
registerImportCommands(program);
registerExportCommand(program);
registerSeedCommand(program);
registerKeysCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exit(error.exitCode);
  }
  if (error instanceof DomainError) {
    process.stderr.write(`candor: ${error.message}\n`);
    process.exit(error.code === 'validation_failed' ? 2 : 1);
  }
  process.stderr.write(`candor: unexpected error: ${(error as Error).message}\n`);
  process.exit(1);
}
