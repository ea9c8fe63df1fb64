import type { Command } from 'commander';
import { commandContext } from '../cliDatabase.ts';

export function registerOpenApiCommand(program: Command) {
  program
    .command('openapi')
    .description(
      "write the API's OpenAPI 3 document (what GET /api/openapi.json serves) without starting a server or opening the database, e.g. to generate a typed client",
    )
    .option('--output <file>', 'write it to this file instead of stdout')
    .action(async (options: { output?: string }) => {
      const { writeOpenApiDocument } = await import('../actions/openapi.ts');
      await writeOpenApiDocument(commandContext(), options.output);
    });
}
