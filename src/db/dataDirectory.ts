import { chmodSync, lstatSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError } from '../shared/domainError.ts';

/*
 * The embedded database keeps users, API keys, sealed personal data and the audit trail in
 * its data directory, so only the user Candor runs as may enter it. PGlite writes the files
 * of a new cluster 0666 whatever the umask (its file system layer sets the mode itself), and
 * earlier versions of Candor left the directory 0755: any local user could rewrite them.
 * Files PostgreSQL creates while running are 0600, and once the directory is 0700 nobody
 * else can reach any file in it whatever its mode.
 */

const othersMayWrite = 0o022;
const othersMayAccess = 0o077;

/**
 * Creates the data directory 0700, or takes group and world access away from an existing
 * one; refuses one that other users can write to, since they may already have changed what
 * is in it. Runs before anything is read from or written into the directory.
 */
export function prepareDataDirectory(dataDir: string): void {
  if (process.platform === 'win32') return; // no POSIX modes to check
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // Followed if it is a symbolic link (a data directory on another volume): the directory counts.
  const mode = statSync(dataDir).mode & 0o777;
  if (mode & othersMayWrite) {
    throw new DomainError(
      'configuration_error',
      `The embedded data directory ${dataDir} is writable by other users (mode ${mode.toString(8)}), who could have rewritten its users, keys and audit trail; ` +
        `run \`chmod 700 ${dataDir}\`, check \`candor verify\`, and start again.`,
    );
  }
  if (mode & othersMayAccess) chmodSync(dataDir, mode & ~othersMayAccess);
}

/** Takes group and world access away from `root` and everything below it (symbolic links are left alone). */
export function restrictToOwner(root: string): void {
  if (process.platform === 'win32') return;
  const visit = (path: string) => {
    const stat = lstatSync(path, { throwIfNoEntry: false });
    if (!stat || stat.isSymbolicLink()) return;
    if (stat.mode & othersMayAccess) chmodSync(path, stat.mode & 0o777 & ~othersMayAccess);
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(root);
}
