import type { Command } from 'commander';
import { withCliDatabase } from '../cliDatabase.ts';

export function registerKeysCommands(program: Command) {
  const keys = program.command('keys').description('manage encryption keys (key store: CANDOR_KEYSTORE, or <data dir>/keys on the embedded database)');
  keys
    .command('rotate')
    .description('rotate the key epoch: re-wrap every subject key under a new epoch key and destroy the old one (data is not re-encrypted)')
    .option('--workspace <slug>', 'only this workspace (default: all)')
    .action(async (options: { workspace?: string }) => {
      // withCliDatabase opens the key store before the database: a missing one changes nothing.
      await withCliDatabase('keys rotate', async (database, _config, context) => {
        const { rotateKeys } = await import('../actions/keys.ts');
        await rotateKeys(database, context, options);
      });
    });
  keys
    .command('advance-epoch')
    .description('make erasures hold against old database copies now: advance the key epoch of every workspace with erasures pending (or of the one named)')
    .option('--workspace <slug>', 'advance this workspace even with no erasure pending')
    .action(async (options: { workspace?: string }) => {
      await withCliDatabase('keys advance-epoch', async (database, _config, context) => {
        const { advanceEpochs } = await import('../actions/keys.ts');
        await advanceEpochs(database, context, options);
      });
    });
}
