import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

/*
 * The `candor` command compiled once per test run into one JavaScript file, for the tests
 * that start it as a child process. `bin/candor.js` compiles the TypeScript sources with tsx
 * on every start (esbuild per module, through loader hooks that also see every module of
 * node_modules): ~0.8 s of each child's ~2.4 s. This is the same sources compiled by the
 * same esbuild, loaded without hooks. One test still starts `bin/candor.js` itself, as a
 * newcomer's `npx candor` does.
 */

const repository = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Source files find their data (migrations, the fideslang and DPV tables) relative to
 * `import.meta.url`; in one bundled file that would be the bundle's address, so each source
 * file gets its own original address instead.
 */
const keepSourceAddresses: Plugin = {
  name: 'keep-source-addresses',
  setup(builder) {
    builder.onLoad({ filter: /\.ts$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
      loader: 'ts',
    }));
  },
};

export type CandorCommand = { file: string; remove(): void };

export async function buildCandorCommand(): Promise<CandorCommand> {
  // Inside the repository, so that the packages it leaves out resolve from node_modules.
  const parent = join(repository, 'node_modules', '.cache');
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, 'candor-command-'));
  const file = join(dir, 'candor.mjs');
  await build({
    entryPoints: [join(repository, 'src/cli/main.ts')],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    plugins: [keepSourceAddresses],
    logLevel: 'warning',
  });
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
