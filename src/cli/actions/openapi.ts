import { writeFileSync } from 'node:fs';
import { loadConfig } from '../../config.ts';
import { buildOpenApiDocument } from '../../http/openApiDocument.ts';
import type { CommandContext } from '../cliDatabase.ts';

/** Writes the OpenAPI document as JSON to `output`, or to stdout; the document does not depend on demo mode's extra pages. */
export async function writeOpenApiDocument(context: CommandContext, output: string | undefined): Promise<void> {
  const document = await buildOpenApiDocument(loadConfig(context.env, { demo: false, logLevel: 'silent' }));
  const text = `${JSON.stringify(document, null, 2)}\n`;
  if (output === undefined) {
    context.stdout.write(text);
    return;
  }
  const path = context.resolvePath(output);
  writeFileSync(path, text);
  context.stderr.write(`wrote the OpenAPI document to ${path}\n`);
}
