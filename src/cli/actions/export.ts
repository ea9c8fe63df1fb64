import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { requireWorkspace } from '../../accounts/workspaces.ts';
import type { ImportObject } from '../../crm/import/columnMapping.ts';
import { startExport, type ExportFormat } from '../../crm/export/exportService.ts';
import type { Database } from '../../db/connection.ts';
import { systemContext } from '../../kernel/index.ts';
import type { CommandContext } from '../cliDatabase.ts';

export type ExportInput = { workspace: string; object: ImportObject; format: ExportFormat; out?: string; purpose?: string };

export async function exportRecords(database: Database, context: CommandContext, input: ExportInput): Promise<void> {
  const workspace = await requireWorkspace(database.db, input.workspace);
  const started = await startExport(database, systemContext(workspace.id, 'cli', input.purpose ?? null), { object: input.object, format: input.format });
  // 0o600: the file holds personal data.
  await pipeline(started.body, input.out ? createWriteStream(context.resolvePath(input.out), { mode: 0o600 }) : context.stdout);
  const what = input.object === 'contact' ? 'contact(s)' : 'company(ies)';
  context.stderr.write(`exported ${started.rowsWritten()} ${what}${input.out ? ` to ${input.out}` : ''}\n`);
}
