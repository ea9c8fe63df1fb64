// Builds the web app into web/dist unless it was built from exactly these sources. The root's
// `prepare` (run by `npm ci`) and `npm start` call it, so the README's two commands are all a
// newcomer runs, and a start after `git pull` serves the app of the pulled sources. The check
// is a hash of the sources, the build settings and the lock file, kept beside the build; it
// reads ~50 small files, so a start with nothing changed spends a few milliseconds here.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(web, 'dist');
const hashFile = join(outDir, '.source-hash');

/** Every file under `dir`, recursively, in a stable order. */
function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** The hash of what a build is made from: a different hash means a different build. */
export function sourceHash() {
  const files = [
    ...filesUnder(join(web, 'src')),
    ...['index.html', 'vite.config.ts', 'vite.widget.config.ts', 'precompress.ts', 'package.json', 'tsconfig.json', '../package-lock.json'].map((file) =>
      join(web, file),
    ),
  ];
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(`${relative(web, file)}\0`);
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

export async function buildIfChanged() {
  const hash = sourceHash();
  const built = existsSync(join(outDir, 'index.html')) && existsSync(hashFile) ? readFileSync(hashFile, 'utf8').trim() : null;
  if (built === hash) return { built: false };
  process.stderr.write(built === null ? 'Building the web app…\n' : 'The web app changed: rebuilding it…\n');
  const { build } = await import('vite');
  await build({ root: web, configFile: join(web, 'vite.config.ts'), logLevel: 'warn' });
  // The consent widget other sites embed: a script of its own, after the app (whose build empties dist).
  await build({ root: web, configFile: join(web, 'vite.widget.config.ts'), logLevel: 'warn' });
  writeFileSync(hashFile, `${hash}\n`);
  return { built: true };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildIfChanged();
