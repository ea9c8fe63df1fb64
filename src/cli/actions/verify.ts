import { asc } from 'drizzle-orm';
import { requireWorkspace } from '../../accounts/workspaces.ts';
import type { Database } from '../../db/connection.ts';
import { workspaces } from '../../db/schema/index.ts';
import { auditConfiguration, latestCheckpoint, verifyAuditChain } from '../../kernel/index.ts';
import type { CommandContext } from '../cliDatabase.ts';

export type VerifyOptions = {
  workspace?: string;
  anchors: { sequence: number; hash: string }[];
  printCheckpoint: boolean;
  brokenChainExitCode: number;
};

export async function verifyChains(database: Database, context: CommandContext, options: VerifyOptions): Promise<void> {
  const status = (line: string) => (options.printCheckpoint ? context.stderr : context.stdout).write(`${line}\n`);
  const targets = options.workspace
    ? [await requireWorkspace(database.db, options.workspace)]
    : await database.db.select().from(workspaces).orderBy(asc(workspaces.slug));
  const keys = auditConfiguration().keys;
  let broken = 0;
  for (const workspace of targets) {
    const result = await verifyAuditChain(database.db, workspace.id, { keys, anchors: options.anchors });
    if (!result.ok) {
      broken += 1;
      status(`BROKEN ${workspace.slug}: first broken entry ${result.firstBrokenSequence} — ${result.reason}`);
      continue;
    }
    const checkpoint = result.lastCheckpoint ? `, last signed checkpoint at ${result.lastCheckpoint.sequence}` : ', no signed checkpoint yet';
    const trust = result.checkpoints > 0 && !result.signersTrusted ? ' (checkpoint keys not checked against a key store)' : '';
    status(`ok ${workspace.slug}: ${result.entries} entries${checkpoint}${trust}`);
    if (options.printCheckpoint) {
      const latest = await latestCheckpoint(database.db, workspace.id);
      if (latest) context.stdout.write(`${JSON.stringify({ workspace: workspace.slug, ...latest })}\n`);
    }
  }
  if (broken > 0) {
    status(`${broken} of ${targets.length} audit chain(s) broken`);
    context.setExitCode(options.brokenChainExitCode);
  }
}
