import type { Command } from 'commander';
import { asc } from 'drizzle-orm';
import { requireWorkspace } from '../../accounts/workspaces.ts';
import { workspaces } from '../../db/schema/index.ts';
import { auditConfiguration, latestCheckpoint, verifyAuditChain } from '../../kernel/index.ts';
import { invalid } from '../../shared/domainError.ts';
import { withCliDatabase } from '../cliDatabase.ts';

/** Exit status when a chain is broken (1 is any other failure). */
export const brokenChainExitCode = 3;

const collect = (value: string, previous: string[]) => [...previous, value];

function parseAnchor(value: string): { sequence: number; hash: string } {
  const match = /^(\d+):([0-9a-f]{64})$/.exec(value);
  if (!match) throw invalid('anchor', 'must be <sequence>:<64 hex digits of the entry hash>');
  return { sequence: Number(match[1]), hash: match[2] };
}

export function registerVerifyCommand(program: Command) {
  program
    .command('verify')
    .description(
      `verify the audit trail's hash chain and signed checkpoints of every workspace (or one); exits ${brokenChainExitCode} naming the workspace and first broken entry when a chain is broken`,
    )
    .option('--workspace <slug>', 'verify only this workspace')
    .option(
      '--anchor <sequence:hash>',
      'also require entry <sequence> to have this hash, as published outside Candor (repeatable; needs --workspace)',
      collect,
      [],
    )
    .option(
      '--print-checkpoint',
      "print each workspace's latest signed checkpoint as a JSON line on stdout, for publishing outside Candor (status goes to stderr)",
    )
    .action(async (options: { workspace?: string; anchor: string[]; printCheckpoint?: boolean }) => {
      const anchors = options.anchor.map(parseAnchor);
      if (anchors.length > 0 && !options.workspace) throw invalid('anchor', 'anchors belong to one workspace: add --workspace');
      const status = (line: string) => (options.printCheckpoint ? process.stderr : process.stdout).write(`${line}\n`);
      await withCliDatabase('verify', async (database) => {
        const targets = options.workspace
          ? [await requireWorkspace(database.db, options.workspace)]
          : await database.db.select().from(workspaces).orderBy(asc(workspaces.slug));
        const keys = auditConfiguration().keys;
        let broken = 0;
        for (const workspace of targets) {
          const result = await verifyAuditChain(database.db, workspace.id, { keys, anchors });
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
            if (latest) process.stdout.write(`${JSON.stringify({ workspace: workspace.slug, ...latest })}\n`);
          }
        }
        if (broken > 0) {
          status(`${broken} of ${targets.length} audit chain(s) broken`);
          process.exitCode = brokenChainExitCode;
        }
      });
    });
}
