import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { requireWorkspace } from '../../accounts/workspaces.ts';
import { exportFormats, startExport, type ExportFormat } from '../../crm/export/exportService.ts';
import { systemContext } from '../../kernel/index.ts';
import { invalid } from '../../shared/domainError.ts';
import { withCliDatabase } from '../cliDatabase.ts';
import { parseImportObject } from './import.ts';

export function registerExportCommand(program: Command) {
  program
    .command('export')
    .description('export every contact or company as CSV or JSON, with the column names candor import accepts (audited)')
    .requiredOption('--workspace <slug>', 'workspace slug')
    .requiredOption('--object <object>', 'contact or company')
    .option('--format <format>', 'csv or json', 'csv')
    .option('--out <file>', 'write to this file instead of stdout')
    .option('--purpose <key>', 'the purpose this export is for, recorded in the audit trail')
    .action(async (options: { workspace: string; object: string; format: string; out?: string; purpose?: string }) => {
      const object = parseImportObject(options.object);
      if (!(exportFormats as readonly string[]).includes(options.format)) throw invalid('format', 'must be csv or json');
      await withCliDatabase('export', async (database) => {
        const workspace = await requireWorkspace(database.db, options.workspace);
        const started = await startExport(database, systemContext(workspace.id, 'cli', options.purpose ?? null), {
          object,
          format: options.format as ExportFormat,
        });
        // 0o600: the file holds personal data.
        await pipeline(started.body, options.out ? createWriteStream(options.out, { mode: 0o600 }) : process.stdout);
        process.stderr.write(
          `exported ${started.rowsWritten()} ${object === 'contact' ? 'contact(s)' : 'company(ies)'}${options.out ? ` to ${options.out}` : ''}\n`,
        );
      });
    });
}
