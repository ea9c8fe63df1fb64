import { CommanderError } from 'commander';
import { DomainError } from '../shared/domainError.ts';
import { buildProgram } from './program.ts';

// A refusal is one line on stderr and a non-zero exit, never output on stdout: a script's
// `KEY=$(candor apikey create …)` sees the status and the person the line.
try {
  await buildProgram().parseAsync(process.argv);
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
