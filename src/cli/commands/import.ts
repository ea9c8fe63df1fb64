import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { requireWorkspace } from '../../accounts/workspaces.ts';
import type { ImportObject } from '../../crm/import/columnMapping.ts';
import type { ImportMatch, ImportReport } from '../../crm/import/importBatches.ts';
import { abandonedAfterMs, discardAbandonedImports, runImport } from '../../crm/import/importService.ts';
import { undoImport } from '../../crm/import/importUndo.ts';
import { isUuid } from '../../db/ids.ts';
import { systemContext } from '../../kernel/index.ts';
import { DomainError, invalid } from '../../shared/domainError.ts';
import { withCliDatabase } from '../cliDatabase.ts';
import { createProgressBar } from '../progressBar.ts';

const collect = (value: string, previous: string[]) => [...previous, value];

/** Parses repeated --map "Header=field" options; "Header=" ignores the column. */
export function parseColumnOverrides(maps: string[]): Record<string, string | null> {
  const overrides: Record<string, string | null> = {};
  for (const map of maps) {
    const at = map.lastIndexOf('=');
    if (at <= 0) throw invalid('map', 'use "Header=field" (or "Header=" to ignore a column)');
    const field = map.slice(at + 1).trim();
    overrides[map.slice(0, at)] = field === '' ? null : field;
  }
  return overrides;
}

export function parseImportObject(value: string): ImportObject {
  if (value !== 'contact' && value !== 'company') throw invalid('object', 'must be contact or company');
  return value;
}

/** The summary printed after an import or undo: counts, lines and reasons, never values. */
export function formatImportReport(report: ImportReport & { unmappedColumns?: string[] }): string {
  const lines = [
    `import ${report.id} (${report.object}): ${report.status}`,
    `  rows read: ${report.totalRows}, imported: ${report.importedRows}, ${report.mode === 'upsert' ? `updated: ${report.updatedRows}, ` : ''}invalid: ${report.invalidRows}`,
  ];
  if (report.status === 'published' && report.invalidRows > 0) lines.push(`  skipped ${report.invalidRows} invalid row(s):`);
  if (report.status === 'failed' && report.invalidRows > 0) lines.push('  nothing was imported; fix these rows or run again with --skip-invalid:');
  for (const issue of report.issues) lines.push(`    line ${issue.line}, ${issue.field}: ${issue.reason}`);
  if (report.issuesTruncated) lines.push(`    … more; the report lists the first rows only`);
  if (report.unmappedColumns && report.unmappedColumns.length > 0) lines.push(`  columns not imported: ${report.unmappedColumns.join(', ')}`);
  if (report.status === 'published') lines.push(`  undo with: candor import undo ${report.id} --workspace <slug>`);
  return `${lines.join('\n')}\n`;
}

type ImportOptions = {
  workspace?: string;
  object?: string;
  map: string[];
  skipInvalid?: boolean;
  updateExisting?: boolean;
  matchOn?: string;
  owner?: string;
  purpose?: string;
};

export function parseImportMatch(value: string | undefined): ImportMatch | undefined {
  if (value === undefined) return undefined;
  if (value !== 'email' && value !== 'externalId' && value !== 'domain') throw invalid('match-on', 'must be email, externalId or domain');
  return value;
}

export function registerImportCommands(program: Command) {
  const command = program
    .command('import')
    .description('import contacts or companies from a CSV file (HubSpot, Salesforce and Candor exports are recognised); all-or-nothing unless --skip-invalid')
    .argument('<file>', 'CSV file with a header row')
    // `import undo … --workspace x`: the subcommand, not this command, takes options after its name.
    .enablePositionalOptions()
    // Checked in the action rather than as required options: commander would demand them of `import undo` too.
    .option('--workspace <slug>', 'workspace slug (required)')
    .option('--object <object>', 'contact or company (required)')
    .option('--map <Header=field>', 'map a column to a Candor field, or "Header=" to ignore it (repeatable)', collect, [])
    .option('--skip-invalid', 'import the valid rows and report each invalid one by line number')
    .option('--update-existing', 'a row matching an existing record (--match-on) updates it instead of creating one')
    .option('--match-on <field>', 'what --update-existing matches: contacts email (default) or externalId; companies externalId (default) or domain')
    .option('--owner <email>', 'owner (a user of the workspace) of records whose row names none')
    .option('--purpose <key>', 'the purpose this import is for, recorded in the audit trail')
    .action(async (file: string, options: ImportOptions) => {
      if (!options.workspace) throw invalid('workspace', 'name the workspace with --workspace <slug>');
      const workspaceSlug = options.workspace;
      const object = parseImportObject(options.object ?? '');
      const overrides = parseColumnOverrides(options.map);
      const size = (await stat(file)).size;
      await withCliDatabase('import', async (database) => {
        // With the embedded database this process holds the lock, so any batch still
        // staging was left by a process that died.
        await discardAbandonedImports(database, { idleMs: database.kind === 'pglite' ? 0 : abandonedAfterMs });
        const workspace = await requireWorkspace(database.db, workspaceSlug);
        const ctx = systemContext(workspace.id, 'cli', options.purpose ?? null);
        const bar = createProgressBar({ label: 'import', total: size });
        let report: Awaited<ReturnType<typeof runImport>>;
        try {
          report = await runImport(database, ctx, {
            object,
            input: createReadStream(file),
            overrides,
            skipInvalid: options.skipInvalid === true,
            mode: options.updateExisting === true ? 'upsert' : 'create',
            matchOn: parseImportMatch(options.matchOn),
            ownerEmail: options.owner ?? null,
            onProgress: (bytes) => bar.update(bytes),
            onBatchCreated: (batchId) => process.stderr.write(`import ${batchId}: staging ${file}\n`),
          });
        } catch (error) {
          bar.fail();
          throw error;
        }
        if (report.status === 'published') bar.finish();
        else bar.fail();
        process.stdout.write(formatImportReport(report));
        if (report.status !== 'published') {
          throw new DomainError('validation_failed', `nothing was imported (${report.invalidRows} invalid row(s)); see the report above`);
        }
      });
    });

  command
    .command('undo')
    .description('remove the records an import created and mark it undone (records an upsert import updated are kept and counted)')
    .argument('<batchId>', 'the import batch id printed by candor import')
    .requiredOption('--workspace <slug>', 'workspace slug')
    .action(async (batchId: string, options: { workspace: string }) => {
      if (!isUuid(batchId)) throw invalid('batchId', 'not an import batch id');
      await withCliDatabase('import undo', async (database) => {
        const workspace = await requireWorkspace(database.db, options.workspace);
        const outcome = await undoImport(database, systemContext(workspace.id, 'cli'), batchId);
        process.stdout.write(formatImportReport(outcome));
        process.stdout.write(`  removed ${outcome.removedContacts} contact(s) and ${outcome.removedCompanies} company(ies)`);
        process.stdout.write(outcome.keptCompanies > 0 ? `; kept ${outcome.keptCompanies} company(ies) that other records use\n` : '\n');
        if (outcome.keptUpdated > 0) {
          process.stdout.write(`  kept ${outcome.keptUpdated} existing record(s) the import updated: undo cannot restore their earlier values\n`);
        }
      });
    });
}
