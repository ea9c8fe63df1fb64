import type { Command } from 'commander';
import { invalid } from '../../shared/domainError.ts';
import { withCliDatabase } from '../cliDatabase.ts';

/** --as-of: an ISO 8601 date (midnight UTC) or instant. */
export function parseAsOf(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime()))
    throw invalid('as-of', 'an ISO 8601 date (2027-01-31) or instant (2027-01-31T02:30:00Z)');
  return date;
}

export function registerRetentionCommand(program: Command) {
  program
    .command('retention')
    .description(
      "run the retention sweep: erase (or anonymise) the people no purpose's retention period justifies keeping and expire old events, leaving a proof of deletion per batch; people under a legal hold are kept",
    )
    .option('--dry-run', 'list what the sweep would remove, and change nothing')
    .option('--workspace <slug>', 'sweep only this workspace (default: every workspace)')
    .option('--as-of <date>', 'compute as of this date or instant instead of now (to see what a later sweep will remove)')
    .action(async (options: { dryRun?: boolean; workspace?: string; asOf?: string }) => {
      const asOf = parseAsOf(options.asOf);
      await withCliDatabase('retention', async (database, _config, context) => {
        const { sweepWorkspaces } = await import('../actions/retention.ts');
        await sweepWorkspaces(database, context, { workspace: options.workspace, asOf, dryRun: options.dryRun === true });
      });
    });
}
