import type { Command } from 'commander';
import { requireWorkspace } from '../../accounts/workspaces.ts';
import type { Database } from '../../db/connection.ts';
import { workspaces } from '../../db/schema/index.ts';
import { advanceEpoch, completeEpochAdvance, kernelKeyStore, workspacesWithPendingErasures, type EpochAdvanceReport } from '../../kernel/index.ts';
import { withCliDatabase } from '../cliDatabase.ts';

export function registerKeysCommands(program: Command) {
  const keys = program.command('keys').description('manage encryption keys (key store: CANDOR_KEYSTORE, or <data dir>/keys on the embedded database)');
  keys
    .command('rotate')
    .description('rotate the key epoch: re-wrap every subject key under a new epoch key and destroy the old one (data is not re-encrypted)')
    .option('--workspace <slug>', 'only this workspace (default: all)')
    .action(async (options: { workspace?: string }) => {
      // withCliDatabase opens the key store before the database: a missing one changes nothing.
      await withCliDatabase('keys rotate', async (database) => {
        const keyStore = kernelKeyStore();
        for (const workspace of await chosenWorkspaces(database, options.workspace)) {
          printReport(workspace.slug, await advanceEpoch(database, keyStore, workspace.id));
        }
      });
    });
  keys
    .command('advance-epoch')
    .description('make erasures hold against old database copies now: advance the key epoch of every workspace with erasures pending (or of the one named)')
    .option('--workspace <slug>', 'advance this workspace even with no erasure pending')
    .action(async (options: { workspace?: string }) => {
      await withCliDatabase('keys advance-epoch', async (database) => {
        const keyStore = kernelKeyStore();
        if (options.workspace) {
          const workspace = await requireWorkspace(database.db, options.workspace);
          printReport(workspace.slug, await advanceEpoch(database, keyStore, workspace.id));
          return;
        }
        const pending = new Set(await workspacesWithPendingErasures(database.db));
        const all = await chosenWorkspaces(database, undefined);
        if (pending.size === 0) process.stdout.write('no workspace has erasures pending an epoch advance\n');
        for (const workspace of all.filter((candidate) => pending.has(candidate.id))) {
          // Finish an interrupted advance first, then advance past every erasure made since.
          await completeEpochAdvance(database, keyStore, workspace.id);
          printReport(workspace.slug, await advanceEpoch(database, keyStore, workspace.id));
        }
      });
    });
}

async function chosenWorkspaces(database: Database, slug: string | undefined): Promise<{ id: string; slug: string }[]> {
  if (slug) return [await requireWorkspace(database.db, slug)];
  return database.db.select({ id: workspaces.id, slug: workspaces.slug }).from(workspaces).orderBy(workspaces.slug);
}

function printReport(slug: string, report: EpochAdvanceReport): void {
  const from = report.previousEpoch === null ? 'none' : String(report.previousEpoch);
  const destroyed = report.destroyedEpochs.length > 0 ? `, destroyed the key of epoch ${report.destroyedEpochs.join(', ')}` : '';
  process.stdout.write(`${slug}: key epoch ${from} -> ${report.epoch}, ${report.rewrapped} subject keys re-wrapped${destroyed}\n`);
}
