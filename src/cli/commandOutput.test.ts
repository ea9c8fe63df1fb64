import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// A command may run inside a running server for a CLI (src/cli/cliDatabase.ts): there
// process.stdout, process.stderr, process.exitCode and process.env are the server's, so
// commands use their CommandContext instead. `candor serve` itself is the server: exempt.

const cliDir = fileURLToPath(new URL('.', import.meta.url));
const commandFiles = ['commands', 'actions'].flatMap((dir) =>
  readdirSync(join(cliDir, dir))
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
    .map((name) => join(dir, name)),
);
const serverOwnFiles = new Set([join('commands', 'serve.ts'), join('actions', 'serve.ts')]);

describe('CLI commands', () => {
  it.each(commandFiles.filter((file) => !serverOwnFiles.has(file)))(
    '%s writes, reads the environment and sets its exit status through its command context only',
    (file) => {
      const source = readFileSync(join(cliDir, file), 'utf8');
      expect(source.match(/process\.(stdout|stderr|exitCode|env|cwd|exit)\b/g) ?? []).toEqual([]);
    },
  );
});
