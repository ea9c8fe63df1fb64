import type { Command } from 'commander';
import type { ImportObject } from '../../crm/import/columnMapping.ts';
import type { ImportMatch } from '../../crm/import/importBatches.ts';
import { isUuid } from '../../db/ids.ts';
import { invalid } from '../../shared/domainError.ts';
import { withCliDatabase } from '../cliDatabase.ts';

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
      const workspace = options.workspace;
      const object = parseImportObject(options.object ?? '');
      const overrides = parseColumnOverrides(options.map);
      const matchOn = parseImportMatch(options.matchOn);
      await withCliDatabase('import', async (database, _config, context) => {
        const { importFile } = await import('../actions/import.ts');
        await importFile(database, context, { ...options, file, workspace, object, overrides, matchOn });
      });
    });

  command
    .command('undo')
    .description('remove the records an import created and mark it undone (records an upsert import updated are kept and counted)')
    .argument('<batchId>', 'the import batch id printed by candor import')
    .requiredOption('--workspace <slug>', 'workspace slug')
    .action(async (batchId: string, options: { workspace: string }) => {
      if (!isUuid(batchId)) throw invalid('batchId', 'not an import batch id');
      await withCliDatabase('import undo', async (database, _config, context) => {
        const { undoImportBatch } = await import('../actions/import.ts');
        await undoImportBatch(database, context, { workspace: options.workspace, batchId });
      });
    });
}
