import type { Command } from 'commander';
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
      await withCliDatabase('verify', async (database, _config, context) => {
        const { verifyChains } = await import('../actions/verify.ts');
        await verifyChains(database, context, {
          workspace: options.workspace,
          anchors,
          printCheckpoint: options.printCheckpoint === true,
          brokenChainExitCode,
        });
      });
    });
}
