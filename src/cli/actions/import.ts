import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { requireWorkspace } from '../../accounts/workspaces.ts';
import type { ImportObject } from '../../crm/import/columnMapping.ts';
import type { ImportMatch, ImportReport } from '../../crm/import/importBatches.ts';
import { abandonedAfterMs, discardAbandonedImports, runImport } from '../../crm/import/importService.ts';
import { undoImport } from '../../crm/import/importUndo.ts';
import type { Database } from '../../db/connection.ts';
import { systemContext } from '../../kernel/index.ts';
import { DomainError, invalid } from '../../shared/domainError.ts';
import type { CommandContext } from '../cliDatabase.ts';
import { createProgressBar } from '../progressBar.ts';

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

export type ImportFileInput = {
  file: string;
  workspace: string;
  object: ImportObject;
  overrides: Record<string, string | null>;
  skipInvalid?: boolean;
  /** Rows matching an existing record (by matchOn) update it instead of creating one. */
  updateExisting?: boolean;
  matchOn?: ImportMatch;
  owner?: string;
  purpose?: string;
};

/** The size of the file to import, or a one-line refusal naming it. */
async function sizeOf(path: string, typed: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    throw invalid('file', `cannot read ${typed} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

export async function importFile(database: Database, context: CommandContext, input: ImportFileInput): Promise<void> {
  const path = context.resolvePath(input.file);
  const size = await sizeOf(path, input.file);
  // When this process owns the embedded database, any batch still staging was left by a
  // process that died; inside a running server its own HTTP imports may be staging.
  await discardAbandonedImports(database, { idleMs: context.ownsDatabase ? 0 : abandonedAfterMs });
  const workspace = await requireWorkspace(database.db, input.workspace);
  const ctx = systemContext(workspace.id, 'cli', input.purpose ?? null);
  const bar = createProgressBar({ label: 'import', total: size, stream: context.stderr });
  let report: Awaited<ReturnType<typeof runImport>>;
  try {
    report = await runImport(database, ctx, {
      object: input.object,
      input: createReadStream(path),
      overrides: input.overrides,
      skipInvalid: input.skipInvalid === true,
      mode: input.updateExisting === true ? 'upsert' : 'create',
      matchOn: input.matchOn,
      ownerEmail: input.owner ?? null,
      fileName: basename(path),
      onProgress: (bytes) => bar.update(bytes),
      onBatchCreated: (batchId) => context.stderr.write(`import ${batchId}: staging ${input.file}\n`),
    });
  } catch (error) {
    bar.fail();
    throw error;
  }
  if (report.status === 'published') bar.finish();
  else bar.fail();
  context.stdout.write(formatImportReport(report));
  if (report.status !== 'published') {
    throw new DomainError('validation_failed', `nothing was imported (${report.invalidRows} invalid row(s)); see the report above`);
  }
}

export async function undoImportBatch(database: Database, context: CommandContext, input: { workspace: string; batchId: string }): Promise<void> {
  const workspace = await requireWorkspace(database.db, input.workspace);
  const outcome = await undoImport(database, systemContext(workspace.id, 'cli'), input.batchId);
  context.stdout.write(formatImportReport(outcome));
  context.stdout.write(`  removed ${outcome.removedContacts} contact(s) and ${outcome.removedCompanies} company(ies)`);
  context.stdout.write(outcome.keptCompanies > 0 ? `; kept ${outcome.keptCompanies} company(ies) that other records use\n` : '\n');
  if (outcome.keptUpdated > 0) {
    context.stdout.write(`  kept ${outcome.keptUpdated} existing record(s) the import updated: undo cannot restore their earlier values\n`);
  }
}
