import { requireWorkspace } from '../../accounts/workspaces.ts';
import type { Database } from '../../db/connection.ts';
import { workspaces } from '../../db/schema/index.ts';
import { advanceEpoch, completeEpochAdvance, kernelKeyStore, workspacesWithPendingErasures, type EpochAdvanceReport } from '../../kernel/index.ts';
import type { CommandContext } from '../cliDatabase.ts';

export async function rotateKeys(database: Database, context: CommandContext, options: { workspace?: string }): Promise<void> {
  const keyStore = kernelKeyStore();
  for (const workspace of await chosenWorkspaces(database, options.workspace)) {
    context.stdout.write(reportLine(workspace.slug, await advanceEpoch(database, keyStore, workspace.id)));
  }
}

export async function advanceEpochs(database: Database, context: CommandContext, options: { workspace?: string }): Promise<void> {
  const keyStore = kernelKeyStore();
  if (options.workspace) {
    const workspace = await requireWorkspace(database.db, options.workspace);
    context.stdout.write(reportLine(workspace.slug, await advanceEpoch(database, keyStore, workspace.id)));
    return;
  }
  const pending = new Set(await workspacesWithPendingErasures(database.db));
  const all = await chosenWorkspaces(database, undefined);
  if (pending.size === 0) context.stdout.write('no workspace has erasures pending an epoch advance\n');
  for (const workspace of all.filter((candidate) => pending.has(candidate.id))) {
    // Finish an interrupted advance first, then advance past every erasure made since.
    await completeEpochAdvance(database, keyStore, workspace.id);
    context.stdout.write(reportLine(workspace.slug, await advanceEpoch(database, keyStore, workspace.id)));
  }
}

async function chosenWorkspaces(database: Database, slug: string | undefined): Promise<{ id: string; slug: string }[]> {
  if (slug) return [await requireWorkspace(database.db, slug)];
  return database.db.select({ id: workspaces.id, slug: workspaces.slug }).from(workspaces).orderBy(workspaces.slug);
}

function reportLine(slug: string, report: EpochAdvanceReport): string {
  const from = report.previousEpoch === null ? 'none' : String(report.previousEpoch);
  const destroyed = report.destroyedEpochs.length > 0 ? `, destroyed the key of epoch ${report.destroyedEpochs.join(', ')}` : '';
  return `${slug}: key epoch ${from} -> ${report.epoch}, ${report.rewrapped} subject keys re-wrapped${destroyed}\n`;
}
