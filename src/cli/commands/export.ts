import type { Command } from 'commander';
import type { ExportFormat } from '../../crm/export/exportService.ts';
import { invalid } from '../../shared/domainError.ts';
import { withCliDatabase } from '../cliDatabase.ts';
import { parseImportObject } from './import.ts';

// Not the service's list, so that registering the command loads no export code.
const exportFormats: readonly ExportFormat[] = ['csv', 'json'];

export function registerExportCommand(program: Command) {
  program
    .command('export')
    .description('export every contact or company as CSV or JSON, with the column names candor import accepts (audited)')
    .requiredOption('--workspace <slug>', 'workspace slug')
    .requiredOption('--object <object>', 'contact or company')
    .option('--format <format>', 'csv or json', 'csv')
    .option('--out <file>', 'write to this file (created 0600) instead of stdout')
    .option('--purpose <key>', 'the purpose this export is for, recorded in the audit trail (required for contacts)')
    .action(async (options: { workspace: string; object: string; format: string; out?: string; purpose?: string }) => {
      const object = parseImportObject(options.object);
      const format = exportFormats.find((known) => known === options.format);
      if (!format) throw invalid('format', 'must be csv or json');
      // Refused here, in the CLI's words, rather than by the service in the API's (a header).
      if (object === 'contact' && !options.purpose) {
        throw invalid('purpose', 'contacts are personal data: name the purpose of this export with --purpose <key>, e.g. --purpose sales');
      }
      await withCliDatabase('export', async (database, _config, context) => {
        const { exportRecords } = await import('../actions/export.ts');
        await exportRecords(database, context, { workspace: options.workspace, object, format, out: options.out, purpose: options.purpose });
      });
    });
}
